#include "router.h"

#include <QUrl>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace mf::api {

QString methodName(QHttpServerRequest::Method method)
{
    using M = QHttpServerRequest::Method;
    switch (method) {
    case M::Get: return u"GET"_s;
    case M::Put: return u"PUT"_s;
    case M::Delete: return u"DELETE"_s;
    case M::Post: return u"POST"_s;
    case M::Head: return u"HEAD"_s;
    case M::Options: return u"OPTIONS"_s;
    case M::Patch: return u"PATCH"_s;
    case M::Connect: return u"CONNECT"_s;
    case M::Trace: return u"TRACE"_s;
    default: return u"UNKNOWN"_s;
    }
}

struct DeferredReply::State
{
    std::unique_ptr<QHttpServerResponder> responder;
    QPointer<QTcpSocket> socket;
    int fd = -1; // dup() of the socket's descriptor, closed once answered (or when the last copy goes)
    bool sent = false;
    ~State()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

DeferredReply::DeferredReply(QHttpServerResponder &&responder) : m_state(std::make_shared<State>())
{
    m_state->socket = qobject_cast<QTcpSocket *>(responder.socket());
    if (m_state->socket && m_state->socket->socketDescriptor() >= 0)
        m_state->fd = ::fcntl(int(m_state->socket->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
    m_state->responder = std::make_unique<QHttpServerResponder>(std::move(responder));
}

bool DeferredReply::isOpen() const
{
    return m_state->socket && m_state->socket->state() == QAbstractSocket::ConnectedState;
}

void DeferredReply::send(const ApiResponse &response) const
{
    if (m_state->sent)
        return;
    m_state->sent = true;
    if (isOpen()) {
        Router::write(*m_state->responder, response);
        m_state->socket->flush(); // into the kernel now: a half-close read next would close the socket first
    } else if (m_state->fd >= 0) {
        QByteArray raw = "HTTP/1.1 " + QByteArray::number(response.status) + " \r\n";
        if (!response.contentType.isEmpty())
            raw += "Content-Type: " + response.contentType + "\r\n";
        for (const auto &[name, value] : response.headers)
            raw += name + ": " + value + "\r\n";
        raw += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\nConnection: close\r\n\r\n" +
               response.body;
        // Best effort, never blocking: a small answer fits the kernel's buffer; a peer that is gone gets nothing.
        (void)::send(m_state->fd, raw.constData(), size_t(raw.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    if (m_state->fd >= 0) {
        ::close(m_state->fd);
        m_state->fd = -1;
    }
}

namespace {

QStringList splitPath(const QString &encodedPath)
{
    QStringList segments;
    for (const QString &raw : encodedPath.split(u'/', Qt::SkipEmptyParts))
        segments.append(QUrl::fromPercentEncoding(raw.toUtf8()));
    return segments;
}

} // namespace

void Router::add(Method method, const QString &pattern, Handler handler)
{
    addRoute(Route{method, pattern, pattern.split(u'/', Qt::SkipEmptyParts), std::move(handler), {}});
}

void Router::addAsync(Method method, const QString &pattern, AsyncHandler handler)
{
    addRoute(Route{method, pattern, pattern.split(u'/', Qt::SkipEmptyParts), {}, std::move(handler)});
}

void Router::addRoute(Route route)
{
    m_routes.append(std::move(route));
}

QList<Router::RouteInfo> Router::routes() const
{
    QList<RouteInfo> out;
    for (const Route &r : m_routes)
        out.append(RouteInfo{methodName(r.method), r.pattern});
    return out;
}

bool Router::match(const Route &route, const QStringList &segments, QHash<QString, QString> *params)
{
    params->clear();
    for (qsizetype i = 0; i < route.segments.size(); ++i) {
        const QString &want = route.segments[i];
        if (want.startsWith(u'{') && want.endsWith(u"...}"_s)) {
            params->insert(want.mid(1, want.size() - 5), segments.mid(i).join(u'/'));
            return true;
        }
        if (i >= segments.size())
            return false;
        if (want.startsWith(u'{') && want.endsWith(u'}'))
            params->insert(want.mid(1, want.size() - 2), segments[i]);
        else if (want != segments[i])
            return false;
    }
    return route.segments.size() == segments.size();
}

void Router::write(QHttpServerResponder &responder, const ApiResponse &response)
{
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(response.status));
    if (!response.contentType.isEmpty())
        responder.writeHeader("Content-Type", response.contentType);
    for (const auto &[name, value] : response.headers)
        responder.writeHeader(name, value);
    responder.writeHeader("Content-Length", QByteArray::number(response.body.size()));
    responder.writeBody(response.body);
}

Router::Resolution Router::resolve(Method method, const QString &encodedPath) const
{
    const QStringList segments = splitPath(encodedPath);
    Resolution resolution;
    for (qsizetype i = 0; i < m_routes.size(); ++i) {
        const Route &route = m_routes[i];
        if (!match(route, segments, &resolution.params))
            continue;
        if (route.method != method) {
            resolution.allowed.append(methodName(route.method));
            continue;
        }
        resolution.route = i;
        resolution.pattern = route.pattern;
        return resolution;
    }
    resolution.params.clear();
    return resolution;
}

void Router::dispatch(const QHttpServerRequest &request, QHttpServerResponder &&responder, QString *routePattern,
                      int *status) const
{
    Resolution resolution = resolve(request.method(), request.url().path(QUrl::FullyEncoded));
    if (resolution.route >= 0) {
        const Route &route = m_routes[resolution.route];
        *routePattern = route.pattern;
        const ApiRequest apiRequest(request, std::move(resolution.params));
        if (route.asyncHandler) {
            *status = 0;
            route.asyncHandler(apiRequest, DeferredReply(std::move(responder)));
            return;
        }
        const ApiResponse response = route.handler(apiRequest);
        *status = response.status;
        write(responder, response);
        return;
    }
    const QStringList &allowed = resolution.allowed;
    ApiResponse response = allowed.isEmpty()
                               ? ApiResponse::error(ErrorCode::NotFound, u"no such route"_s)
                               : ApiResponse::json(QJsonObject{{u"error"_s, u"method not allowed"_s}}, 405)
                                     .withHeader("Allow", allowed.join(u", "_s).toLatin1());
    *routePattern = allowed.isEmpty() ? u"unmatched"_s : u"method-not-allowed"_s;
    *status = response.status;
    write(responder, response);
}

} // namespace mf::api
