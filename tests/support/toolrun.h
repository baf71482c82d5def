#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

namespace mf::testing {

// What a command-line client (curl, mosquitto_pub, coap-client …) did.
struct ToolRun
{
    bool started = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString all() const { return QString::fromUtf8(out + err); }
};

// Runs a client to the end while this thread's event loop keeps serving (a backend may be in this process); a client
// still running after a minute is killed (only to end a hung run: no assertion depends on how fast it is).
ToolRun runTool(const QString &program, const QStringList &args, const QHash<QString, QString> &env = {});

// The path of an installed program; empty (with a warning naming scripts/install-deps.sh) when it is missing.
QString tool(const QString &name);

} // namespace mf::testing
