#include "command.h"

#include "core/unixsignals.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSslCertificate>

using namespace Qt::StringLiterals;

namespace mf::cli {

bool looksLikeJwt(const QString &arg)
{
    const QStringList parts = arg.split(u'.');
    if (parts.size() != 3 || parts.contains(QString())) return false;
    const auto header = QByteArray::fromBase64Encoding(parts.first().toLatin1(),
                                                       QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals |
                                                           QByteArray::AbortOnBase64DecodingErrors);
    return header && QJsonDocument::fromJson(*header).object().contains("alg"_L1);
}

QString Command::usage() const
{
    QString line = u"mainflux-cli "_s + name();
    if (!m_spec.arguments.isEmpty()) line += u' ' + m_spec.arguments;
    return line + u" [options]"_s;
}

Context::Context(const Command &command, const QCommandLineParser &parser, Settings settings, ProfileStore &profiles,
                 QTextStream &out, QTextStream &err)
    : out(out), err(err), m_command(command), m_parser(parser), m_settings(std::move(settings)), m_profiles(profiles),
      m_args(parser.positionalArguments())
{
    if (m_settings.trailingToken) m_args.removeLast();
}

Context::~Context() = default;

PageQuery Context::page() const
{
    PageQuery query;
    query.offset = m_settings.offset;
    query.limit = m_settings.limit;
    return query;
}

client::RestClient &Context::client()
{
    if (!m_client) {
        m_client = std::make_unique<client::RestClient>(QUrl(m_settings.url));
        m_client->setToken(m_settings.token);
        m_client->setInsecure(m_settings.insecure);
        if (!m_settings.caFile.isEmpty()) // readable and holding certificates: checked by Cli::run
            m_client->setCaCertificates(QSslCertificate::fromPath(m_settings.caFile, QSsl::Pem));
    }
    return *m_client;
}

int Context::failed(const Error &error)
{
    err << "error: " << (error.message.isEmpty() ? errorCodeName(error.code) : error.message) << Qt::endl;
    return ExitApiError;
}

int Context::usageError(const QString &message)
{
    err << "error: " << message << '\n'
        << "usage: " << m_command.usage() << '\n'
        << "(mainflux-cli " << m_command.name() << " --help for details)" << Qt::endl;
    return ExitUsage;
}

void Context::printJson(const QJsonValue &value)
{
    const QJsonDocument doc = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    out << QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    out.flush();
}

void Context::note(const QString &line)
{
    if (!json()) out << line << Qt::endl;
}

int ShowCommand::run(Context &ctx)
{
    auto body = m_fetch(ctx.client(), ctx.arg(0)).wait();
    if (!body) return ctx.failed(body.error());
    if (ctx.json())
        ctx.printJson(*body);
    else
        m_print(ctx.out, *body);
    return ExitSuccess;
}

mf::UnixSignalWatcher &terminationSignals()
{
    static QPointer<mf::UnixSignalWatcher> watcher;
    if (!watcher) watcher = new mf::UnixSignalWatcher(QCoreApplication::instance());
    return *watcher;
}

} // namespace mf::cli
