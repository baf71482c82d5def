#include "cli.h"

#include <QCoreApplication>
#include <QProcessEnvironment>

// Only dispatches: every command lives in app/cli/commands.
int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("mainflux-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MF_VERSION));

    QHash<QString, QString> environment;
    const QProcessEnvironment process = QProcessEnvironment::systemEnvironment();
    for (const QString &name : process.keys())
        environment.insert(name, process.value(name));

    QTextStream out(stdout);
    QTextStream err(stderr);
    return mf::cli::Cli(environment).run(QCoreApplication::arguments().mid(1), out, err);
}
