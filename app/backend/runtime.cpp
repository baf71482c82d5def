#include "runtime.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace mf::backend {

namespace {

int signalPipe[2] = {-1, -1};

void onSignal(int number)
{
    const char byte = char(number);
    [[maybe_unused]] const auto written = ::write(signalPipe[0], &byte, 1);
}

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return "debug";
    case QtInfoMsg: return "info";
    case QtWarningMsg: return "warn";
    case QtCriticalMsg: return "error";
    case QtFatalMsg: return "fatal";
    }
    return "info";
}

void jsonHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QJsonObject line{{u"ts"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
                           {u"level"_s, QString::fromLatin1(levelName(type))},
                           {u"category"_s, QString::fromLatin1(context.category ? context.category : "default")},
                           {u"msg"_s, message}};
    const QByteArray text = QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(text.constData(), 1, size_t(text.size()), stderr);
    std::fflush(stderr);
}

} // namespace

void setUpLogging(const QString &level, const QString &format)
{
    QString rules = u"*.debug=false\nqt.*.info=false\n"_s;
    if (level == "debug"_L1)
        rules = u"mainflux.*.debug=true\nqt.*.debug=false\nqt.*.info=false\n"_s;
    else if (level == "warn"_L1)
        rules += u"*.info=false\n"_s;
    else if (level == "error"_L1)
        rules += u"*.info=false\n*.warning=false\n"_s;
    QLoggingCategory::setFilterRules(rules);
    if (format == "json"_L1)
        qInstallMessageHandler(jsonHandler);
    else
        qSetMessagePattern(u"%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-debug}debug%{endif}%{if-info}info%{endif}"
                           "%{if-warning}warn%{endif}%{if-critical}error%{endif}%{if-fatal}fatal%{endif} "
                           "%{category}: %{message}"_s);
}

UnixSignalWatcher::UnixSignalWatcher(QObject *parent) : QObject(parent)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(signalPipe[1], QSocketNotifier::Read, this);
    connect(notifier, &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        if (::read(signalPipe[1], &byte, 1) == 1)
            Q_EMIT terminationRequested(int(byte));
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

} // namespace mf::backend
