#include "coaprequest.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace mf::adapters::coap {

std::optional<unsigned> optionValue(const coap_pdu_t *pdu, coap_option_num_t number)
{
    coap_opt_iterator_t it;
    const coap_opt_t *opt = coap_check_option(pdu, number, &it);
    if (!opt) return std::nullopt;
    return coap_decode_var_bytes(coap_opt_value(opt), coap_opt_length(opt));
}

Result<QString> keyFromQuery(const coap_string_t *query)
{
    if (!query || query->length == 0)
        return fail(ErrorCode::Unauthenticated, u"missing thing key: add ?authorization=<thing key>"_s);
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(query->s), qsizetype(query->length));
    QString key;
    for (const QString &part : text.split(u'&', Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(u'=');
        const QString name = eq < 0 ? part : part.left(eq);
        if (name != "authorization"_L1 && name != "auth"_L1)
            return fail(ErrorCode::Malformed,
                        u"unknown query parameter \"%1\" (only authorization=<thing key>)"_s.arg(name.left(64)));
        if (!key.isEmpty()) return fail(ErrorCode::Malformed, u"the thing key is given more than once"_s);
        key = eq < 0 ? QString() : part.mid(eq + 1);
        if (key.isEmpty()) return fail(ErrorCode::Unauthenticated, u"empty thing key in %1="_s.arg(name));
    }
    if (key.isEmpty()) return fail(ErrorCode::Unauthenticated, u"missing thing key: add ?authorization=<thing key>"_s);
    return key;
}

std::optional<ParsedPath> parsePath(const coap_pdu_t *request)
{
    coap_string_t *raw = coap_get_uri_path(request);
    if (!raw) return std::nullopt;
    const QString path = QString::fromUtf8(reinterpret_cast<const char *>(raw->s), qsizetype(raw->length));
    coap_delete_string(raw);
    const QStringList parts = path.split(u'/');
    if (parts.size() < 3 || parts[0] != "channels"_L1 || parts[1].isEmpty() || parts[2] != "messages"_L1)
        return std::nullopt;
    return ParsedPath{parts[1], parts.mid(3).join(u'/')};
}

} // namespace mf::adapters::coap
