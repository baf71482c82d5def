#pragma once

#include <QTcpServer>

namespace mf::api {

// The listening socket handed to QHttpServer. Its readyRead slot runs before QHttpServer's and looks at each
// request's header block once: it answers `Expect: 100-continue` (Qt fixed this only in 6.5, QTBUG-107854) and
// refuses a declared body far over the limit (16×) with 413 and closes, so it is never buffered. Bodies just over
// the limit are read and refused by HttpServer with a normal 413 that every client reads. Drop the Expect part on
// Qt ≥ 6.5. Relies on 6.4's parser holding a socket transaction while a request is incomplete
// (platform-probes-2.md §2).
class GatedTcpServer final : public QTcpServer
{
    Q_OBJECT

public:
    explicit GatedTcpServer(qint64 maxBodyBytes, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void inspect(QTcpSocket *socket);
    qint64 m_maxBody;
};

} // namespace mf::api
