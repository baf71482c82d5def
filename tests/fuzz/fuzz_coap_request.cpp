// CoAP requests as the CoAP adapter reads them from UDP: datagrams parsed by libcoap, then the adapter's own reading
// of the path, the thing key in Uri-Query, Content-Format, and Block1 uploads reassembled across datagrams.
// Input: datagrams, each preceded by its length (2 bytes, big-endian), all from one client.
// Promise: every refusal has a CoAP code and a reason; a reassembled body never exceeds the limits; the bytes held
// for unfinished uploads stay within their bound.

#include "block1uploads.h"
#include "bus/subjects.h"
#include "coaprequest.h"
#include "contentformats.h"
#include "fuzzcheck.h"

#include <algorithm>
#include <coap3/coap.h>

using mf::adapters::coap::Block1Uploads;
using mf::fuzz::check;
using namespace Qt::StringLiterals;

namespace {

void readRequest(const coap_pdu_t *pdu, Block1Uploads &uploads)
{
    coap_string_t *query = coap_get_query(pdu);
    const auto key = mf::adapters::coap::keyFromQuery(query);
    coap_delete_string(query);
    if (!key)
        check(!key.error().message.isEmpty(), "a refused key says why");
    else
        check(!key->isEmpty(), "an accepted key is not empty");

    const auto path = mf::adapters::coap::parsePath(pdu);
    if (path) {
        check(!path->channelId.isEmpty(), "a channel path names a channel");
        const auto subtopic = mf::bus::normalizeSubtopic(path->subtopic);
        check(subtopic || !subtopic.error().message.isEmpty(), "a refused subtopic says why");
    }

    const auto contentFormat = mf::adapters::coap::optionValue(pdu, COAP_OPTION_CONTENT_FORMAT);
    const QString contentType = mf::adapters::coap::contentTypeFor(contentFormat);
    check(contentFormat.has_value() != contentType.isEmpty(), "a Content-Format option gives a content type");
    (void)mf::adapters::coap::contentFormatFor(contentType);

    coap_opt_iterator_t it;
    const coap_opt_t *option = coap_check_option(pdu, COAP_OPTION_BLOCK1, &it);
    if (!option) return;
    QString reason;
    const auto block = Block1Uploads::parse(
        QByteArrayView(reinterpret_cast<const char *>(coap_opt_value(option)), coap_opt_length(option)), &reason);
    if (!block) {
        check(!reason.isEmpty(), "a refused Block1 option says why");
        return;
    }
    size_t length = 0;
    const uint8_t *data = nullptr;
    if (!coap_get_data(pdu, &length, &data)) length = 0;
    const coap_bin_const_t token = coap_pdu_get_token(pdu);
    const QByteArray uploadKey = QByteArray(reinterpret_cast<const char *>(token.s), qsizetype(token.length)).toHex();
    const auto size1 = mf::adapters::coap::optionValue(pdu, COAP_OPTION_SIZE1);
    const auto outcome = uploads.add(
        uploadKey, u"192.0.2.1"_s, *block, QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(length)),
        size1 ? std::optional<quint64>(*size1) : std::nullopt, contentFormat ? int(*contentFormat) : -1);
    switch (outcome.kind) {
    case Block1Uploads::Outcome::Complete:
        check(outcome.body.size() <= uploads.limits().maxBody, "a reassembled body is within the limit");
        break;
    case Block1Uploads::Outcome::Refused:
        check(outcome.code >= 400 && outcome.code < 600, "a refused block gets a 4.xx or 5.xx");
        check(!outcome.reason.isEmpty() && !outcome.metric.isEmpty(), "a refused block says why and is counted");
        break;
    case Block1Uploads::Outcome::Continue:
        break;
    }
    check(uploads.buffered() >= 0 && uploads.buffered() <= uploads.limits().maxBuffered,
          "unfinished uploads stay within their bound");
    check(uploads.size() <= uploads.limits().maxPerClient, "one client holds at most maxPerClient uploads");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const bool started = [] {
        coap_startup();
        coap_set_log_level(LOG_EMERG);
        return true;
    }();
    (void)started;

    // Small limits, so that a few datagrams reach each of them.
    Block1Uploads uploads(Block1Uploads::Limits{4096, 2, 30'000, 6144});
    while (size >= 2) {
        size_t length = size_t(data[0]) << 8 | data[1];
        data += 2;
        size -= 2;
        length = std::min(length, size);
        if (coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, length)) {
            if (coap_pdu_parse(COAP_PROTO_UDP, data, length, pdu)) readRequest(pdu, uploads);
            coap_delete_pdu(pdu);
        }
        data += length;
        size -= length;
    }
    return 0;
}
