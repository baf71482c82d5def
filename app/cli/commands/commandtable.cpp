#include "commandtable.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace mf::cli {

QList<QCommandLineOption> globalOptions()
{
    return {
        QCommandLineOption({u"m"_s, u"mainflux-url"_s},
                           u"Base URL of the backend (MF_URL; default http://127.0.0.1:8180)."_s, u"url"_s),
        QCommandLineOption({u"c"_s, u"content-type"_s},
                           u"Content type of sent messages (MF_CONTENT_TYPE; default application/senml+json)."_s,
                           u"type"_s),
        QCommandLineOption({u"i"_s, u"insecure"_s}, u"Accept any TLS certificate: no verification at all (self-signed "
                                                    "test setups; prefer --ca)."_s),
        QCommandLineOption(u"ca"_s,
                           u"PEM file of a CA to trust besides the system's, e.g. the ca.pem of "
                           "`mainflux-backend --make-dev-cert` (MF_CA)."_s,
                           u"file"_s),
        QCommandLineOption({u"l"_s, u"limit"_s}, u"Page size of lists, 1 to 100 (default 100)."_s, u"n"_s),
        QCommandLineOption({u"o"_s, u"offset"_s}, u"Items to skip in lists (default 0)."_s, u"n"_s),
        QCommandLineOption(
            u"token"_s,
            u"User token. Also accepted as the last argument, as in Mainflux 0.7 (`things get all <token>`); that one wins over MF_TOKEN and the profile, and must equal --token if both are given."_s,
            u"token"_s),
        QCommandLineOption({u"f"_s, u"format"_s}, u"Output: table (default) or json (MF_FORMAT)."_s, u"format"_s),
        QCommandLineOption(u"profile"_s, u"Profile of the config file to use (MF_PROFILE; default \"default\")."_s,
                           u"name"_s),
        QCommandLineOption(u"config"_s, u"Config file (MF_CLI_CONFIG; default ~/.config/mainflux/cli.conf)."_s,
                           u"file"_s),
    };
}

const CommandList &allCommands()
{
    static const CommandList list = [] {
        CommandList commands;
        addGeneralCommands(commands);
        addUsersCommands(commands);
        addThingsCommands(commands);
        addChannelsCommands(commands);
        addMessageCommands(commands);
        addRulesCommands(commands);
        addProvisionCommands(commands);
        addSimulateCommands(commands);
        addProfileCommands(commands);
        return commands;
    }();
    return list;
}

Result<QJsonValue> parseJsonArgument(const QString &what, const QString &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return fail(ErrorCode::Malformed,
                    u"%1: invalid JSON at offset %2: %3"_s.arg(what).arg(error.offset).arg(error.errorString()));
    if (doc.isArray()) return QJsonValue(doc.array());
    return QJsonValue(doc.object());
}

Result<QJsonObject> metadataOption(const Context &ctx)
{
    if (!ctx.isSet(u"metadata"_s)) return QJsonObject{};
    auto value = parseJsonArgument(u"--metadata"_s, ctx.value(u"metadata"_s));
    if (!value) return std::unexpected(value.error());
    if (!value->isObject()) return fail(ErrorCode::Malformed, u"--metadata: must be a JSON object"_s);
    return value->toObject();
}

} // namespace mf::cli
