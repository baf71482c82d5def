#pragma once

#include <QByteArray>

class QTcpSocket;

namespace mf::api {

// Sends a final answer and closes so that the client can read it. Closing a TCP socket with unread bytes makes
// the kernel send a reset that discards the answer, and a refused client is usually still sending (a flood, a
// slowloris, a body). So: every other reader of the socket (QHttpServer, the gate) is cut off, what arrives is
// dropped unbuffered, the answer is followed by a FIN (shutdown(SHUT_WR)), and the socket is aborted when the
// client closes too or after `lingerMs` at the latest. The socket's owner still deletes it on disconnected().
void answerAndClose(QTcpSocket *socket, const QByteArray &answer, int lingerMs = 2000);

} // namespace mf::api
