#include "livestream.h"

#include <QJsonDocument>
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

QUrl LiveStream::streamUrl(const QUrl &wsBase, const QString &channelId, const QString &token)
{
    QUrl url = wsBase;
    if (url.scheme() == "http"_L1) url.setScheme(u"ws"_s);
    if (url.scheme() == "https"_L1) url.setScheme(u"wss"_s);
    QString base = url.path(QUrl::FullyEncoded);
    while (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + u"/channels/"_s + QString::fromLatin1(QUrl::toPercentEncoding(channelId)) + u"/messages"_s,
                QUrl::TolerantMode);
    QUrlQuery query;
    query.addQueryItem(u"authorization"_s, QString::fromLatin1(QUrl::toPercentEncoding(token)));
    url.setQuery(query.query(QUrl::FullyEncoded), QUrl::TolerantMode);
    return url;
}

void LiveStream::open(const QUrl &wsBase, const QString &channelId, const QString &token)
{
    close();
    m_url = streamUrl(wsBase, channelId, token);
    m_delayMs = 1000;
    m_everConnected = false;
    m_lastError.clear();
    connectNow();
}

void LiveStream::close()
{
    m_retry.stop();
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
            [this](QAbstractSocket::SocketError) { m_lastError = m_socket->errorString(); });
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
        if (!doc.isObject()) return;
        const QList<LiveRecord> records = recordsFromStreamFrame(doc.object());
        if (!records.isEmpty()) Q_EMIT recordsReceived(records);
    });
    setState(m_everConnected ? State::Reconnecting : State::Connecting);
    m_socket->open(m_url);
}

void LiveStream::scheduleReconnect(const QString &why)
{
    if (m_state == State::Closed) return;
    m_lastError = why.isEmpty() ? m_lastError : why;
    Q_EMIT connectionFailed(m_lastError);
    setState(State::Reconnecting);
    m_retry.start(m_delayMs);
    m_delayMs = std::min(m_delayMs * 2, MaxDelayMs);
}

void LiveStream::setState(State state)
{
    if (m_state == state) return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace mf::client
