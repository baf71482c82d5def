#include "mediatype.h"

using namespace Qt::StringLiterals;

namespace mf {

namespace {

constexpr qsizetype MaxNameLength = 127;

bool isNameChar(QChar c, bool first)
{
    if (c.unicode() > 127) return false;
    if (c.isLetterOrNumber()) return true;
    return !first && QStringView(u"!#$&-^_.+").contains(c);
}

bool isRestrictedName(QStringView name)
{
    if (name.isEmpty() || name.size() > MaxNameLength) return false;
    for (qsizetype i = 0; i < name.size(); ++i)
        if (!isNameChar(name[i], i == 0)) return false;
    return true;
}

bool isTokenChar(QChar c) // RFC 9110 §5.6.2 tchar
{
    if (c.unicode() > 127) return false;
    return c.isLetterOrNumber() || QStringView(u"!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QStringView text)
{
    if (text.isEmpty()) return false;
    for (QChar c : text)
        if (!isTokenChar(c)) return false;
    return true;
}

bool isQuotedString(QStringView text)
{
    if (text.size() < 2 || text.front() != u'"' || text.back() != u'"') return false;
    for (qsizetype i = 1; i + 1 < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (c == u'\\') {
            if (++i + 1 >= text.size()) return false;
            continue;
        }
        if (c == u'"' || c < 0x20 || c == 0x7f || c > 0xff) return false;
    }
    return true;
}

} // namespace

Result<void> checkMediaType(QStringView text)
{
    const auto invalid = [&](const QString &why) {
        return fail(ErrorCode::Malformed, u"\"%1\" is not a media type: %2"_s.arg(text.left(200).toString(), why));
    };
    const qsizetype semicolon = text.indexOf(u';');
    const QStringView bare = (semicolon < 0 ? text : text.left(semicolon)).trimmed();
    const qsizetype slash = bare.indexOf(u'/');
    if (slash < 0) return invalid(u"expected type/subtype, e.g. application/json"_s);
    if (!isRestrictedName(bare.left(slash))) return invalid(u"the type is not a name"_s);
    if (!isRestrictedName(bare.mid(slash + 1))) return invalid(u"the subtype is not a name"_s);
    if (semicolon < 0) return {};
    for (QStringView parameter : text.mid(semicolon + 1).split(u';')) {
        parameter = parameter.trimmed();
        const qsizetype equals = parameter.indexOf(u'=');
        if (equals < 0) return invalid(u"a parameter must be name=value"_s);
        if (!isToken(parameter.left(equals))) return invalid(u"a parameter name is not a token"_s);
        const QStringView value = parameter.mid(equals + 1);
        if (!isToken(value) && !isQuotedString(value))
            return invalid(u"a parameter value must be a token or a quoted string"_s);
    }
    return {};
}

QString channelContentType(const QJsonObject &metadata)
{
    return metadata.value(ContentTypeKey).toString().trimmed();
}

Result<void> checkChannelContentType(const QJsonObject &metadata)
{
    const auto it = metadata.constFind(ContentTypeKey);
    if (it == metadata.constEnd()) return {};
    if (!it->isString())
        return fail(ErrorCode::Malformed, u"metadata.content_type: must be a string such as \"application/json\""_s);
    if (auto ok = checkMediaType(it->toString().trimmed()); !ok)
        return fail(ErrorCode::Malformed, u"metadata.content_type: "_s + ok.error().message);
    return {};
}

} // namespace mf
