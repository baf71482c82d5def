#include "thingscsv.h"

#include "metadatatext.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace mf::ui {

QStringList splitCsvLine(const QString &line)
{
    QStringList fields;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < line.size() && line.at(i + 1) == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            fields.append(field);
            field.clear();
        } else {
            field += c;
        }
    }
    fields.append(field);
    return fields;
}

ThingsCsv parseThingsCsv(const QString &text)
{
    ThingsCsv csv;
    const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    if (lines.isEmpty()) {
        csv.problem = ThingsCsv::Problem::Empty;
        return csv;
    }
    const QStringList header = splitCsvLine(lines.first().trimmed());
    const qsizetype nameAt = header.indexOf(u"name"_s);
    if (nameAt < 0) {
        csv.problem = ThingsCsv::Problem::NoNameColumn;
        return csv;
    }
    const qsizetype typeAt = header.indexOf(u"type"_s), metadataAt = header.indexOf(u"metadata"_s),
                    keyAt = header.indexOf(u"key"_s);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QStringList fields = splitCsvLine(lines.at(i).trimmed());
        QJsonObject thing{{u"name"_s, fields.value(nameAt)}, {u"type"_s, u"device"_s}};
        if (typeAt >= 0 && !fields.value(typeAt).isEmpty()) thing.insert(u"type"_s, fields.value(typeAt));
        if (keyAt >= 0 && !fields.value(keyAt).isEmpty()) thing.insert(u"key"_s, fields.value(keyAt));
        if (metadataAt >= 0 && !fields.value(metadataAt).isEmpty()) {
            const auto metadata = parseMetadata(fields.value(metadataAt), &csv.detail);
            if (!metadata) {
                csv.problem = ThingsCsv::Problem::BadMetadata;
                csv.line = int(i + 1);
                csv.things = {};
                return csv;
            }
            thing.insert(u"metadata"_s, *metadata);
        }
        csv.things.append(thing);
    }
    return csv;
}

} // namespace mf::ui
