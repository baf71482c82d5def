#include "client/backendprocess.h"
#include "client/restclient.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace Qt::StringLiterals;
using mf::client::BackendProcess;

namespace {
bool alive(qint64 pid)
{
    if (pid <= 0 || ::kill(pid_t(pid), 0) != 0) return false;
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (!stat.open(QIODevice::ReadOnly)) return false;
    const QByteArray text = stat.readAll();
    return text.at(text.lastIndexOf(')') + 2) != 'Z';
}
} // namespace

// The real mainflux-backend binary as the GUI starts it.
class TestBackendProcess : public QObject
{
    Q_OBJECT

private slots:
    void findsTheBuiltBinary();
    void startsAndStops();
    void tlsBackendIsReachedWithItsOwnFingerprint();
    void portWithItsOwnCertificateHasItsOwnFingerprint();
    void adapterPortsAsChosen();
    void stopsWhenDestroyed();
    void keepRunningAndAttach();
    void failureShowsTheReason();
    void missingProgram();
    void timeout();
};

void TestBackendProcess::findsTheBuiltBinary()
{
    const QString dir = QFileInfo(QStringLiteral(MF_BACKEND_PATH)).absolutePath();
    QCOMPARE(BackendProcess::findProgram(dir), QFileInfo(QStringLiteral(MF_BACKEND_PATH)).canonicalFilePath());
    // From the GUI's build directory (app/gui), ../backend/ is searched.
    QCOMPARE(BackendProcess::findProgram(dir + u"/../gui"_s),
             QFileInfo(QStringLiteral(MF_BACKEND_PATH)).canonicalFilePath());
}

void TestBackendProcess::startsAndStops()
{
    QTemporaryDir dir;
    BackendProcess backend;
    backend.setProgram(QStringLiteral(MF_BACKEND_PATH));
    backend.setDataDir(dir.path());
    QSignalSpy ready(&backend, &BackendProcess::ready);
    QSignalSpy logLines(&backend, &BackendProcess::logLines);
    backend.start();
    QCOMPARE(backend.state(), BackendProcess::State::Starting);
    QTRY_COMPARE_WITH_TIMEOUT(backend.state(), BackendProcess::State::Running, 30000);
    QCOMPARE(ready.count(), 1);
    QVERIFY(backend.port(u"http"_s) > 0);
    QVERIFY(backend.port(u"nats"_s) > 0);
    QCOMPARE(backend.readyInfo().value("data_dir"_L1).toString(), dir.path());

    mf::client::RestClient client(backend.httpUrl());
    auto health = client.health().wait();
    QVERIFY(health.has_value());
    QCOMPARE(health->value("status"_L1).toString(), u"pass"_s);
    QTRY_VERIFY(logLines.count() > 0); // the log reaches the Backend page
    QVERIFY(QFile::exists(backend.logFilePath()));

    const qint64 pid = backend.pid();
    QVERIFY(alive(pid));
    backend.stop();
    QTRY_COMPARE_WITH_TIMEOUT(backend.state(), BackendProcess::State::Stopped, 15000);
    QTRY_VERIFY(!alive(pid));
    QVERIFY(!QFile::exists(dir.filePath(u"gui-backend.json"_s)));
}

// With MF_TLS_CERT (here as flags) the bundled backend serves https: the dashboard's "This computer" reaches it at
// https:// and trusts exactly the certificate its ready line names, not any certificate.
void TestBackendProcess::tlsBackendIsReachedWithItsOwnFingerprint()
{
    QTemporaryDir dir;
    QProcess make;
    make.start(QStringLiteral(MF_BACKEND_PATH), {u"--make-dev-cert"_s, dir.filePath(u"tls"_s)});
    QVERIFY(make.waitForFinished(30000));
    QCOMPARE(make.exitCode(), 0);
    BackendProcess backend;
    backend.setProgram(QStringLiteral(MF_BACKEND_PATH));
    backend.setDataDir(dir.filePath(u"data"_s));
    backend.setExtraArguments({u"--services"_s, u"users,things,http"_s, u"--tls-cert"_s,
                               dir.filePath(u"tls/cert.pem"_s), u"--tls-key"_s, dir.filePath(u"tls/key.pem"_s)});
    backend.start();
    QTRY_COMPARE_WITH_TIMEOUT(backend.state(), BackendProcess::State::Running, 30000);
    QCOMPARE(backend.httpUrl().scheme(), u"https"_s);
    QVERIFY2(make.readAllStandardOutput().contains(QByteArray("SHA-256 fingerprint: " + backend.tlsSha256())),
             backend.tlsSha256().constData());

    mf::client::RestClient pinned(backend.httpUrl());
    pinned.setPinnedSha256(backend.tlsSha256());
    auto health = pinned.health().wait();
    QVERIFY2(health.has_value(), health ? "" : qPrintable(health.error().message));
    mf::client::RestClient unpinned(backend.httpUrl()); // the dev CA is not the system's: refused
    QVERIFY(!unpinned.health().wait().has_value());
    backend.stop();
    QTRY_COMPARE_WITH_TIMEOUT(backend.state(), BackendProcess::State::Stopped, 15000);
}

// MF_WS_TLS_CERT (here as flags): the ready line names the WebSocket port's own fingerprint, which the dashboard pins
// there (Session::trustFor); every other port keeps the REST certificate's.
void TestBackendProcess::portWithItsOwnCertificateHasItsOwnFingerprint()
{
    QTemporaryDir dir;
    QByteArray fingerprints[2];
    for (int i = 0; i < 2; ++i) {
        QProcess make;
        make.start(QStringLiteral(MF_BACKEND_PATH), {u"--make-dev-cert"_s, dir.filePath(u"tls%1"_s.arg(i))});
        QVERIFY(make.waitForFinished(30000));
        QCOMPARE(make.exitCode(), 0);
        const QByteArray out = make.readAllStandardOutput();
        fingerprints[i] = out.mid(out.indexOf("SHA-256 fingerprint: ") + 21, 95);
    }
    QVERIFY(fingerprints[0] != fingerprints[1]);
    BackendProcess backend;
    backend.setProgram(QStringLiteral(MF_BACKEND_PATH));
    backend.setDataDir(dir.filePath(u"data"_s));
    backend.setExtraArguments({u"--services"_s, u"users,things,http,ws"_s, u"--tls-cert"_s,
                               dir.filePath(u"tls0/cert.pem"_s), u"--tls-key"_s, dir.filePath(u"tls0/key.pem"_s),
                               u"--ws-tls-cert"_s, dir.filePath(u"tls1/cert.pem"_s), u"--ws-tls-key"_s,
                               dir.filePath(u"tls1/key.pem"_s)});
    backend.start();
    QTRY_COMPARE_WITH_TIMEOUT(backend.state(), BackendProcess::State::Running, 30000);
    QCOMPARE(backend.tlsSha256(), fingerprints[0]);
    QCOMPARE(backend.tlsSha256(u"http"_s), fingerprints[0]);
    QCOMPARE(backend.tlsSha256(u"ws"_s), fingerprints[1]);
    backend.stop();
    QTRY_COMPARE_WITH_TIMEOUT(backend.state(), BackendProcess::State::Stopped, 15000);
}

void TestBackendProcess::adapterPortsAsChosen()
{
    // The ports chosen in Settings reach the backend: WebSocket and MQTT on the given ones, CoAP on any free one.
    QTemporaryDir dir;
    BackendProcess backend;
    backend.setProgram(QStringLiteral(MF_BACKEND_PATH));
    backend.setDataDir(dir.path());
    const int ws = BackendProcess::nextFreePort(21000 + int(QCoreApplication::applicationPid() % 20000));
    const int mqtt = BackendProcess::nextFreePort(ws + 1);
    QVERIFY(ws > 0 && mqtt > 0);
    backend.setAdapterPort(u"ws"_s, ws);
    backend.setAdapterPort(u"mqtt"_s, mqtt);
    backend.setAdapterPort(u"coap"_s, 0);
    backend.start();
    QTRY_COMPARE_WITH_TIMEOUT(backend.state(), BackendProcess::State::Running, 30000);
    QCOMPARE(backend.port(u"ws"_s), ws);
    QCOMPARE(backend.port(u"mqtt"_s), mqtt);
    QVERIFY(backend.port(u"coap"_s) > 0);
    QVERIFY(!BackendProcess::isPortFree(ws)); // really listening there
    QVERIFY(!BackendProcess::isPortFree(mqtt));
    backend.stop();
    QTRY_COMPARE_WITH_TIMEOUT(backend.state(), BackendProcess::State::Stopped, 15000);
}

void TestBackendProcess::stopsWhenDestroyed()
{
    QTemporaryDir dir;
    qint64 pid = 0;
    {
        BackendProcess backend;
        backend.setProgram(QStringLiteral(MF_BACKEND_PATH));
        backend.setDataDir(dir.path());
        backend.start();
        QTRY_COMPARE_WITH_TIMEOUT(backend.state(), BackendProcess::State::Running, 30000);
        pid = backend.pid();
    } // the dashboard exits
    QVERIFY(!alive(pid));
}

void TestBackendProcess::keepRunningAndAttach()
{
    QTemporaryDir dir;
    qint64 pid = 0;
    int port = 0;
    {
        BackendProcess backend;
        backend.setProgram(QStringLiteral(MF_BACKEND_PATH));
        backend.setDataDir(dir.path());
        backend.setKeepRunning(true);
        backend.start();
        QTRY_COMPARE_WITH_TIMEOUT(backend.state(), BackendProcess::State::Running, 30000);
        pid = backend.pid();
        port = backend.port(u"http"_s);
    }
    QVERIFY(alive(pid)); // survived its launcher

    BackendProcess next; // the next dashboard session finds it
    next.setProgram(QStringLiteral(MF_BACKEND_PATH));
    next.setDataDir(dir.path());
    next.start();
    QCOMPARE(next.state(), BackendProcess::State::Running);
    QVERIFY(next.isAttached());
    QCOMPARE(next.pid(), pid);
    QCOMPARE(next.port(u"http"_s), port);
    QVERIFY(mf::client::RestClient(next.httpUrl()).health().wait().has_value());
    next.stop();
    QTRY_COMPARE_WITH_TIMEOUT(next.state(), BackendProcess::State::Stopped, 15000);
    QVERIFY(!alive(pid));
}

void TestBackendProcess::failureShowsTheReason()
{
    QTemporaryDir dir;
    BackendProcess backend;
    backend.setProgram(QStringLiteral(MF_BACKEND_PATH));
    backend.setDataDir(dir.path());
    backend.setExtraArguments({u"--log-level"_s, u"loud"_s});
    QSignalSpy failed(&backend, &BackendProcess::failed);
    backend.start();
    QTRY_COMPARE_WITH_TIMEOUT(backend.state(), BackendProcess::State::Failed, 15000);
    QCOMPARE(failed.count(), 1);
    const QString reason = backend.failureReason();
    QVERIFY2(reason.contains(u"exited with code 2 before it was ready"_s), qPrintable(reason));
    QVERIFY2(reason.contains(u"loud"_s), qPrintable(reason)); // the backend's own words
    QVERIFY(!backend.logTail().isEmpty());
    QVERIFY(backend.logTail().last().contains(u"loud"_s));
}

void TestBackendProcess::missingProgram()
{
    QTemporaryDir dir;
    BackendProcess backend;
    backend.setProgram(dir.filePath(u"no-such-backend"_s));
    backend.setDataDir(dir.path());
    backend.start();
    QTRY_COMPARE(backend.state(), BackendProcess::State::Failed);
    QVERIFY2(backend.failureReason().contains(u"cannot start"_s), qPrintable(backend.failureReason()));
}

void TestBackendProcess::timeout()
{
    QTemporaryDir dir;
    const QString script = dir.filePath(u"silent-backend"_s);
    QFile file(script);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("#!/bin/sh\necho 'starting slowly' >&2\nexec sleep 30\n");
    file.close();
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    BackendProcess backend;
    backend.setProgram(script);
    backend.setDataDir(dir.filePath(u"data"_s));
    backend.setStartTimeout(1000);
    backend.start();
    QTRY_COMPARE_WITH_TIMEOUT(backend.state(), BackendProcess::State::Failed, 10000);
    QVERIFY2(backend.failureReason().contains(u"did not become ready within 1 s"_s),
             qPrintable(backend.failureReason()));
    QCOMPARE(backend.logTail(), QStringList{u"starting slowly"_s});
}

QTEST_GUILESS_MAIN(TestBackendProcess)
#include "tst_backendprocess.moc"
