#pragma once

#include "core/error.h"

#include <QHash>
#include <QStringList>

namespace mf::backend {

// One setting of mainflux-backend: env name (MF_HTTP_PORT), flag (--http-port), config-file key (http_port).
struct SettingInfo
{
    QString env;
    QString defaultValue;
    QString help;

    QString flag() const;    // "http-port"
    QString fileKey() const; // "http_port"
};

// The settings, resolved with the precedence flag > MF_* environment variable > config file > default.
class Config final
{
public:
    static const QList<SettingInfo> &settings();
    // Services this build can run, in start order.
    static const QStringList &knownServices();

    // args: the command line without --help/--version handling (main does that); env: the environment.
    static Result<Config> load(const QStringList &args, const QHash<QString, QString> &env);
    // For tests and embedding: only defaults and the given values (by env name); validated like load().
    static Result<Config> fromValues(const QHash<QString, QString> &values);

    QString value(const QString &env) const { return m_values.value(env); }
    quint16 port(const QString &env) const { return quint16(m_values.value(env).toUInt()); }
    bool enabled(const QString &env) const;
    qint64 integer(const QString &env) const { return m_values.value(env).toLongLong(); }
    QStringList services() const; // MF_SERVICES expanded ("all" → every known service)
    bool runs(const QString &service) const { return services().contains(service); }

    // Help text listing every setting with its env name, flag, default and meaning.
    static QString helpText();

private:
    Result<void> validate() const;
    QHash<QString, QString> m_values; // env name → value
};

Result<bool> parseBool(const QString &name, const QString &text);

} // namespace mf::backend
