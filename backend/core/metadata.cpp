#include "metadata.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace mf {

Result<Metadata> Metadata::fromJson(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull()) return Metadata();
    if (value.isObject()) // an empty object says nothing: none, as older rows' '{}' read (see fromStored)
        return value.toObject().isEmpty() ? Metadata() : Metadata(value.toObject());
    if (!value.isString()) return fail(ErrorCode::Malformed, u"metadata: must be a JSON object or a string holding one"_s);
    const QString text = value.toString();
    if (text.trimmed().isEmpty()) return Metadata();
    if (!text.isValidUtf16()) return fail(ErrorCode::Malformed, u"metadata: the string is not valid Unicode"_s);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return fail(ErrorCode::Malformed, u"metadata: a string must hold a JSON object"_s);
    Metadata m(doc.object());
    m.m_form = Form::String;
    m.m_text = text;
    return m;
}

Metadata Metadata::fromStored(const QString &text)
{
    // QJsonDocument parses only objects and arrays: wrap the value in an array to read a string or null too.
    const QJsonValue value = QJsonDocument::fromJson(u"["_s.append(text).append(u']').toUtf8()).array().at(0);
    // '{}' is what rows written before metadata kept its form hold for "none" (and an empty object says nothing):
    // none, so a Mainflux 0.7 SDK, which cannot decode an object, reads those entities too.
    if (value.isObject() && value.toObject().isEmpty()) return Metadata();
    auto m = fromJson(value);
    return m ? *m : Metadata(); // a column this code did not write: treat as none rather than fail a listing
}

QJsonValue Metadata::toJson() const
{
    switch (m_form) {
    case Form::None: return QJsonValue(QJsonValue::Undefined);
    case Form::Object: return m_object;
    case Form::String: return m_text;
    }
    return {};
}

QString Metadata::storedText() const
{
    switch (m_form) {
    case Form::None: return u"null"_s;
    case Form::Object: return QString::fromUtf8(QJsonDocument(m_object).toJson(QJsonDocument::Compact));
    case Form::String: {
        const QByteArray array = QJsonDocument(QJsonArray{m_text}).toJson(QJsonDocument::Compact); // ["..."]
        return QString::fromUtf8(array.mid(1, array.size() - 2));
    }
    }
    return {};
}

QString Metadata::display() const
{
    if (m_form == Form::String) return m_text;
    return m_object.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(m_object).toJson(QJsonDocument::Compact));
}

} // namespace mf
