#include "livestream.h"

#include "httpstatus.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace mf::client {

namespace {
constexpr int MaxDelayMs = 30000;
}

LiveStream::LiveStream(QObject *parent) : QObject(parent)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &LiveStream::connectNow);
}

LiveStream::~LiveStream()
{
    close();
}

QUrl LiveStream::streamUrl(const QUrl &wsBase, const QString &channelId, const QString &token,
                           const Options &options)
{
    QUrl url = wsBase;
    if (url.scheme() == "http"_L1) url.setScheme(u"ws"_s);
    if (url.scheme() == "https"_L1) url.setScheme(u"wss"_s);
    QString base = url.path(QUrl::FullyEncoded);
    while (base.endsWith(u'/'))
        base.chop(1);
    QString path = base + u"/channels/"_s + QString::fromLatin1(QUrl::toPercentEncoding(channelId)) + u"/messages"_s;
    for (const QString &part : options.subtopic.split(u'/', Qt::SkipEmptyParts))
        path += u'/' + QString::fromLatin1(QUrl::toPercentEncoding(part));
    url.setPath(path, QUrl::TolerantMode);
    QUrlQuery query;
    query.addQueryItem(u"authorization"_s, QString::fromLatin1(QUrl::toPercentEncoding(token)));
    if (options.envelope) query.addQueryItem(u"format"_s, u"envelope"_s);
    url.setQuery(query.query(QUrl::FullyEncoded), QUrl::TolerantMode);
    return url;
}

QUrl LiveStream::eventsUrl(const QUrl &wsBase, const QString &token)
{
    QUrl url = streamUrl(wsBase, u"-"_s, token);
    QString path = url.path(QUrl::FullyEncoded);
    path.chop(QStringView(u"/channels/-/messages").size());
    url.setPath(path + u"/events"_s, QUrl::TolerantMode);
    return url;
}

void LiveStream::open(const QUrl &wsBase, const QString &channelId, const QString &token, const Options &options)
{
    openUrl(streamUrl(wsBase, channelId, token, options), options);
}

void LiveStream::openEvents(const QUrl &wsBase, const QString &token)
{
    openUrl(eventsUrl(wsBase, token), {});
}

void LiveStream::openUrl(const QUrl &url, const Options &options)
{
    close();
    m_options = options;
    m_url = url;
    m_delayMs = 1000;
    m_everConnected = false;
    m_lastError.clear();
    connectNow();
}

void LiveStream::close()
{
    m_retry.stop();
    m_probing = false;
    if (m_probe) {
        m_probe->deleteLater();
        m_probe = nullptr;
    }
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    setState(State::Closed);
}

void LiveStream::connectNow()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->deleteLater();
    }
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    connect(m_socket, &QWebSocket::connected, this, [this] {
        m_delayMs = 1000;
        m_everConnected = true;
        setState(State::Open);
    });
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        const QString why = m_socket ? m_socket->closeReason() : QString();
        scheduleReconnect(why.isEmpty() ? (m_socket ? m_socket->errorString() : QString()) : why);
    });
    // Qt 6.4 has no QWebSocket::errorOccurred; `error` is the signal.
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) {
                m_lastError = m_socket->errorString();
                // A refused TCP connection may end here without `disconnected`.
                if (m_options.failFast && !m_everConnected) failFirstAttempt();
            });
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
        if (!doc.isObject()) return;
        Q_EMIT frameReceived(doc.object());
        const QList<LiveRecord> records = recordsFromStreamFrame(doc.object());
        if (!records.isEmpty()) Q_EMIT recordsReceived(records);
    });
    applyTrust(m_socket, m_trust,
               [this](const QSslCertificate &certificate) { Q_EMIT certificateRefused(certificate); });
    setState(m_everConnected ? State::Reconnecting : State::Connecting);
    m_socket->open(m_url);
}

void LiveStream::scheduleReconnect(const QString &why)
{
    if (m_state == State::Closed) return;
    m_lastError = why.isEmpty() ? m_lastError : why;
    if (m_options.failFast && !m_everConnected) {
        failFirstAttempt();
        return;
    }
    Q_EMIT connectionFailed(m_lastError);
    setState(State::Reconnecting);
    m_retry.start(m_delayMs);
    m_delayMs = std::min(m_delayMs * 2, MaxDelayMs);
}

// QWebSocket (Qt 6.4) reports a refused handshake only as "Unhandled http status code: 401"; the adapter's reason is
// in the body of its answer. Ask once more with a plain HTTP request carrying the upgrade headers and read it.
void LiveStream::failFirstAttempt()
{
    if (m_probing || m_state == State::Closed) return;
    m_probing = true;
    m_retry.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    QUrl url = m_url;
    url.setScheme(url.scheme() == "wss"_L1 ? u"https"_s : u"http"_s);
    QNetworkRequest request(url);
    request.setTransferTimeout(10000);
    request.setRawHeader("Connection", "Upgrade");
    request.setRawHeader("Upgrade", "websocket");
    request.setRawHeader("Sec-WebSocket-Version", "13");
    request.setRawHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    if (!m_probe) m_probe = new QNetworkAccessManager(this);
    if (url.scheme() == "https"_L1) request.setSslConfiguration(m_trust.configuration());
    QNetworkReply *reply = m_probe->get(request);
    applyTrust(reply, m_trust, {});
    const QString socketError = m_lastError;
    const QString where = m_url.toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo);
    connect(reply, &QNetworkReply::finished, this, [this, reply, socketError, where] {
        reply->deleteLater();
        if (!m_probing) return;
        m_probing = false;
        const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        Error error{ErrorCode::Unavailable, QString()};
        if (!statusAttribute.isValid()) {
            const QString problem = reply->error() == QNetworkReply::ConnectionRefusedError
                                        ? u"connection refused"_s
                                        : reply->errorString();
            error.message = u"cannot reach %1: %2"_s.arg(where, problem);
        } else if (const int status = statusAttribute.toInt(); status != 101) {
            const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
            QString message = body.value("error"_L1).toString();
            if (message.isEmpty())
                message = u"HTTP %1 %2"_s.arg(status).arg(
                    reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
            error = Error{errorCodeForStatus(status), message};
        } else {
            error.message = u"cannot open %1: %2"_s.arg(where, socketError);
        }
        m_lastError = error.message;
        setState(State::Closed);
        Q_EMIT refused(error);
    });
}

void LiveStream::setState(State state)
{
    if (m_state == state) return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace mf::client
