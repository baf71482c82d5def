#pragma once

#include "connectionlimiter.h"
#include "httplimits.h"

#include <QSslConfiguration>
#include <QTcpServer>
#include <optional>

namespace mf::api {

class Metrics;

// The listening socket handed to QHttpServer. Its readyRead slot runs before QHttpServer's and reads each request's
// head before QHttpServer's parser does (Qt 6.4's buffers a head without limit and reads duplicate or conflicting
// length headers its own way). It
// - refuses what checkRequestHead() refuses (414, 431, 400, 501) and closes, after dropping what was received, so
//   no more than the limit is ever held for a head;
// - refuses a declared body far over the limit (16×) with 413 and closes, so it is never buffered. Bodies just over
//   the limit are read and refused by HttpServer with a normal 413 that every client reads;
// - answers `Expect: 100-continue` (Qt fixed this only in 6.5, QTBUG-107854; drop that part on Qt ≥ 6.5);
// - closes a connection whose head is not complete within the header timeout (408) and one on which nothing
//   arrives for the idle timeout (between requests, or a stalled body);
// - refuses connections over the per-address and total limits with 503.
// With TLS set (setTls) every connection is a QSslSocket that starts the server handshake at once: QHttpServer and
// the checks above see the decrypted stream, and the limits count connections whether or not they finish the
// handshake (one that never does is closed by the idle timeout).
// Every refusal counts in mf_http_refused_total{reason}. Relies on 6.4's parser holding a socket transaction while
// a request is incomplete (platform-probes-2.md §2): no transaction at our slot = the bytes start a new request.
class GatedTcpServer final : public QTcpServer
{
    Q_OBJECT

public:
    GatedTcpServer(qint64 maxBodyBytes, const HttpLimits &limits, Metrics &metrics, QObject *parent = nullptr);

    // Serve HTTPS with this configuration (certificate and key); call before listen().
    void setTls(const QSslConfiguration &configuration) { m_tls = configuration; }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    class Connection;
    void inspect(QTcpSocket *socket, Connection &connection);
    void refuse(QTcpSocket *socket, Connection *connection, int status, const QByteArray &reason,
                const QByteArray &message);

    qint64 m_maxBody;
    HttpLimits m_limits;
    Metrics &m_metrics;
    ConnectionLimiter m_limiter;
    std::optional<QSslConfiguration> m_tls;
};

} // namespace mf::api
