#include "client/livestream.h"
#include "commandtable.h"
#include "core/unixsignals.h"
#include "output.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QJsonDocument>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace mf::cli {

namespace {

class MsgSend final : public Command
{
public:
    MsgSend()
        : Command({{u"msg"_s, u"send"_s},
                   u"<channel_id> <payload> <thing_key>"_s,
                   u"Publish a message as a thing (POST /http/channels/<id>/messages; content type from -c)."_s,
                   3,
                   3,
                   false,
                   {QCommandLineOption(u"subtopic"_s, u"Publish on this subtopic (a/b/c)."_s, u"subtopic"_s)}})
    {}
    int run(Context &ctx) override
    {
        auto sent = ctx.client()
                        .sendMessage(ctx.arg(0), ctx.value(u"subtopic"_s), ctx.settings().contentType,
                                     ctx.arg(1).toUtf8(), ctx.arg(2))
                        .wait();
        if (!sent) return ctx.failed(sent.error());
        ctx.note(u"message accepted"_s);
        return ExitSuccess;
    }
};

std::optional<double> timeOption(const Context &ctx, const QString &option, bool *ok)
{
    if (!ctx.isSet(option)) return std::nullopt;
    const QString text = ctx.value(option);
    bool isNumber = false;
    const double seconds = text.toDouble(&isNumber);
    if (isNumber) return seconds;
    const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid()) {
        *ok = false;
        return std::nullopt;
    }
    return time.toMSecsSinceEpoch() / 1000.0;
}

class MsgRead final : public Command
{
public:
    MsgRead()
        : Command({{u"msg"_s, u"read"_s},
                   u"<channel_id> [thing_key]"_s,
                   u"Read a channel's stored messages as a connected thing, or as its owner with the user token."_s,
                   1,
                   2,
                   false,
                   {QCommandLineOption(u"subtopic"_s, u"Only this subtopic."_s, u"subtopic"_s),
                    QCommandLineOption(u"publisher"_s, u"Only messages of this thing id."_s, u"thing_id"_s),
                    QCommandLineOption(u"name"_s, u"Only records with this SenML name."_s, u"name"_s),
                    QCommandLineOption(u"from"_s, u"Not before (seconds since the epoch or ISO 8601)."_s, u"time"_s),
                    QCommandLineOption(u"to"_s, u"Not after (seconds since the epoch or ISO 8601)."_s, u"time"_s)}})
    {}
    int run(Context &ctx) override
    {
        client::MessageQuery query;
        query.offset = ctx.settings().offset;
        query.limit = ctx.settings().limit;
        query.subtopic = ctx.value(u"subtopic"_s);
        query.publisher = ctx.value(u"publisher"_s);
        query.name = ctx.value(u"name"_s);
        bool ok = true;
        query.from = timeOption(ctx, u"from"_s, &ok);
        query.to = timeOption(ctx, u"to"_s, &ok);
        if (!ok) return ctx.usageError(u"--from/--to: give seconds since the epoch or an ISO 8601 time"_s);
        client::Credential credential;
        if (ctx.args().size() > 1) { // a thing key, or (0.7 form: `msg read <channel> <token>`) the owner's token
            credential = {looksLikeJwt(ctx.arg(1)) ? client::Credential::Kind::UserToken
                                                   : client::Credential::Kind::ThingKey,
                          ctx.arg(1)};
        } else if (!ctx.settings().token.isEmpty()) {
            credential = {client::Credential::Kind::UserToken, ctx.settings().token};
        } else {
            return ctx.usageError(u"give a thing key, or a user token with --token or MF_TOKEN"_s);
        }
        auto messages = ctx.client().readMessages(ctx.arg(0), query, credential).wait();
        if (!messages) return ctx.failed(messages.error());
        if (ctx.json()) {
            ctx.printJson(*messages);
            return ExitSuccess;
        }
        QList<QStringList> rows;
        for (const QJsonValue &item : messages->value("messages"_L1).toArray()) {
            const QJsonObject m = item.toObject();
            rows.append({output::recordTimeText(m.value("time"_L1)), m.value("publisher"_L1).toString(),
                         m.value("subtopic"_L1).toString(), m.value("name"_L1).toString(), output::valueText(m),
                         m.value("unit"_L1).toString()});
        }
        output::table(ctx.out, {u"TIME"_s, u"PUBLISHER"_s, u"SUBTOPIC"_s, u"NAME"_s, u"VALUE"_s, u"UNIT"_s}, rows);
        return ExitSuccess;
    }
};

// The WebSocket adapter's default port, for a URL derived from the REST URL.
constexpr int DefaultWsPort = 8186;

QString liveValueText(const QVariant &value)
{
    if (value.typeId() == QMetaType::Double) return QString::number(value.toDouble(), 'g', 15);
    if (value.typeId() == QMetaType::Bool) return value.toBool() ? u"true"_s : u"false"_s;
    return value.toString();
}

// The documented JSON line of `msg watch` (docs/cli.md): keys sorted, value keeps its JSON type.
QJsonObject liveRecordJson(const client::LiveRecord &record)
{
    return QJsonObject{{u"channel"_s, record.channel},     {u"publisher"_s, record.publisher},
                       {u"protocol"_s, record.protocol},   {u"subtopic"_s, record.subtopic},
                       {u"name"_s, record.name},           {u"unit"_s, record.unit},
                       {u"value"_s, QJsonValue::fromVariant(record.value)}, {u"time"_s, record.time}};
}

class MsgWatch final : public Command
{
public:
    MsgWatch()
        : Command(
              {{u"msg"_s, u"watch"_s},
               u"<channel_id> [thing_key]"_s,
               u"Print a channel's messages live (WebSocket) as its owner with the user token, or as a connected "
               "thing, until interrupted or --count messages."_s,
               1,
               2,
               false,
               {QCommandLineOption(u"subtopic"_s, u"Only this subtopic (a/b/c)."_s, u"subtopic"_s),
                QCommandLineOption(u"count"_s, u"Stop after this many messages."_s, u"n"_s),
                QCommandLineOption(u"ws-url"_s,
                                   u"WebSocket adapter URL (MF_WS_URL, profile ws_url; default ws://<host of -m>:8186)."_s,
                                   u"url"_s)}})
    {}

    int run(Context &ctx) override
    {
        qint64 count = 0;
        if (ctx.isSet(u"count"_s)) {
            bool ok = false;
            count = ctx.value(u"count"_s).toLongLong(&ok);
            if (!ok || count < 1) return ctx.usageError(u"--count: must be a positive integer"_s);
        }
        const QString subtopic = ctx.value(u"subtopic"_s);
        if (ctx.isSet(u"subtopic"_s) && subtopic.split(u'/', Qt::SkipEmptyParts).isEmpty())
            return ctx.usageError(u"--subtopic: must not be empty"_s);
        QString credential;
        if (ctx.args().size() > 1)
            credential = ctx.arg(1);
        else if (!ctx.settings().token.isEmpty())
            credential = ctx.settings().token;
        else
            return ctx.usageError(u"give a thing key, or a user token with --token or MF_TOKEN"_s);
        if (credential.isEmpty()) return ctx.usageError(u"the thing key is empty"_s);

        QUrl wsUrl;
        const QString configured = ctx.isSet(u"ws-url"_s) ? ctx.value(u"ws-url"_s) : ctx.settings().wsUrl;
        if (configured.isEmpty()) {
            const QUrl rest(ctx.settings().url);
            wsUrl.setScheme(rest.scheme() == "https"_L1 ? u"wss"_s : u"ws"_s);
            wsUrl.setHost(rest.host());
            wsUrl.setPort(DefaultWsPort);
        } else {
            wsUrl = QUrl(configured);
            const QString scheme = wsUrl.scheme();
            if (!wsUrl.isValid() || wsUrl.host().isEmpty() ||
                (scheme != "ws"_L1 && scheme != "wss"_L1 && scheme != "http"_L1 && scheme != "https"_L1))
                return ctx.usageError(u"--ws-url: \"%1\" is not a ws:// or wss:// URL"_s.arg(configured));
        }

        client::LiveStream stream;
        QEventLoop loop;
        int code = ExitSuccess;
        qint64 received = 0;
        bool headerPrinted = false;
        bool done = false;
        const auto finish = [&](int exitCode) {
            if (done) return;
            done = true;
            code = exitCode;
            stream.close();
            loop.quit();
        };
        QObject::connect(&stream, &client::LiveStream::refused, &loop,
                         [&](const Error &error) { finish(ctx.failed(error)); });
        QObject::connect(&stream, &client::LiveStream::stateChanged, &loop, [&](client::LiveStream::State state) {
            if (state != client::LiveStream::State::Open) return;
            if (!ctx.json() && !headerPrinted) {
                headerPrinted = true;
                ctx.out << tableLine({u"TIME"_s, u"PUBLISHER"_s, u"PROTOCOL"_s, u"SUBTOPIC"_s, u"NAME"_s, u"VALUE"_s,
                                      u"UNIT"_s})
                        << Qt::flush;
            }
        });
        QObject::connect(&stream, &client::LiveStream::connectionFailed, &loop, [&](const QString &why) {
            if (stream.everConnected()) ctx.err << "connection lost (" << why << "); reconnecting\n" << Qt::flush;
        });
        QObject::connect(&stream, &client::LiveStream::recordsReceived, &loop,
                         [&](const QList<client::LiveRecord> &records) {
                             if (count > 0 && received >= count) return;
                             for (const client::LiveRecord &record : records) {
                                 if (ctx.json())
                                     ctx.out << QString::fromUtf8(
                                                    QJsonDocument(liveRecordJson(record)).toJson(QJsonDocument::Compact))
                                             << '\n';
                                 else
                                     ctx.out << tableLine(
                                         {QDateTime::fromMSecsSinceEpoch(qint64(record.time * 1000), Qt::UTC)
                                              .toString(Qt::ISODateWithMs),
                                          record.publisher, record.protocol, record.subtopic, record.name,
                                          liveValueText(record.value), record.unit});
                             }
                             ctx.out << Qt::flush;
                             if (count > 0 && ++received >= count) finish(ExitSuccess);
                         });
        QObject::connect(&terminationSignals(), &mf::UnixSignalWatcher::terminationRequested, &loop,
                         [&](int) { finish(ExitSuccess); });

        stream.open(wsUrl, ctx.arg(0), credential, {subtopic, true, true});
        if (!done) loop.exec();
        ctx.out << Qt::flush;
        return code;
    }

private:
    // Streaming rows cannot be aligned on the widest value: fixed widths fit ISO times, UUIDs and typical names.
    static QString tableLine(const QStringList &cells)
    {
        static constexpr int Widths[] = {24, 36, 8, 12, 16, 12};
        QString line;
        for (qsizetype i = 0; i < cells.size(); ++i) {
            if (i + 1 < cells.size() && i < qsizetype(std::size(Widths)))
                line += cells[i].leftJustified(Widths[i]) + u"  "_s;
            else
                line += cells[i];
        }
        while (line.endsWith(u' '))
            line.chop(1);
        return line + u'\n';
    }
};

} // namespace

void addMessageCommands(CommandList &list)
{
    list.push_back(std::make_unique<MsgSend>());
    list.push_back(std::make_unique<MsgRead>());
    list.push_back(std::make_unique<MsgWatch>());
}

} // namespace mf::cli
