#include "senml.h"

#include "decoders.h"

using namespace Qt::StringLiterals;

namespace mf::senml {

std::optional<Format> formatForContentType(QStringView contentType)
{
    const qsizetype semicolon = contentType.indexOf(u';');
    const QStringView type = (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed();
    if (type.compare("application/senml+json"_L1, Qt::CaseInsensitive) == 0) return Format::Json;
    if (type.compare("application/senml+cbor"_L1, Qt::CaseInsensitive) == 0) return Format::Cbor;
    return std::nullopt;
}

mf::Result<QList<Record>> normalize(const QByteArray &payload, Format format, double nowSeconds)
{
    detail::Resolver resolver(nowSeconds);
    const mf::Result<void> decoded =
        format == Format::Json ? detail::decodeJson(payload, resolver) : detail::decodeCbor(payload, resolver);
    if (!decoded) return std::unexpected(decoded.error());
    return resolver.finish();
}

QJsonObject toJson(const Record &record)
{
    QJsonObject object;
    object.insert("name"_L1, record.name);
    if (!record.unit.isEmpty()) object.insert("unit"_L1, record.unit);
    if (record.value) object.insert("value"_L1, *record.value);
    if (record.stringValue) object.insert("string_value"_L1, *record.stringValue);
    if (record.boolValue) object.insert("bool_value"_L1, *record.boolValue);
    if (record.dataValue) object.insert("data_value"_L1, *record.dataValue);
    if (record.sum) object.insert("sum"_L1, *record.sum);
    object.insert("time"_L1, record.time);
    if (record.updateTime != 0) object.insert("update_time"_L1, record.updateTime);
    return object;
}

} // namespace mf::senml
