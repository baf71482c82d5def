#pragma once

#include "core/error.h"
#include "httplimits.h"
#include "metrics.h"
#include "router.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QObject>
#include <QSslConfiguration>
#include <optional>

namespace mf::api {

// QHttpServer 6.4 with what it lacks: `Expect: 100-continue` answered (curl otherwise stalls 1 s), bodies over the
// limit refused with 413 before they are buffered, bounded and strictly framed request heads, header and idle
// timeouts and connection limits (GatedTcpServer), answers that reach a client which half-closed after sending, our own routing (404/405, multi-segment parameters), request
// metrics and one debug log line per request (path only: no query string, so no credentials, reach the log).
class HttpServer final : public QObject
{
    Q_OBJECT

public:
    HttpServer(const Router &router, Metrics &metrics, qint64 maxBodyBytes, const HttpLimits &limits = {},
               QObject *parent = nullptr);
    ~HttpServer() override;
    Q_DISABLE_COPY_MOVE(HttpServer)

    // Serve HTTPS on the ports listened to after this call (servertls.h loads and checks the configuration).
    void setTls(const QSslConfiguration &configuration) { m_tls = configuration; }
    bool isTls() const { return m_tls.has_value(); }

    // Port 0 picks a free port; returns the bound port.
    Result<quint16> listen(const QHostAddress &address, quint16 port);

private:
    void handle(const QHttpServerRequest &request, QHttpServerResponder &&responder);

    const Router &m_router;
    Metrics &m_metrics;
    qint64 m_maxBody;
    HttpLimits m_limits;
    QHttpServer m_server;
    std::optional<QSslConfiguration> m_tls;
};

} // namespace mf::api
