#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QString>
#include <optional>

namespace mf::adapters::coap {

// Block-wise uploads (RFC 7959 Block1) reassembled by the adapter, not by libcoap: libcoap 4.3.1's own reassembly
// (COAP_BLOCK_SINGLE_BODY) needs Size1 to allocate the body; without it, it hands each block to the handler as if
// it were the whole request, and dereferences the missing body (NULL + 8) as soon as a block it has seen comes
// again — a retransmission, or its own replay of a request parked with coap_register_async. That crashed the
// backend with two datagrams (issue 20).
//
// Blocks must come in order (NUM by NUM; a retransmitted block is acknowledged again); the body is bounded by
// maxBody, the uploads of one client address by maxPerClient, and an upload without a block for timeoutMs is
// dropped. Pure logic (no libcoap, no clock of its own besides QElapsedTimer): the adapter maps the outcome to a
// response. Not thread-safe.
class Block1Uploads final
{
public:
    struct Limits
    {
        qint64 maxBody = 1024 * 1024;
        int maxPerClient = 4;
        int timeoutMs = 30'000;
        // Bytes of unfinished uploads held at once, over all clients: the per-address bound does not bound memory
        // when UDP source addresses are forged.
        qint64 maxBuffered = 64 * 1024 * 1024;
    };

    struct Block
    {
        quint32 num = 0;
        bool more = false;
        quint8 szx = 0; // size 2^(szx + 4)
        qint64 size() const { return qint64(1) << (szx + 4); }
        qint64 offset() const { return qint64(num) << (szx + 4); }
    };
    // Reads a Block1 option value (0-3 bytes). nullopt with a reason for what RFC 7959 §2.2 does not allow on UDP.
    static std::optional<Block> parse(QByteArrayView value, QString *reason);

    struct Outcome
    {
        enum Kind {
            Continue, // 2.31: send the next block
            Complete, // body holds the whole request body
            Refused,  // code (4.xx, 5.03) with reason; the upload is gone
        };
        Kind kind = Refused;
        int code = 0;           // 400, 408, 413, 429, 503 when refused
        QString reason;         // diagnostic payload
        QByteArray metric;      // mf_adapter_messages_total result label when refused
        QByteArray body;        // Complete
        int contentFormat = -1; // of block 0 (Complete)
        int retryAfterS = 0;    // 4.29, 5.03: Max-Age
    };

    explicit Block1Uploads(Limits limits) : m_limits(limits) {}

    // One block of the upload `key` (client address and port, path, query, Request-Tag) from `client` (its address).
    // size1 is the Size1 option if present; contentFormat -1 for none.
    Outcome add(const QByteArray &key, const QString &client, const Block &block, QByteArrayView data,
                std::optional<quint64> size1, int contentFormat);

    // Drops uploads that had no block for timeoutMs; returns how many.
    int expire();
    qsizetype size() const { return m_uploads.size(); }
    qint64 buffered() const { return m_buffered; }
    const Limits &limits() const { return m_limits; }

private:
    struct Upload
    {
        QString client;
        QByteArray body;
        int contentFormat = -1;
        QElapsedTimer idle;
    };
    Outcome refuse(const QByteArray &key, int code, const QString &reason, const QByteArray &metric);
    Outcome busy(const QByteArray &key); // 5.03: maxBuffered reached
    int uploadsOf(const QString &client) const;
    bool fits(qsizetype more) const { return m_buffered + more <= m_limits.maxBuffered; }

    Limits m_limits;
    QHash<QByteArray, Upload> m_uploads;
    qint64 m_buffered = 0; // sum of the bodies in m_uploads
};

} // namespace mf::adapters::coap
