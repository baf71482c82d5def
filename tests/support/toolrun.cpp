#include "toolrun.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTest>

namespace mf::testing {

ToolRun runTool(const QString &program, const QStringList &args, const QHash<QString, QString> &env)
{
    constexpr int SafetyTimeoutMs = 60000;
    ToolRun run;
    QProcess process;
    if (!env.isEmpty()) {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (auto it = env.cbegin(); it != env.cend(); ++it)
            environment.insert(it.key(), it.value());
        process.setProcessEnvironment(environment);
    }
    process.start(program, args);
    run.started = process.waitForStarted(5000);
    if (!run.started) return run;
    QDeadlineTimer deadline(SafetyTimeoutMs);
    while (process.state() != QProcess::NotRunning && !deadline.hasExpired())
        QTest::qWait(10);
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished();
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QString tool(const QString &name)
{
    QString path = QStandardPaths::findExecutable(name);
    if (path.isEmpty()) qWarning("%s is not installed (scripts/install-deps.sh)", qPrintable(name));
    return path;
}

} // namespace mf::testing
