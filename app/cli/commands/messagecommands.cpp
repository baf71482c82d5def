#include "commandtable.h"
#include "output.h"

#include <QDateTime>

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

QString valueText(const QJsonObject &message)
{
    for (const auto field : {"value"_L1, "string_value"_L1, "bool_value"_L1, "data_value"_L1, "sum"_L1}) {
        const QJsonValue value = message.value(field);
        if (value.isUndefined() || value.isNull()) continue;
        if (value.isDouble()) return QString::number(value.toDouble(), 'g', 15);
        if (value.isBool()) return value.toBool() ? u"true"_s : u"false"_s;
        return value.toString();
    }
    return message.value("payload"_L1).toString();
}

QString timeText(const QJsonValue &time)
{
    if (!time.isDouble()) return time.toString();
    return QDateTime::fromMSecsSinceEpoch(qint64(time.toDouble() * 1000), Qt::UTC).toString(Qt::ISODateWithMs);
}

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
        if (ctx.args().size() > 1) {
            credential = {client::Credential::Kind::ThingKey, ctx.arg(1)};
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
            rows.append({timeText(m.value("time"_L1)), m.value("publisher"_L1).toString(),
                         m.value("subtopic"_L1).toString(), m.value("name"_L1).toString(), valueText(m),
                         m.value("unit"_L1).toString()});
        }
        output::table(ctx.out, {u"TIME"_s, u"PUBLISHER"_s, u"SUBTOPIC"_s, u"NAME"_s, u"VALUE"_s, u"UNIT"_s}, rows);
        return ExitSuccess;
    }
};

} // namespace

void addMessageCommands(CommandList &list)
{
    list.push_back(std::make_unique<MsgSend>());
    list.push_back(std::make_unique<MsgRead>());
}

} // namespace mf::cli
