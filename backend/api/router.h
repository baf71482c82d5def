#pragma once

#include "apirequest.h"
#include "apiresponse.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QPointer>
#include <QTcpSocket>

#include <functional>
#include <memory>

namespace mf::api {

// Answers a request later (e.g. when a JetStream ack arrives). QHttpServer 6.4 crashes when a deferred responder
// writes to a deleted socket, so the socket is guarded. A client that half-closes after its request (`nc -N`,
// shutdown(SHUT_WR)) still gets the answer: Qt closes the socket as soon as it reads the EOF, so the reply keeps a
// duplicate of the descriptor (the connection stays open until both are closed) and writes the answer, with
// `Connection: close`, through it when the QTcpSocket is gone.
class DeferredReply final
{
public:
    explicit DeferredReply(QHttpServerResponder &&responder);
    void send(const ApiResponse &response) const;
    bool isOpen() const;

private:
    struct State;
    std::shared_ptr<State> m_state;
};

// Routes with `{name}` (one path segment) and a final `{name...}` (the rest of the path) parameters. Unknown paths
// get 404 and known paths with another method 405 with an Allow header, both with JSON error bodies.
class Router final
{
public:
    using Handler = std::function<ApiResponse(const ApiRequest &)>;
    using AsyncHandler = std::function<void(const ApiRequest &, DeferredReply)>;
    using Method = QHttpServerRequest::Method;

    struct RouteInfo
    {
        QString method; // "GET", "POST", ...
        QString pattern;
    };

    void add(Method method, const QString &pattern, Handler handler);
    void addAsync(Method method, const QString &pattern, AsyncHandler handler);
    QList<RouteInfo> routes() const;

    // What dispatch() decides for a method and a percent-encoded path: the matched route's pattern and its path
    // parameters, or (pattern empty) the methods the path allows, none when no route matches it.
    struct Resolution
    {
        qsizetype route = -1; // index into the routes, -1 when none matched with this method
        QString pattern;
        QHash<QString, QString> params;
        QStringList allowed;
    };
    Resolution resolve(Method method, const QString &encodedPath) const;

    // Runs the matching handler and writes its response; `routePattern` receives the matched pattern (for metrics)
    // and the status written (0 for async handlers).
    void dispatch(const QHttpServerRequest &request, QHttpServerResponder &&responder, QString *routePattern,
                  int *status) const;

    static void write(QHttpServerResponder &responder, const ApiResponse &response);

private:
    struct Route
    {
        Method method;
        QString pattern;
        QStringList segments;
        Handler handler;
        AsyncHandler asyncHandler;
    };
    void addRoute(Route route);
    static bool match(const Route &route, const QStringList &segments, QHash<QString, QString> *params);

    QList<Route> m_routes;
};

QString methodName(QHttpServerRequest::Method method);

} // namespace mf::api
