#include "answerandclose.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>
#include <sys/socket.h>

namespace mf::api {

void answerAndClose(QTcpSocket *socket, const QByteArray &answer, int lingerMs)
{
    QObject::disconnect(socket, &QIODevice::readyRead, nullptr, nullptr);
    if (socket->isTransactionStarted())
        socket->commitTransaction(); // QHttpServer's: what it kept for a rollback is freed
    socket->readAll();
    const auto drop = [socket] { socket->readAll(); };
    QObject::connect(socket, &QIODevice::readyRead, socket, drop);
    socket->write(answer);
    socket->flush();
    if (qobject_cast<QSslSocket *>(socket)) {
        // TLS: no half-close under the record layer; Qt writes what is pending, then close_notify, then closes.
        socket->disconnectFromHost();
        QTimer::singleShot(lingerMs, socket, [socket] { socket->abort(); });
        return;
    }
    const auto finish = [socket] {
        if (socket->state() == QAbstractSocket::ConnectedState && socket->bytesToWrite() == 0)
            ::shutdown(int(socket->socketDescriptor()), SHUT_WR); // the answer, then FIN; reading goes on
    };
    if (socket->bytesToWrite() == 0)
        finish();
    else
        QObject::connect(socket, &QIODevice::bytesWritten, socket, finish);
    QTimer::singleShot(lingerMs, socket, [socket] { socket->abort(); });
}

} // namespace mf::api
