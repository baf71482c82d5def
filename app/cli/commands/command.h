#pragma once

#include "client/restclient.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>
#include <functional>
#include <memory>

namespace mf {
class UnixSignalWatcher;
}

namespace mf::cli {

class ProfileStore;

inline constexpr int ExitSuccess = 0;
inline constexpr int ExitApiError = 1; // the server (or the network) said no: its message is on stderr
inline constexpr int ExitUsage = 2;    // the command line is wrong: a usage line is on stderr

enum class Format { Table, Json };

// The global options after resolving flag > environment > profile > default.
struct Settings
{
    QString url;
    QString token;
    QString contentType;
    QString wsUrl; // MF_WS_URL or the profile's ws_url (empty: derived from url by `msg watch`)
    QString profile;
    bool trailingToken = false; // the token came as the last positional argument (0.7 form): not one of args()
    bool insecure = false;
    QString caFile; // --ca, MF_CA or the profile's ca: trusted besides the system's CAs
    qint64 limit = 100;
    qint64 offset = 0;
    Format format = Format::Table;
};

class Command;

// What a command runs with: its parsed command line, the resolved settings, the streams it writes to and a client.
// Streams are injected (stdout/stderr in main, buffers in tests); nothing here touches a global.
class Context final
{
public:
    Context(const Command &command, const QCommandLineParser &parser, Settings settings, ProfileStore &profiles,
            QTextStream &out, QTextStream &err);
    ~Context();
    Q_DISABLE_COPY_MOVE(Context)

    QTextStream &out;
    QTextStream &err;

    const QStringList &args() const { return m_args; }
    QString arg(qsizetype i) const { return m_args.value(i); }
    bool isSet(const QString &option) const { return m_parser.isSet(option); }
    QString value(const QString &option) const { return m_parser.value(option); }
    const Settings &settings() const { return m_settings; }
    ProfileStore &profiles() const { return m_profiles; }
    bool json() const { return m_settings.format == Format::Json; }
    PageQuery page() const;

    // The client for the resolved URL, token and TLS setting (created on first use).
    client::RestClient &client();

    // Prints "error: <server message>" to err and returns ExitApiError.
    int failed(const Error &error);
    // Prints "error: <message>" and the command's usage line to err and returns ExitUsage.
    int usageError(const QString &message);
    // Prints a JSON document (indented) to out.
    void printJson(const QJsonValue &value);
    // Prints a line to out in table format only (confirmations stay out of JSON output).
    void note(const QString &line);

private:
    const Command &m_command;
    const QCommandLineParser &m_parser;
    Settings m_settings;
    ProfileStore &m_profiles;
    QStringList m_args;
    std::unique_ptr<client::RestClient> m_client;
};

// What the dispatcher, the help output, the bash completion and the man page know about a command.
struct CommandSpec
{
    QStringList path;    // {"things", "get"}
    QString arguments;   // "[id]" as shown in usage lines
    QString description; // one line
    qsizetype minArgs = 0;
    qsizetype maxArgs = 0;  // -1: any number
    bool needsToken = true; // refuse to run (exit 2) without a user token
    QList<QCommandLineOption> options{};
};

// One subcommand (KeePassXC's Command, with the streams injected): `run` returns the exit code.
class Command
{
public:
    explicit Command(CommandSpec spec) : m_spec(std::move(spec)) {}
    virtual ~Command() = default;
    Q_DISABLE_COPY_MOVE(Command)

    const CommandSpec &spec() const { return m_spec; }
    QString name() const { return m_spec.path.join(u' '); }
    QString usage() const;

    virtual int run(Context &ctx) = 0;

private:
    CommandSpec m_spec;
};

// `<group> <verb> <id>`: one GET of a JSON document about an entity, printed as it came (-f json) or as a table.
class ShowCommand final : public Command
{
public:
    using Fetch = std::function<client::Pending<QJsonObject>(client::RestClient &client, const QString &id)>;
    using Print = std::function<void(QTextStream &out, const QJsonObject &body)>;
    ShowCommand(CommandSpec spec, Fetch fetch, Print print)
        : Command(std::move(spec)), m_fetch(std::move(fetch)), m_print(std::move(print))
    {}
    int run(Context &ctx) override;

private:
    Fetch m_fetch;
    Print m_print;
};

using CommandList = std::vector<std::unique_ptr<Command>>;

// The command table, in help order. Every command of mainflux-cli is listed here (and nowhere else).
const CommandList &allCommands();
// A JSON Web Token (three base64url parts, the first a JSON header with "alg"): what `users token` prints. Lets the
// 0.7 form pass a user token where a thing key or nothing else would go.
bool looksLikeJwt(const QString &arg);

// Options every command accepts (-m, -c, -i, -l, -o, --token, -f, --profile, --config).
QList<QCommandLineOption> globalOptions();

// SIGINT/SIGTERM as a Qt signal for commands that run until stopped (`msg watch`, `simulate`); one per process,
// created on first use.
mf::UnixSignalWatcher &terminationSignals();

} // namespace mf::cli
