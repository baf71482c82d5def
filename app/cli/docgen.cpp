// Build-time generator: the bash completion and the man page of mainflux-cli, both from the command table, so
// neither can drift from what the CLI accepts.
//   mainflux-cli-docgen <completion-file> <man-page-file>
#include "cli.h"
#include "command.h"

#include <QCoreApplication>
#include <QFile>
#include <QSet>

using namespace Qt::StringLiterals;
using namespace mf::cli;

namespace {

QStringList flagNames(const QCommandLineOption &option)
{
    QStringList names;
    for (const QString &name : option.names())
        names << (name.size() == 1 ? u"-"_s : u"--"_s) + name;
    return names;
}

QString bashCompletion()
{
    QStringList top, groups, valueOptions, globalFlags;
    for (const QCommandLineOption &option : globalOptions()) {
        globalFlags << flagNames(option);
        if (!option.valueName().isEmpty()) valueOptions << flagNames(option);
    }
    globalFlags << u"-h"_s << u"--help"_s;
    QString subcommandCases, optionCases, fileCommands;
    QHash<QString, QStringList> subcommands;
    for (const auto &command : allCommands()) {
        const QStringList &path = command->spec().path;
        if (!top.contains(path.first())) top << path.first();
        if (path.size() > 1) subcommands[path.first()] << path[1];
        QStringList flags = globalFlags;
        for (const QCommandLineOption &option : command->spec().options) {
            flags << flagNames(option);
            if (!option.valueName().isEmpty())
                for (const QString &flag : flagNames(option))
                    if (!valueOptions.contains(flag)) valueOptions << flag;
        }
        optionCases += u"        \"%1\") opts=\"%2\" ;;\n"_s.arg(path.join(u' '), flags.join(u' '));
        if (command->spec().arguments.contains(u"file"_s))
            fileCommands += (fileCommands.isEmpty() ? QString() : u"|"_s) + u"\"%1\""_s.arg(path.join(u' '));
    }
    for (const QString &group : top)
        if (subcommands.contains(group))
            subcommandCases += u"            %1) COMPREPLY=($(compgen -W \"%2\" -- \"$cur\")) ;;\n"_s.arg(
                group, subcommands[group].join(u' '));
    top << u"help"_s;

    return uR"(# bash completion for mainflux-cli — generated from the command table by mainflux-cli-docgen; do not edit.
_mainflux_cli()
{
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
    local value_opts="%1"
    COMPREPLY=()
    case "$prev" in
        -f|--format) COMPREPLY=($(compgen -W "table json" -- "$cur")); return ;;
        --type) COMPREPLY=($(compgen -W "device app" -- "$cur")); return ;;
        -c|--content-type) COMPREPLY=($(compgen -W "application/senml+json application/senml+cbor application/json application/octet-stream" -- "$cur")); return ;;
        --config) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
    if [[ " $value_opts " == *" $prev "* ]]; then
        return
    fi
    local words=() i w
    for ((i = 1; i < COMP_CWORD; i++)); do
        w="${COMP_WORDS[i]}"
        if [[ "$w" == -* ]]; then
            [[ "$w" != *=* && " $value_opts " == *" $w "* ]] && ((i++))
            continue
        fi
        words+=("$w")
    done
    if ((${#words[@]} == 0)); then
        if [[ "$cur" == -* ]]; then
            COMPREPLY=($(compgen -W "%2" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "%3" -- "$cur"))
        fi
        return
    fi
    if ((${#words[@]} == 1)) && [[ "$cur" != -* ]]; then
        case "${words[0]}" in
%4            help) COMPREPLY=($(compgen -W "%3" -- "$cur")) ;;
        esac
        [[ ${#COMPREPLY[@]} -gt 0 ]] && return
    fi
    local command="${words[0]}"
    ((${#words[@]} > 1)) && [[ "${words[0]}" != help ]] && command="${words[0]} ${words[1]}"
    local opts=""
    case "$command" in
%5    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    case "$command" in
        %6) COMPREPLY=($(compgen -f -- "$cur")) ;;
    esac
}
complete -o default -F _mainflux_cli mainflux-cli
)"_s.arg(valueOptions.join(u' '), globalFlags.join(u' '), top.join(u' '), subcommandCases, optionCases, fileCommands);
}

// roff: backslashes and hyphens escaped, no line may start with a control character.
QString roff(QString text)
{
    text.replace(u'\\', u"\\e"_s).replace(u'-', u"\\-"_s);
    if (text.startsWith(u'.') || text.startsWith(u'\'')) text.prepend(u"\\&"_s);
    return text;
}

QString optionItem(const QCommandLineOption &option)
{
    QStringList flags;
    for (const QString &flag : flagNames(option))
        flags << u"\\fB"_s + roff(flag) + u"\\fR"_s;
    QString head = flags.join(u", "_s);
    if (!option.valueName().isEmpty()) head += u" \\fI"_s + roff(option.valueName()) + u"\\fR"_s;
    return u".TP\n"_s + head + u'\n' + roff(option.description()) + u'\n';
}

QString manPage()
{
    QString page =
        u".TH MAINFLUX\\-CLI 1 \"\" \"mainflux\\-cli %1\" \"User Commands\"\n"_s.arg(roff(QStringLiteral(MF_VERSION)));
    page += u".SH NAME\nmainflux\\-cli \\- manage a Mainflux IoT platform from a terminal\n"
            ".SH SYNOPSIS\n.B mainflux\\-cli\n.I command\n[\\fIarguments\\fR] [\\fIoptions\\fR]\n"
            ".SH DESCRIPTION\nmainflux\\-cli talks to the REST API of a Mainflux backend (users, things, channels, "
            "connections, HTTP messages) with the command tree of the Mainflux 0.7 CLI, plus administration, "
            "profiles and idempotent provisioning. Results go to standard output (aligned tables, or the server's "
            "JSON with \\fB\\-f json\\fR); errors go to standard error.\n"
            "Options may appear anywhere after the program name; \\fB\\-\\-\\fR ends them.\n"
            ".SH GLOBAL OPTIONS\n"_s;
    for (const QCommandLineOption &option : globalOptions())
        page += optionItem(option);
    page += u".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nShow help for the program, a command group or a command.\n"_s;
    page += u".SH COMMANDS\n"_s;
    QString group;
    for (const auto &command : allCommands()) {
        const CommandSpec &spec = command->spec();
        if (spec.path.first() != group) {
            group = spec.path.first();
            page += u".SS "_s + roff(group) + u'\n';
        }
        page += u".TP\n\\fB"_s + roff(command->name()) + u"\\fR"_s;
        if (!spec.arguments.isEmpty()) page += u" \\fI"_s + roff(spec.arguments) + u"\\fR"_s;
        page += u'\n' + roff(spec.description);
        if (!spec.needsToken) page += u" No user token needed."_s;
        page += u'\n';
        if (!spec.options.isEmpty()) {
            page += u".RS\n"_s;
            for (const QCommandLineOption &option : spec.options)
                page += optionItem(option);
            page += u".RE\n"_s;
        }
    }
    page += u".SH ENVIRONMENT\n"
            ".TP\n\\fBMF_URL\\fR\nBase URL, below \\fB\\-m\\fR and above the profile.\n"
            ".TP\n\\fBMF_TOKEN\\fR\nUser token, below \\fB\\-\\-token\\fR and above the profile.\n"
            ".TP\n\\fBMF_PROFILE\\fR\nProfile to use when \\fB\\-\\-profile\\fR is not given (default \"default\").\n"
            ".TP\n\\fBMF_CONTENT_TYPE\\fR, \\fBMF_FORMAT\\fR\nDefaults for \\fB\\-c\\fR and \\fB\\-f\\fR.\n"
            ".TP\n\\fBMF_WS_URL\\fR\nWebSocket adapter URL for \\fBmsg watch\\fR, below \\fB\\-\\-ws\\-url\\fR and "
            "above the "
            "profile (default ws://<host of \\fB\\-m\\fR>:8186).\n"
            ".TP\n\\fBMF_CLI_CONFIG\\fR\nConfig file instead of ~/.config/mainflux/cli.conf.\n"
            ".SH FILES\n.TP\n\\fI~/.config/mainflux/cli.conf\\fR\nProfiles: one INI group per profile with the keys "
            "url, token, insecure, ca, content_type, format and ws_url. Written with mode 0600; it holds tokens.\n"
            ".SH EXIT STATUS\n.TP\n0\nSuccess.\n.TP\n1\nThe server refused (its message is printed) or could not be "
            "reached.\n.TP\n2\nUsage error: a usage line is printed.\n"
            ".SH EXAMPLES\n.nf\nmainflux\\-cli users create alice@example.com secret123\n"
            "mainflux\\-cli users token alice@example.com secret123 \\-\\-save\n"
            "mainflux\\-cli things create \\-\\-name sensor\\-1 \\-\\-type device\n"
            "mainflux\\-cli things get \\-\\-name sensor \\-f json\n"
            "mainflux\\-cli provision apply fleet.json\n.fi\n"
            ".SH SEE ALSO\n\\fBmainflux\\-backend\\fR(1)\n"_s;
    return page;
}

bool write(const QString &path, const QString &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) return false;
    return file.write(text.toUtf8()) >= 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() != 3) {
        QTextStream(stderr) << "usage: mainflux-cli-docgen <completion-file> <man-page-file>\n";
        return 2;
    }
    if (!write(args[1], bashCompletion()) || !write(args[2], manPage())) {
        QTextStream(stderr) << "mainflux-cli-docgen: cannot write the output files\n";
        return 1;
    }
    return 0;
}
