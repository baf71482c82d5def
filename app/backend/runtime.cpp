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

} // namespace mf::backend
