#include "process/supervisedprocess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;
using mf::process::ChildSpec;
using mf::process::SupervisedProcess;

Q_LOGGING_CATEGORY(lcTest, "mainflux.test.process")

namespace {

// A child run by /bin/sh -c <script>. "Ready" means the script wrote its marker file; the marker is removed before
// every launch, so a restarted child is only ready once it wrote its own.
class ShellChild
{
    QTemporaryDir m_dir; // first: outlives the child, which runs in it

public:
    explicit ShellChild(const QString &script)
    {
        ChildSpec spec;
        spec.name = u"sh-child"_s;
        spec.logFilePath = path(u"child.log"_s);
        spec.readyVerb = u"write its marker"_s;
        spec.readyGerund = u"writing its marker"_s;
        spec.prepare = [this, script](QProcess &p) -> mf::Result<void> {
            QFile::remove(marker());
            QFile launches(path(u"launches"_s));
            if (!launches.open(QIODevice::Append)) return mf::fail(mf::ErrorCode::Internal, launches.errorString());
            launches.write("x");
            p.setArguments({u"-c"_s, script});
            p.setWorkingDirectory(m_dir.path());
            return {};
        };
        spec.answers = [this](int) { return QFile::exists(marker()); };
        spec.port = [] { return quint16(4711); };
        spec.location = [] { return u"in a test"_s; };
        process = std::make_unique<SupervisedProcess>(std::move(spec), lcTest);
        process->setProgram(u"/bin/sh"_s);
    }

    QString path(const QString &name) const { return QDir(m_dir.path()).filePath(name); }
    QString marker() const { return path(u"ready"_s); }
    qsizetype launches() const { return QFileInfo(path(u"launches"_s)).size(); }

    std::unique_ptr<SupervisedProcess> process;
};

// Sleeps in a child of the shell so that SIGTERM runs the trap at once; the trap leaves a file behind.
const QString readyThenSleep = u"touch ready; exec sleep 300"_s;
const QString cleanOnTerm = u"trap 'touch stopped-cleanly; kill $!; exit 0' TERM; sleep 300 & touch ready; wait"_s;

bool alive(qint64 pid)
{
    return pid > 0 && ::kill(pid_t(pid), 0) == 0;
}

} // namespace

class tst_SupervisedProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void findsExecutableOnPath() { QCOMPARE(SupervisedProcess::findExecutable(u"sh"_s).isEmpty(), false); }

    void missingExecutableIsAnError()
    {
        ShellChild child(readyThenSleep);
        child.process->setProgram(child.path(u"no-such-program"_s));
        const auto r = child.process->launch();
        QVERIFY(!r);
        QCOMPARE(r.error().code, mf::ErrorCode::Unavailable);
        QVERIFY2(r.error().message.contains(u"no-such-program"_s), qPrintable(r.error().message));
    }

    void startsAndWaitsUntilReady()
    {
        ShellChild child(readyThenSleep);
        QVERIFY(child.process->launch());
        const auto r = child.process->waitUntilReady(10000);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QVERIFY(child.process->isRunning());
        QVERIFY(child.process->isSupervising());
        QVERIFY(QFile::exists(child.marker()));
        QVERIFY(alive(child.process->processId()));
    }

    void exitBeforeReadyIsAnErrorWithWhatItPrinted()
    {
        ShellChild child(u"echo 'cannot bind: address already in use'; exit 3"_s);
        QVERIFY(child.process->launch());
        const auto r = child.process->waitUntilReady(10000);
        QVERIFY(!r);
        QCOMPARE(r.error().code, mf::ErrorCode::Unavailable);
        const QString message = r.error().message;
        QVERIFY2(message.startsWith(u"sh-child exited with code 3 before writing its marker on port 4711"_s),
                 qPrintable(message));
        QVERIFY2(message.contains(u"cannot bind: address already in use"_s), qPrintable(message));
        QVERIFY(!child.process->isSupervising());
    }

    void childThatNeverAnswersIsKilled()
    {
        ShellChild child(u"exec sleep 300"_s);
        QVERIFY(child.process->launch());
        const qint64 pid = child.process->processId();
        const auto r = child.process->waitUntilReady(300);
        QVERIFY(!r);
        QVERIFY2(r.error().message.startsWith(u"sh-child did not write its marker on port 4711 within 300 ms"_s),
                 qPrintable(r.error().message));
        QVERIFY(!child.process->isRunning());
        QVERIFY(!alive(pid));
    }

    void crashedChildIsRestartedWithGrowingBackoff()
    {
        ShellChild child(readyThenSleep);
        QSignalSpy restarted(child.process.get(), &SupervisedProcess::restarted);
        QSignalSpy failed(child.process.get(), &SupervisedProcess::failed);
        QVERIFY(child.process->launch());
        QVERIFY(child.process->waitUntilReady(10000));

        for (int crash = 1; crash <= 2; ++crash) {
            const qint64 pid = child.process->processId();
            QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
            QTRY_COMPARE_WITH_TIMEOUT(restarted.count(), crash, 20000);
            QCOMPARE(failed.count(), crash);
            const int backoffMs = SupervisedProcess::initialBackoffMs << (crash - 1); // 250, then 500
            const QString reason = failed.at(crash - 1).at(0).toString();
            QVERIFY2(reason.startsWith(u"sh-child was killed or crashed; restarting in %1 ms"_s.arg(backoffMs)),
                     qPrintable(reason));
            QCOMPARE(child.process->restartCount(), crash);
            QVERIFY(child.process->processId() != pid);
            QVERIFY(child.process->isRunning());
            QVERIFY(QFile::exists(child.marker())); // the new child is the one that answered
        }
        QCOMPARE(child.launches(), 3);
    }

    void exitIsReportedWithItsCode()
    {
        ShellChild child(u"if [ -e crashed-once ]; then touch ready; exec sleep 300; fi; "
                         u"touch ready crashed-once; sleep 0.2; exit 7"_s);
        QSignalSpy restarted(child.process.get(), &SupervisedProcess::restarted);
        QSignalSpy failed(child.process.get(), &SupervisedProcess::failed);
        QVERIFY(child.process->launch());
        QVERIFY(child.process->waitUntilReady(10000));
        QTRY_COMPARE_WITH_TIMEOUT(restarted.count(), 1, 20000);
        QVERIFY2(failed.at(0).at(0).toString().startsWith(u"sh-child exited with code 7; restarting in 250 ms"_s),
                 qPrintable(failed.at(0).at(0).toString()));
    }

    void stopEndsTheChildWithSigterm()
    {
        ShellChild child(cleanOnTerm);
        QVERIFY(child.process->launch());
        QVERIFY(child.process->waitUntilReady(10000));
        const qint64 pid = child.process->processId();
        child.process->stop();
        QVERIFY(!child.process->isRunning());
        QVERIFY(!child.process->isSupervising());
        QCOMPARE(child.process->processId(), 0);
        QVERIFY(!alive(pid));
        QVERIFY(QFile::exists(child.path(u"stopped-cleanly"_s))); // it ran its SIGTERM handler
    }

    // A crash followed by stop() before the backoff ran out: no new child. The sentinel is a second supervisor whose
    // child is killed after the stop and restarted twice (250 + 500 ms of backoff, both timers started later than the
    // first supervisor's 250 ms): once it has, the stopped one would have launched long before.
    void noRestartAfterStop()
    {
        ShellChild stopped(readyThenSleep);
        QSignalSpy stoppedFailed(stopped.process.get(), &SupervisedProcess::failed);
        QSignalSpy stoppedRestarted(stopped.process.get(), &SupervisedProcess::restarted);
        QVERIFY(stopped.process->launch());
        QVERIFY(stopped.process->waitUntilReady(10000));
        QCOMPARE(::kill(pid_t(stopped.process->processId()), SIGKILL), 0);
        QTRY_COMPARE(stoppedFailed.count(), 1); // a restart is now scheduled
        stopped.process->stop();

        ShellChild sentinel(readyThenSleep);
        QSignalSpy sentinelRestarted(sentinel.process.get(), &SupervisedProcess::restarted);
        QVERIFY(sentinel.process->launch());
        QVERIFY(sentinel.process->waitUntilReady(10000));
        for (int crash = 1; crash <= 2; ++crash) {
            QCOMPARE(::kill(pid_t(sentinel.process->processId()), SIGKILL), 0);
            QTRY_COMPARE_WITH_TIMEOUT(sentinelRestarted.count(), crash, 20000);
        }

        QCOMPARE(stoppedRestarted.count(), 0);
        QCOMPARE(stopped.launches(), 1);
        QVERIFY(!stopped.process->isRunning());
    }
};

QTEST_GUILESS_MAIN(tst_SupervisedProcess)
#include "tst_supervisedprocess.moc"
