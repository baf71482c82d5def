#include "metadatatext.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace mf::ui {

std::optional<QJsonObject> parseMetadata(const QString &text, QString *error)
{
    // The messages keep the entity dialog's translation context (a literal, for lupdate), where they are shown first.
    if (text.trimmed().isEmpty()) return QJsonObject{};
    QJsonParseError parseError;
    const QByteArray utf8 = text.toUtf8();
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const QByteArray before = utf8.left(parseError.offset);
        const int line = int(before.count('\n')) + 1;
        const int column = int(parseError.offset - (before.lastIndexOf('\n') + 1)) + 1;
        if (error)
            *error = QCoreApplication::translate("mf::ui::EntityDialog", "Line %1, column %2: %3")
                         .arg(line)
                         .arg(column)
                         .arg(parseError.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        if (error)
            *error = QCoreApplication::translate("mf::ui::EntityDialog",
                                                 "Metadata must be a JSON object: { \"key\": \"value\" }");
        return std::nullopt;
    }
    return doc.object();
}

} // namespace mf::ui
