#include "block1uploads.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mf::adapters::coap {

std::optional<Block1Uploads::Block> Block1Uploads::parse(QByteArrayView value, QString *reason)
{
    if (value.size() > 3) {
        *reason = u"a Block1 option has at most 3 bytes, this one %1"_s.arg(value.size());
        return std::nullopt;
    }
    quint32 v = 0;
    for (char c : value)
        v = v << 8 | uchar(c);
    Block block{v >> 4, (v & 0x8) != 0, quint8(v & 0x7)};
    if (block.szx == 7) {
        *reason = u"Block1 SZX 7 (BERT) is for CoAP over TCP only"_s;
        return std::nullopt;
    }
    return block;
}

Block1Uploads::Outcome Block1Uploads::refuse(const QByteArray &key, int code, const QString &reason,
                                             const QByteArray &metric)
{
    if (const auto it = m_uploads.constFind(key); it != m_uploads.cend()) {
        m_buffered -= it->body.size();
        m_uploads.erase(it);
    }
    Outcome out;
    out.kind = Outcome::Refused;
    out.code = code;
    out.reason = reason;
    out.metric = metric;
    return out;
}

Block1Uploads::Outcome Block1Uploads::busy(const QByteArray &key)
{
    Outcome out = refuse(key, 503,
                         u"the adapter holds %1 bytes of unfinished block-wise uploads, its limit; try again "
                         "later"_s.arg(m_buffered),
                         "uploads buffer full");
    out.retryAfterS = std::max(1, m_limits.timeoutMs / 1000);
    return out;
}

int Block1Uploads::uploadsOf(const QString &client) const
{
    return int(
        std::count_if(m_uploads.cbegin(), m_uploads.cend(), [&](const Upload &u) { return u.client == client; }));
}

Block1Uploads::Outcome Block1Uploads::add(const QByteArray &key, const QString &client, const Block &block,
                                          QByteArrayView data, std::optional<quint64> size1, int contentFormat)
{
    const qint64 max = m_limits.maxBody;
    if (size1 && *size1 > quint64(max))
        return refuse(key, 413, u"payload of %1 bytes (Size1) is larger than %2"_s.arg(*size1).arg(max), "too large");
    if ((block.more && data.size() != block.size()) || data.size() > block.size())
        return refuse(
            key, 400,
            u"block %1 carries %2 bytes; a block of SZX %3 carries %4 (fewer only in the last one)"_s.arg(block.num)
                .arg(data.size())
                .arg(block.szx)
                .arg(block.size()),
            "bad request");

    auto it = m_uploads.find(key);
    if (block.num == 0) {
        if (it != m_uploads.end()) { // block 0 again: the client starts over
            m_buffered -= it->body.size();
            m_uploads.erase(it);
        }
        if (data.size() > max) return refuse(key, 413, u"payload larger than %1 bytes"_s.arg(max), "too large");
        if (!block.more) {
            Outcome whole;
            whole.kind = Outcome::Complete;
            whole.body = data.toByteArray();
            whole.contentFormat = contentFormat;
            return whole;
        }
        if (uploadsOf(client) >= m_limits.maxPerClient) {
            qint64 soonest = m_limits.timeoutMs;
            for (const Upload &u : std::as_const(m_uploads))
                if (u.client == client) soonest = std::min(soonest, m_limits.timeoutMs - u.idle.elapsed());
            Outcome out = refuse(key, 429,
                                 u"%1 block-wise uploads from this address are already in progress; finish one "
                                 "first"_s.arg(m_limits.maxPerClient),
                                 "too many uploads");
            out.retryAfterS = int(std::max<qint64>(1, (soonest + 999) / 1000));
            return out;
        }
        if (!fits(data.size())) return busy(key);
        Upload upload;
        upload.client = client;
        upload.body = data.toByteArray();
        upload.contentFormat = contentFormat;
        upload.idle.start();
        m_buffered += data.size();
        m_uploads.insert(key, std::move(upload));
        return Outcome{Outcome::Continue};
    }

    if (it == m_uploads.end())
        return refuse(key, 408,
                      u"block %1 belongs to no upload in progress: send block 0 first (an upload is dropped %2 s "
                      "after its last block)"_s.arg(block.num)
                          .arg(m_limits.timeoutMs / 1000.0),
                      "upload incomplete");
    Upload &upload = *it;
    const qint64 have = upload.body.size();
    if (block.offset() < have && block.more && block.offset() + data.size() <= have) {
        upload.idle.restart(); // a retransmission (our 2.31 was lost): acknowledge it again
        return Outcome{Outcome::Continue};
    }
    if (block.offset() != have)
        return refuse(
            key, 408,
            u"block %1 starts at byte %2, but %3 bytes have arrived: blocks must come in order"_s.arg(block.num)
                .arg(block.offset())
                .arg(have),
            "upload incomplete");
    if (contentFormat >= 0 && contentFormat != upload.contentFormat)
        return refuse(key, 408, u"the Content-Format changed within the block-wise upload"_s, "upload incomplete");
    if (have + data.size() > max) return refuse(key, 413, u"payload larger than %1 bytes"_s.arg(max), "too large");
    if (!fits(data.size())) return busy(key);
    upload.body += data;
    m_buffered += data.size();
    upload.idle.restart();
    if (block.more) return Outcome{Outcome::Continue};

    Outcome whole;
    whole.kind = Outcome::Complete;
    whole.body = std::move(upload.body);
    whole.contentFormat = upload.contentFormat;
    m_buffered -= whole.body.size();
    m_uploads.erase(it);
    return whole;
}

int Block1Uploads::expire()
{
    const qsizetype before = m_uploads.size();
    m_uploads.removeIf([this](QHash<QByteArray, Upload>::iterator it) {
        if (!it->idle.hasExpired(m_limits.timeoutMs)) return false;
        m_buffered -= it->body.size();
        return true;
    });
    return int(before - m_uploads.size());
}

} // namespace mf::adapters::coap
