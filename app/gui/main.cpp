// mainflux: the desktop dashboard. Launches the bundled backend ("This computer") or connects to a remote one, and
// composes the main window. Everything else lives in ui/ and backend/client.
#include "client/backendprocess.h"
#include "mainwindow.h"
#include "settingsdialog.h"
#include "models/session.h"
#include "models/tokenstore.h"

#include "core/unixsignals.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QProcessEnvironment>
#include <QSettings>
#include <QStandardPaths>
#include <QTranslator>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"mainflux"_s);
    QApplication::setApplicationName(u"mainflux"_s);
    QApplication::setApplicationDisplayName(u"Mainflux"_s);
    QApplication::setApplicationVersion(QStringLiteral(MF_VERSION));
    QApplication::setDesktopFileName(u"mainflux"_s);

    QSettings settings;
    const QString language = settings.value(u"language"_s).toString();
    const QLocale locale = language.isEmpty() ? QLocale() : QLocale(language);
    QLocale::setDefault(locale);
    QTranslator qtTranslator, appTranslator;
    if (qtTranslator.load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    if (appTranslator.load(locale, u"mainflux"_s, u"_"_s, u":/i18n"_s)) QApplication::installTranslator(&appTranslator);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Mainflux IoT platform dashboard"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption profileOption(u"profile"_s, QApplication::translate("main", "Open this profile id."),
                                           u"id"_s);
    const QCommandLineOption dataDirOption(
        u"data-dir"_s, QApplication::translate("main", "Data directory of the bundled backend."), u"dir"_s);
    const QCommandLineOption backendOption(
        u"backend"_s, QApplication::translate("main", "Path of the mainflux-backend program."), u"path"_s);
    parser.addOptions({profileOption, dataDirOption, backendOption});
    parser.process(app);

    mf::client::BackendProcess backend;
    backend.setProgram(parser.isSet(backendOption)
                           ? parser.value(backendOption)
                           : mf::client::BackendProcess::findProgram(QApplication::applicationDirPath()));
    backend.setDataDir(
        parser.isSet(dataDirOption)
            ? parser.value(dataDirOption)
            : settings.value(u"backend/dataDir"_s, mf::client::BackendProcess::defaultDataDir()).toString());
    backend.setKeepRunning(settings.value(u"backend/keepRunning"_s, false).toBool());
    // The REST port: the remembered one, else 8180 (what the README's curl and CLI examples use) or the next free one
    // (MainWindow remembers what the backend got). A remembered port that is taken is reported, with another offered.
    const QVariant rememberedPort = settings.value(u"backend/httpPort"_s);
    backend.setHttpPort(rememberedPort.isValid() ? rememberedPort.toInt() : 8180);
    backend.setFindFreePort(!rememberedPort.isValid());
    // The adapters' ports chosen in Settings (unset: the backend's defaults).
    for (const QString &adapter : {u"ws"_s, u"mqtt"_s, u"mqtt_ws"_s, u"coap"_s})
        if (const QVariant port = settings.value(mf::ui::backendPortKey(adapter)); port.isValid())
            backend.setAdapterPort(adapter, port.toInt());

    mf::ui::TokenStore tokens(u"mainflux"_s, QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation));
    const QString forced = QProcessEnvironment::systemEnvironment().value(u"MF_TOKEN_STORE"_s);
    tokens.setMode(mf::ui::TokenStore::modeFromString(
        forced.isEmpty() ? settings.value(u"tokens/store"_s, u"automatic"_s).toString() : forced));

    mf::ui::Session session(&backend, &tokens);
    mf::ui::MainWindow window(&session, settings);
    if (parser.isSet(profileOption)) mf::ui::ProfileStore(settings).setLastProfileId(parser.value(profileOption));
    window.show();
    window.openInitialProfile();
    // SIGTERM/SIGINT (logout, `kill`, Ctrl+C in a terminal) close the window the normal way, so a bundled backend
    // is stopped and nothing is left behind.
    mf::UnixSignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &mf::UnixSignalWatcher::terminationRequested, &app, &QApplication::closeAllWindows);
    QObject::connect(&signalWatcher, &mf::UnixSignalWatcher::terminationRequested, &app, &QCoreApplication::quit,
                     Qt::QueuedConnection);
    const int code = app.exec();
    session.close();
    return code;
}
