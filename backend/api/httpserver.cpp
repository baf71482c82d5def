#include "httpserver.h"

#include "gatedtcpserver.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcHttp, "mainflux.http")

namespace mf::api {

HttpServer::HttpServer(const Router &router, Metrics &metrics, qint64 maxBodyBytes, const HttpLimits &limits,
                       QObject *parent)
    : QObject(parent), m_router(router), m_metrics(metrics), m_maxBody(maxBodyBytes), m_limits(limits)
{
    m_server.setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        handle(request, std::move(responder));
    });
}

HttpServer::~HttpServer() = default;

Result<quint16> HttpServer::listen(const QHostAddress &address, quint16 port)
{
    auto *tcp = new GatedTcpServer(m_maxBody, m_limits, m_metrics);
    if (m_tls) tcp->setTls(*m_tls);
    if (!tcp->listen(address, port)) {
        const QString reason = tcp->errorString();
        delete tcp;
        return fail(ErrorCode::Unavailable, u"cannot listen on %1:%2: %3"_s.arg(address.toString()).arg(port).arg(reason));
    }
    const quint16 bound = tcp->serverPort();
    m_server.bind(tcp); // QHttpServer takes ownership
    return bound;
}

void HttpServer::handle(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    QElapsedTimer timer;
    timer.start();
    QString route;
    int status = 0;
    const QPointer<QTcpSocket> socket = qobject_cast<QTcpSocket *>(responder.socket());
    if (request.body().size() > m_maxBody) { // chunked bodies are only known once read
        route = u"too-large"_s;
        const ApiResponse response =
            ApiResponse::error(ErrorCode::TooLarge, u"request body larger than %1 bytes"_s.arg(m_maxBody));
        status = response.status;
        Router::write(responder, response);
    } else {
        m_router.dispatch(request, std::move(responder), &route, &status);
    }
    // An answer written now goes to the kernel now: if the client half-closed after sending, Qt reads the EOF next
    // and closes the socket, dropping whatever is still in its write buffer.
    if (status != 0 && socket)
        socket->flush();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    const QByteArray method = methodName(request.method()).toLatin1();
    const QByteArray labels = "method=\"" + method + "\",route=\"" + route.toUtf8() + '"';
    m_metrics.increment("mf_http_requests_total", labels + ",status=\"" + QByteArray::number(status) + '"');
    m_metrics.observe("mf_http_request_duration_seconds", labels, seconds);
    qCDebug(lcHttp).noquote() << method << request.url().path() << status << u"%1 ms"_s.arg(seconds * 1000, 0, 'f', 2);
}

} // namespace mf::api
