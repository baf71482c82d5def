#include "commandtable.h"
#include "core/entitiesjson.h"
#include "output.h"
#include "provisioner.h"

#include <QFile>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace mf::cli {

namespace {

Result<QByteArray> readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Malformed, u"cannot read %1: %2"_s.arg(path, file.errorString()));
    return file.readAll();
}

// Mainflux CSV: one entity per line, `name[,type]` for things and `name` for channels; blank lines and lines
// starting with # are skipped. Names are trimmed; a line with more fields than allowed is an error.
Result<QList<QStringList>> readCsv(const QString &path, qsizetype maxFields)
{
    auto bytes = readFile(path);
    if (!bytes) return std::unexpected(bytes.error());
    QList<QStringList> rows;
    const QStringList lines = QString::fromUtf8(*bytes).split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty() || line.startsWith(u'#')) continue;
        QStringList fields = line.split(u',');
        for (QString &field : fields)
            field = field.trimmed();
        if (fields.size() > maxFields)
            return fail(ErrorCode::Malformed,
                        u"%1:%2: expected at most %3 field(s)"_s.arg(path).arg(i + 1).arg(maxFields));
        if (fields.first().isEmpty())
            return fail(ErrorCode::Malformed, u"%1:%2: the name is empty"_s.arg(path).arg(i + 1));
        rows.append(fields);
    }
    if (rows.isEmpty()) return fail(ErrorCode::Malformed, u"%1: no entries"_s.arg(path));
    return rows;
}

class ProvisionThings final : public Command
{
public:
    ProvisionThings()
        : Command({{u"provision"_s, u"things"_s},
                   u"<file.csv>"_s,
                   u"Create the things of a CSV file (name[,type] per line; type device or app, default device)."_s,
                   1,
                   1,
                   true,
                   {QCommandLineOption(u"show-keys"_s, u"Show the new keys in the table."_s)}})
    {}
    int run(Context &ctx) override
    {
        auto rows = readCsv(ctx.arg(0), 2);
        if (!rows) return ctx.usageError(rows.error().message);
        QJsonArray things;
        for (const QStringList &row : *rows)
            things.append(QJsonObject{
                {u"name"_s, row[0]},
                {u"type"_s, row.value(1, u"device"_s).isEmpty() ? u"device"_s : row.value(1, u"device"_s)}});
        auto created = ctx.client().createThings(things).wait();
        if (!created) return ctx.failed(created.error());
        if (ctx.json()) {
            QJsonArray list;
            for (const Thing &t : *created)
                list.append(json::toJson(t));
            ctx.printJson(QJsonObject{{u"things"_s, list}});
        } else {
            output::things(ctx.out, *created, ctx.isSet(u"show-keys"_s));
        }
        return ExitSuccess;
    }
};

class ProvisionChannels final : public Command
{
public:
    ProvisionChannels()
        : Command({{u"provision"_s, u"channels"_s},
                   u"<file.csv>"_s,
                   u"Create the channels of a CSV file (one name per line)."_s,
                   1,
                   1})
    {}
    int run(Context &ctx) override
    {
        auto rows = readCsv(ctx.arg(0), 1);
        if (!rows) return ctx.usageError(rows.error().message);
        QJsonArray channels;
        for (const QStringList &row : *rows)
            channels.append(QJsonObject{{u"name"_s, row[0]}});
        auto created = ctx.client().createChannels(channels).wait();
        if (!created) return ctx.failed(created.error());
        if (ctx.json()) {
            QJsonArray list;
            for (const Channel &c : *created)
                list.append(json::toJson(c));
            ctx.printJson(QJsonObject{{u"channels"_s, list}});
        } else {
            output::channels(ctx.out, *created);
        }
        return ExitSuccess;
    }
};

QString changeText(const ProvisionChange &change)
{
    if (change.kind == "connection"_L1 && change.action == "connected"_L1) return u"connected "_s + change.name;
    return change.action + u' ' + change.kind + u' ' + change.name;
}

class ProvisionApply final : public Command
{
public:
    ProvisionApply()
        : Command({{u"provision"_s, u"apply"_s},
                   u"<file.json>"_s,
                   u"Make things, channels and connections match a JSON file, by name; running it again changes "
                   "nothing. Nothing is deleted."_s,
                   1,
                   1})
    {}
    int run(Context &ctx) override
    {
        auto bytes = readFile(ctx.arg(0));
        if (!bytes) return ctx.usageError(bytes.error().message);
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject())
            return ctx.usageError(u"%1: not a JSON object (%2 at offset %3)"_s.arg(ctx.arg(0), parseError.errorString())
                                      .arg(parseError.offset));
        auto plan = ProvisionPlan::fromJson(doc.object());
        if (!plan) return ctx.usageError(ctx.arg(0) + u": "_s + plan.error().message);

        QList<ProvisionChange> done;
        Provisioner provisioner(ctx.client());
        auto applied = provisioner.apply(*plan, [&ctx, &done](const ProvisionChange &change) {
            done.append(change);
            ctx.note(changeText(change));
        });
        // The summary (and in JSON the change list) is printed even after a failure: it says what was done.
        QHash<QString, int> counts;
        for (const ProvisionChange &change : done)
            ++counts[change.action];
        if (ctx.json()) {
            QJsonArray changes;
            for (const ProvisionChange &c : done)
                changes.append(
                    QJsonObject{{u"action"_s, c.action}, {u"kind"_s, c.kind}, {u"name"_s, c.name}, {u"id"_s, c.id}});
            QJsonObject summary;
            for (const auto action : {"created"_L1, "updated"_L1, "unchanged"_L1, "connected"_L1})
                summary.insert(action, counts.value(action));
            ctx.printJson(QJsonObject{{u"changes"_s, changes}, {u"summary"_s, summary}});
        } else {
            ctx.out << counts.value(u"created"_s) << " created, " << counts.value(u"updated"_s) << " updated, "
                    << counts.value(u"connected"_s) << " connected, " << counts.value(u"unchanged"_s) << " unchanged"
                    << Qt::endl;
        }
        return applied ? ExitSuccess : ctx.failed(applied.error());
    }
};

} // namespace

void addProvisionCommands(CommandList &list)
{
    list.push_back(std::make_unique<ProvisionThings>());
    list.push_back(std::make_unique<ProvisionChannels>());
    list.push_back(std::make_unique<ProvisionApply>());
}

} // namespace mf::cli
