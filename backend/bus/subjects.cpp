#include "subjects.h"

#include "limits.h"

#include <QStringDecoder>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace mf::bus {

namespace {

int hexValue(char16_t c)
{
    if (c >= u'0' && c <= u'9') return c - u'0';
    if (c >= u'a' && c <= u'f') return c - u'a' + 10;
    if (c >= u'A' && c <= u'F') return c - u'A' + 10;
    return -1;
}

// Strict percent-decoding like Go's url.PathUnescape (what Mainflux used, minus '+' -> ' ').
Result<QString> percentDecode(QStringView raw)
{
    if (!raw.contains(u'%')) return raw.toString();
    const QByteArray in = raw.toUtf8();
    QByteArray bytes;
    bytes.reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            bytes += in[i];
            continue;
        }
        const int hi = i + 2 < in.size() ? hexValue(char16_t(uchar(in[i + 1]))) : -1;
        const int lo = i + 2 < in.size() ? hexValue(char16_t(uchar(in[i + 2]))) : -1;
        if (hi < 0 || lo < 0)
            return fail(ErrorCode::Malformed, u"malformed percent-escape at byte %1 of the subtopic"_s.arg(i));
        bytes += char(hi * 16 + lo);
        i += 2;
    }
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString decoded = utf8.decode(bytes);
    if (utf8.hasError()) return fail(ErrorCode::Malformed, u"the decoded subtopic is not valid UTF-8"_s);
    return decoded;
}

QByteArray join(const char *prefix, QStringView channelId, QStringView subtopic)
{
    QByteArray s(prefix);
    s += '.';
    s += channelId.toUtf8();
    if (!subtopic.isEmpty()) {
        s += '.';
        s += subtopic.toUtf8();
    }
    return s;
}

} // namespace

Result<QString> normalizeSubtopic(QStringView raw, SubtopicUse use)
{
    auto decoded = percentDecode(raw);
    if (!decoded) return std::unexpected(decoded.error());

    if (const qsizetype bytes = decoded->toUtf8().size(); bytes > maxSubtopicBytes)
        return fail(ErrorCode::Malformed,
                    u"the subtopic is %1 bytes long; at most %2 are allowed"_s.arg(bytes).arg(maxSubtopicBytes));
    for (const QStringView segment : QStringView(*decoded).split(u'/')) {
        // "a/.." or "a/." would otherwise vanish into empty NATS tokens and be stored as "a": refuse, as a path
        // that climbs is never what a device meant.
        if (!segment.isEmpty() && segment.count(u'.') == segment.size())
            return fail(ErrorCode::Malformed, u"subtopic token \"%1\" consists only of dots"_s.arg(segment));
    }

    QString unified = *decoded;
    unified.replace(u'/', u'.');
    const QStringList tokens = unified.split(u'.', Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        const QString &t = tokens[i];
        for (const QChar c : t) {
            if (c.isSpace() || c.category() == QChar::Other_Control)
                return fail(ErrorCode::Malformed,
                            u"subtopic token \"%1\" contains whitespace or a control character"_s.arg(t));
        }
        const bool hasWildcard = t.contains(u'*') || t.contains(u'>');
        if (!hasWildcard) continue;
        if (use == SubtopicUse::Publish)
            return fail(
                ErrorCode::Malformed,
                u"subtopic token \"%1\" contains a wildcard ('*' or '>'), not allowed when publishing"_s.arg(t));
        if (t.size() > 1)
            return fail(ErrorCode::Malformed,
                        u"subtopic token \"%1\" mixes a wildcard ('*' or '>') with other characters"_s.arg(t));
        if (t == u">" && i != tokens.size() - 1)
            return fail(ErrorCode::Malformed, u"'>' must be the last subtopic token"_s);
    }
    return tokens.join(u'.');
}

QByteArray channelSubject(QStringView channelId, QStringView subtopic)
{
    return join(channelPrefix, channelId, subtopic);
}

QByteArray senmlSubject(QStringView channelId, QStringView subtopic)
{
    return join(senmlPrefix, channelId, subtopic);
}

} // namespace mf::bus
