#include "cli.h"

#include "command.h"
#include "profilestore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace mf::cli {

QString Cli::defaultUrl()
{
    return u"http://127.0.0.1:8180"_s;
}

QString Cli::defaultConfigPath() const
{
    const QString configured = m_env.value(u"MF_CLI_CONFIG"_s);
    if (!configured.isEmpty()) return configured;
    QString base = m_env.value(u"XDG_CONFIG_HOME"_s);
    if (base.isEmpty()) base = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
    return base + u"/mainflux/cli.conf"_s;
}

QString Cli::overview()
{
    QString text = u"mainflux-cli: manage a Mainflux platform (users, things, channels, messages) from a terminal.\n\n"
                   "usage: mainflux-cli <command> [arguments] [options]\n\ncommands:\n"_s;
    qsizetype width = 0;
    for (const auto &command : allCommands())
        width = std::max(width, command->name().size() + 1 + command->spec().arguments.size());
    for (const auto &command : allCommands()) {
        const QString synopsis = QString(command->name() + u' ' + command->spec().arguments).trimmed();
        text += u"  "_s + synopsis.leftJustified(width + 2) + command->spec().description + u'\n';
    }
    text += u"\nglobal options:\n"_s;
    for (const QCommandLineOption &option : globalOptions()) {
        QStringList names;
        for (const QString &name : option.names())
            names << (name.size() == 1 ? u"-"_s : u"--"_s) + name;
        QString flag = names.join(u", "_s);
        if (!option.valueName().isEmpty()) flag += u" <"_s + option.valueName() + u'>';
        text += u"  "_s + flag.leftJustified(34) + option.description() + u'\n';
    }
    text += u"\nExit status: 0 success, 1 the server or the network refused (message on stderr), 2 usage error.\n"
            "mainflux-cli <command> --help shows one command's options.\n"_s;
    return text;
}

namespace {

bool isGlobalValueOption(const QString &arg)
{
    for (const QCommandLineOption &option : globalOptions()) {
        if (option.valueName().isEmpty()) continue;
        for (const QString &name : option.names())
            if (arg == (name.size() == 1 ? u"-"_s : u"--"_s) + name) return true;
    }
    return false;
}

// Where the command words are: positional arguments before the command's own, skipping global options and their
// values (global options may come first: `mainflux-cli -m http://h:8180 things get`).
struct Located
{
    Command *command = nullptr;
    QList<qsizetype> wordIndexes;
    QStringList words; // the leading positional words (for "unknown command" messages)
};

Located locate(const QStringList &args)
{
    QList<qsizetype> positional;
    for (qsizetype i = 0; i < args.size() && positional.size() < 2; ++i) {
        const QString &arg = args[i];
        if (arg == "--"_L1) break;
        if (arg.startsWith(u'-') && arg.size() > 1) {
            if (!arg.contains(u'=') && isGlobalValueOption(arg)) ++i;
            continue;
        }
        positional.append(i);
    }
    Located located;
    for (qsizetype i : positional)
        located.words.append(args[i]);
    for (qsizetype n = positional.size(); n > 0 && !located.command; --n) {
        const QStringList path = located.words.mid(0, n);
        for (const auto &command : allCommands()) {
            if (command->spec().path == path) {
                located.command = command.get();
                located.wordIndexes = positional.mid(0, n);
                break;
            }
        }
    }
    return located;
}

QString groupHelp(const QString &group)
{
    QString text = u"usage: mainflux-cli %1 <command> [arguments] [options]\n\ncommands:\n"_s.arg(group);
    for (const auto &command : allCommands())
        if (command->spec().path.first() == group)
            text += u"  "_s + QString(command->name() + u' ' + command->spec().arguments).trimmed() + u"\n      "_s +
                    command->spec().description + u'\n';
    return text;
}

bool isGroup(const QString &word)
{
    for (const auto &command : allCommands())
        if (command->spec().path.size() > 1 && command->spec().path.first() == word) return true;
    return false;
}

QString commandHelp(const Command &command)
{
    QString text = u"usage: "_s + command.usage() + u"\n\n"_s + command.spec().description + u'\n';
    if (!command.spec().options.isEmpty()) {
        text += u"\noptions:\n"_s;
        for (const QCommandLineOption &option : command.spec().options) {
            QStringList names;
            for (const QString &name : option.names())
                names << (name.size() == 1 ? u"-"_s : u"--"_s) + name;
            QString flag = names.join(u", "_s);
            if (!option.valueName().isEmpty()) flag += u" <"_s + option.valueName() + u'>';
            text += u"  "_s + flag.leftJustified(28) + option.description() + u'\n';
        }
    }
    text += u"\nGlobal options (mainflux-cli --help) apply too.\n"_s;
    return text;
}

} // namespace

int Cli::run(const QStringList &args, QTextStream &out, QTextStream &err) const
{
    const bool wantsHelp = args.contains(u"-h"_s) || args.contains(u"--help"_s);
    if (args.isEmpty()) {
        err << overview();
        err.flush();
        return ExitUsage;
    }
    if (args.size() == 1 && (args.first() == "--version"_L1 || args.first() == "-V"_L1)) {
        out << "mainflux-cli " << QStringLiteral(MF_VERSION) << '\n'; // `version` also asks the server for its own
        out.flush();
        return ExitSuccess;
    }
    if (args.first() == "help"_L1 || (wantsHelp && args.size() == 1)) {
        const QStringList topic = args.mid(args.first() == "help"_L1 ? 1 : 0).filter(QRegularExpression(u"^[^-]"_s));
        if (!topic.isEmpty()) // "help things get" = "things get --help"
            return run(topic + QStringList{u"--help"_s}, out, err);
        out << overview();
        out.flush();
        return ExitSuccess;
    }

    const Located located = locate(args);
    if (!located.command) {
        if (!located.words.isEmpty() && isGroup(located.words.first())) {
            QTextStream &stream = wantsHelp && located.words.size() == 1 ? out : err;
            if (located.words.size() > 1) stream << "error: unknown command \"" << located.words.join(u' ') << "\"\n";
            stream << groupHelp(located.words.first());
            stream.flush();
            return &stream == &out ? ExitSuccess : ExitUsage;
        }
        err << "error: unknown command \"" << located.words.value(0) << "\"\n"
            << "usage: mainflux-cli <command> [arguments] [options] (mainflux-cli --help lists the commands)\n";
        err.flush();
        return ExitUsage;
    }
    Command &command = *located.command;

    QStringList rest{u"mainflux-cli"_s};
    for (qsizetype i = 0; i < args.size(); ++i)
        if (!located.wordIndexes.contains(i)) rest.append(args[i]);

    QCommandLineParser parser;
    parser.addOptions(globalOptions());
    parser.addOptions(command.spec().options);
    parser.addOption(QCommandLineOption({u"h"_s, u"help"_s}, u"Show this help."_s));
    const auto usageError = [&err, &command](const QString &message) {
        err << "error: " << message << "\nusage: " << command.usage() << "\n(mainflux-cli " << command.name()
            << " --help for details)" << Qt::endl;
        return ExitUsage;
    };
    if (!parser.parse(rest)) return usageError(parser.errorText());
    if (parser.isSet(u"help"_s)) {
        out << commandHelp(command);
        out.flush();
        return ExitSuccess;
    }
    // Mainflux 0.7's form: the user token as the last positional argument (`things get all <token>`). It is one
    // when the command takes a token and there is one argument too many, or when the last argument is a JWT.
    QString positionalToken;
    qsizetype count = parser.positionalArguments().size();
    if (command.spec().needsToken && count > command.spec().minArgs &&
        ((command.spec().maxArgs >= 0 && count == command.spec().maxArgs + 1) ||
         looksLikeJwt(parser.positionalArguments().last()))) {
        positionalToken = parser.positionalArguments().last();
        --count;
        if (parser.isSet(u"token"_s) && parser.value(u"token"_s) != positionalToken)
            return usageError(u"two different tokens: --token and the last argument (give one)"_s);
    }
    if (count < command.spec().minArgs) return usageError(u"missing arguments"_s);
    if (command.spec().maxArgs >= 0 && count > command.spec().maxArgs)
        return usageError(
            u"too many arguments: %1"_s.arg(parser.positionalArguments().mid(command.spec().maxArgs).join(u' ')));

    // Settings: flag > environment > profile > default.
    ProfileStore profiles(parser.isSet(u"config"_s) ? parser.value(u"config"_s) : defaultConfigPath());
    Settings settings;
    settings.profile =
        parser.isSet(u"profile"_s) ? parser.value(u"profile"_s) : m_env.value(u"MF_PROFILE"_s, u"default"_s);
    const bool explicitProfile = parser.isSet(u"profile"_s) || m_env.contains(u"MF_PROFILE"_s);
    if (explicitProfile && command.spec().path.first() != "profile"_L1 && !profiles.contains(settings.profile))
        return usageError(u"no profile named \"%1\" in %2 (mainflux-cli profile set %1 ...)"_s.arg(settings.profile,
                                                                                                   profiles.path()));
    const QHash<QString, QString> profile = profiles.values(settings.profile);
    const auto pick = [&](const QString &option, const QString &env, const QString &key, const QString &fallback) {
        if (parser.isSet(option)) return parser.value(option);
        if (!m_env.value(env).isEmpty()) return m_env.value(env);
        return profile.value(key, fallback);
    };
    settings.url = pick(u"mainflux-url"_s, u"MF_URL"_s, u"url"_s, defaultUrl());
    settings.token = positionalToken.isEmpty() ? pick(u"token"_s, u"MF_TOKEN"_s, u"token"_s, {}) : positionalToken;
    settings.trailingToken = !positionalToken.isEmpty();
    settings.contentType =
        pick(u"content-type"_s, u"MF_CONTENT_TYPE"_s, u"content_type"_s, u"application/senml+json"_s);
    settings.wsUrl = m_env.value(u"MF_WS_URL"_s);
    if (settings.wsUrl.isEmpty()) settings.wsUrl = profile.value(u"ws_url"_s);
    const QString insecure = profile.value(u"insecure"_s).toLower();
    settings.insecure = parser.isSet(u"insecure"_s) || insecure == "true"_L1 || insecure == "1"_L1;
    settings.caFile = pick(u"ca"_s, u"MF_CA"_s, u"ca"_s, {});
    if (!settings.caFile.isEmpty()) {
        QFile ca(settings.caFile);
        if (!ca.open(QIODevice::ReadOnly))
            return usageError(u"--ca: cannot read %1: %2"_s.arg(settings.caFile, ca.errorString()));
        if (QSslCertificate::fromData(ca.readAll(), QSsl::Pem).isEmpty())
            return usageError(
                u"--ca: %1 holds no PEM certificate (-----BEGIN CERTIFICATE-----)"_s.arg(settings.caFile));
    }
    const QString format = pick(u"format"_s, u"MF_FORMAT"_s, u"format"_s, u"table"_s);
    if (format == "json"_L1)
        settings.format = Format::Json;
    else if (format != "table"_L1)
        return usageError(u"--format: \"%1\" is not table or json"_s.arg(format));
    bool ok = true;
    settings.limit = parser.isSet(u"limit"_s) ? parser.value(u"limit"_s).toLongLong(&ok) : 100;
    if (!ok || settings.limit < 1 || settings.limit > MaxPageLimit)
        return usageError(u"--limit: must be an integer from 1 to %1"_s.arg(MaxPageLimit));
    settings.offset = parser.isSet(u"offset"_s) ? parser.value(u"offset"_s).toLongLong(&ok) : 0;
    if (!ok || settings.offset < 0) return usageError(u"--offset: must be a non-negative integer"_s);
    const QUrl url(settings.url);
    if (!url.isValid() || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1) || url.host().isEmpty())
        return usageError(u"--mainflux-url: \"%1\" is not an http:// or https:// URL"_s.arg(settings.url));
    if (command.spec().needsToken && settings.token.isEmpty())
        return usageError(u"no user token: pass --token, set MF_TOKEN, or sign in with `mainflux-cli users token "
                          "<email> <password> --save`"_s);

    Context context(command, parser, settings, profiles, out, err);
    const int code = command.run(context);
    out.flush();
    err.flush();
    return code;
}

} // namespace mf::cli
