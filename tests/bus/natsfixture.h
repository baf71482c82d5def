#pragma once

// Test support: a real nats-server (with JetStream) on a free port in a temporary directory.

#include "bus/natsserverprocess.h"

#include <QTemporaryDir>
#include <memory>

namespace mf::bus::test {

class NatsFixture final
{
public:
    Result<void> start()
    {
        if (!m_dir.isValid()) return fail(ErrorCode::Internal, QStringLiteral("cannot create a temporary directory"));
        m_server = std::make_unique<NatsServerProcess>(m_dir.path());
        return m_server->start();
    }
    NatsServerProcess *server() const { return m_server.get(); }
    QString url() const { return m_server ? m_server->url() : QString(); }
    QString dataDir() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<NatsServerProcess> m_server;
};

} // namespace mf::bus::test
