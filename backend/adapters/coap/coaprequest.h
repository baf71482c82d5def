#pragma once

#include "core/error.h"

#include <QString>
#include <coap3/coap.h>
#include <optional>

// What the CoAP adapter reads from a request before it touches any state: the path, the thing key in the query and
// option values. Pure functions over a parsed libcoap PDU (no session, no context), so they can be fuzzed with
// datagrams libcoap's own parser accepted.
namespace mf::adapters::coap {

// A uint option (Content-Format, Size1, ...) or nullopt when the request does not carry it.
std::optional<unsigned> optionValue(const coap_pdu_t *pdu, coap_option_num_t number);

// The thing key from the Uri-Query: "authorization=<key>" (Mainflux 0.7) or "auth=<key>" (0.12+), nothing else.
// Unauthenticated when missing or empty, Malformed for another parameter or a key given twice.
Result<QString> keyFromQuery(const coap_string_t *query);

struct ParsedPath
{
    QString channelId;
    QString subtopic; // raw, '/'-separated
};

// "channels/<id>/messages[/<subtopic...>]"; nullopt for any other path.
std::optional<ParsedPath> parsePath(const coap_pdu_t *request);

} // namespace mf::adapters::coap
