#include "gatedtcpserver.h"

#include <QTcpSocket>
#include <QVariant>

namespace mf::api {

namespace {
constexpr char HeaderProperty[] = "mf_pending_header";
constexpr qsizetype MaxHeaderBytes = 65536;
} // namespace

GatedTcpServer::GatedTcpServer(qint64 maxBodyBytes, QObject *parent) : QTcpServer(parent), m_maxBody(maxBodyBytes)
{
}

void GatedTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { inspect(socket); }); // before QHttpServer's
    addPendingConnection(socket);
}

void GatedTcpServer::inspect(QTcpSocket *socket)
{
    QByteArray head;
    if (socket->isTransactionStarted()) { // QHttpServer is inside a request
        const QVariant pending = socket->property(HeaderProperty);
        if (!pending.isValid())
            return; // reading a body: nothing to look at
        head = pending.toByteArray();
    }
    const qint64 available = socket->bytesAvailable();
    head += socket->peek(qMin<qint64>(available, MaxHeaderBytes));
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0) {
        socket->setProperty(HeaderProperty, head.size() > MaxHeaderBytes ? QVariant() : QVariant(head));
        return;
    }
    socket->setProperty(HeaderProperty, QVariant());
    head.truncate(end);
    const QList<QByteArray> lines = head.split('\n');
    const bool http11 = lines.first().trimmed().endsWith("HTTP/1.1");
    bool expectContinue = false, hasBody = false;
    qint64 contentLength = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed().toLower();
        if (name == "expect" && value == "100-continue")
            expectContinue = true;
        else if (name == "content-length") {
            contentLength = value.toLongLong();
            hasBody = hasBody || contentLength > 0;
        } else if (name == "transfer-encoding" && value.contains("chunked"))
            hasBody = true;
    }
    if (contentLength > m_maxBody * 16) {
        const QByteArray body =
            "{\"error\":\"request body larger than " + QByteArray::number(m_maxBody) + " bytes\"}";
        socket->write("HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\nConnection: close\r\n"
                      "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        socket->disconnectFromHost(); // flushes the 413, then closes; QHttpServer deletes the socket
        socket->readAll();            // drop what arrived so QHttpServer's slot sees nothing to parse
        return;
    }
    if (http11 && expectContinue && hasBody)
        socket->write("HTTP/1.1 100 Continue\r\n\r\n");
}

} // namespace mf::api
