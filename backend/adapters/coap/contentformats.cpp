#include "contentformats.h"

#include <array>

using namespace Qt::StringLiterals;

namespace mf::adapters::coap {

namespace {

struct Format
{
    unsigned number;
    QLatin1StringView type;
};

constexpr std::array<Format, 13> Formats{{
    {0, "text/plain"_L1},
    {40, "application/link-format"_L1},
    {41, "application/xml"_L1},
    {42, "application/octet-stream"_L1},
    {47, "application/exi"_L1},
    {50, "application/json"_L1},
    {60, "application/cbor"_L1},
    {110, "application/senml+json"_L1},
    {111, "application/sensml+json"_L1},
    {112, "application/senml+cbor"_L1},
    {113, "application/sensml+cbor"_L1},
    {114, "application/senml-exi"_L1},
    {310, "application/senml+xml"_L1},
}};

} // namespace

QString contentTypeFor(std::optional<unsigned> contentFormat)
{
    if (!contentFormat) return {};
    for (const Format &f : Formats)
        if (f.number == *contentFormat) return QString(f.type);
    return u"application/octet-stream"_s;
}

std::optional<unsigned> contentFormatFor(QStringView contentType)
{
    const qsizetype semicolon = contentType.indexOf(u';');
    const QStringView bare = (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed();
    for (const Format &f : Formats)
        if (bare.compare(f.type, Qt::CaseInsensitive) == 0) return f.number;
    return std::nullopt;
}

} // namespace mf::adapters::coap
