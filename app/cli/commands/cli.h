#pragma once

#include <QHash>
#include <QStringList>
#include <QTextStream>

namespace mf::cli {

// The dispatcher of mainflux-cli: finds the command in the table, parses global and command options, resolves
// settings (flag > MF_* environment > profile > default) and runs the command with the given streams.
// `environment` is passed in (main gives the process environment, tests their own), so nothing reads globals.
class Cli final
{
public:
    explicit Cli(QHash<QString, QString> environment) : m_env(std::move(environment)) {}

    // args without the program name. Returns the exit code (0 ok, 1 API error, 2 usage error).
    int run(const QStringList &args, QTextStream &out, QTextStream &err) const;

    // ~/.config/mainflux/cli.conf unless MF_CLI_CONFIG names another file.
    QString defaultConfigPath() const;

    static QString defaultUrl();
    static QString overview(); // the top-level help text

private:
    QHash<QString, QString> m_env;
};

} // namespace mf::cli
