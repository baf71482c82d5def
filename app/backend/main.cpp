// mainflux-backend: every service of the platform in one process (or the subset MF_SERVICES names).
#include "backend.h"
#include "config.h"
#include "core/unixsignals.h"
#include "devcertificate.h"
#include "runtime.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QProcessEnvironment>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

void print(FILE *stream, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stream);
    std::fflush(stream);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"mainflux"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(MF_VERSION));

    QStringList args = app.arguments().mid(1);
    if (args.contains(u"--help"_s) || args.contains(u"-h"_s)) {
        print(stdout, u"Usage: mainflux-backend [--setting value]...\n\nRuns the Mainflux platform services. When "
                      "ready it prints one JSON line on stdout with every bound port.\n\n"
                      "  --make-dev-cert DIR\n      Write a certificate pair for labs (DIR/cert.pem, DIR/key.pem and "
                      "the CA clients trust, DIR/ca.pem) for localhost and this host, and exit.\n\n"_s +
                          mf::backend::Config::helpText());
        return 0;
    }
    if (const qsizetype at = args.indexOf(u"--make-dev-cert"_s); at >= 0) {
        if (at + 1 >= args.size() || args.size() != 2) {
            print(stderr, u"mainflux-backend: usage: mainflux-backend --make-dev-cert DIR\n"_s);
            return 2;
        }
        auto made = mf::backend::makeDevCertificate(args[at + 1]);
        if (!made) {
            print(stderr, u"mainflux-backend: %1\n"_s.arg(made.error().message));
            return 1;
        }
        print(stdout,
              u"Wrote a development certificate for %1\n  server certificate  %2\n  private key (0600)  %3\n"
              "  CA for clients      %4\nSHA-256 fingerprint: %5\n\nStart the backend with it:\n  "
              "MF_TLS_CERT=%2 MF_TLS_KEY=%3 mainflux-backend\nand let clients trust the CA:\n  curl --cacert %4 "
              "https://localhost:8180/health\n  mainflux-cli --ca %4 -m https://localhost:8180 version\n"
              "Only for labs and tests: anyone who trusts this CA trusts this server.\n"_s.arg(
                  made->names.join(u", "_s), made->certFile, made->keyFile, made->caFile, made->sha256));
        return 0;
    }
    if (args.contains(u"--version"_s) || args.contains(u"-v"_s)) {
        print(stdout, u"mainflux-backend %1\n"_s.arg(QStringLiteral(MF_VERSION)));
        return 0;
    }

    QHash<QString, QString> env;
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    for (const QString &key : system.keys())
        if (key.startsWith("MF_"_L1))
            env.insert(key, system.value(key));
    auto config = mf::backend::Config::load(args, env);
    if (!config) {
        print(stderr, u"mainflux-backend: %1\n"_s.arg(config.error().message));
        return 2;
    }
    mf::backend::setUpLogging(config->value(u"MF_LOG_LEVEL"_s), config->value(u"MF_LOG_FORMAT"_s));

    mf::UnixSignalWatcher signalWatcher;
    mf::backend::Backend backend(*config);
    // SIGTERM while start() waits for NATS or the database ends the wait.
    QObject::connect(&signalWatcher, &mf::UnixSignalWatcher::terminationRequested, &backend,
                     [&backend] { backend.stop(); });
    if (auto started = backend.start(); !started) {
        if (backend.stopRequested()) {
            qInfo("stopped while starting: %s", qPrintable(started.error().message));
            return 0;
        }
        print(stderr, u"mainflux-backend: %1\n"_s.arg(started.error().message));
        return 1;
    }
    QObject::connect(&signalWatcher, &mf::UnixSignalWatcher::terminationRequested, &app, [](int number) {
        qInfo("received signal %d, shutting down", number);
        QCoreApplication::quit();
    });
    print(stdout, QString::fromUtf8(QJsonDocument(backend.readyInfo()).toJson(QJsonDocument::Compact)) + u'\n');
    const int code = app.exec();
    qInfo("stopped");
    return code;
}
