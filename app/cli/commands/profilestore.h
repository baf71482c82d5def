#pragma once

#include "core/error.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace mf::cli {

// Named profiles in an INI file (~/.config/mainflux/cli.conf by default), one group per profile:
//   [lab]
//   url=http://10.0.0.2:8180
//   token=eyJ...
// Keys: url, token, insecure, ca, content_type, format, ws_url. The file holds tokens, so it is kept 0600.
class ProfileStore final
{
public:
    explicit ProfileStore(QString path) : m_path(std::move(path)) {}

    QString path() const { return m_path; }
    QStringList names() const;
    bool contains(const QString &profile) const;
    QHash<QString, QString> values(const QString &profile) const;
    Result<void> set(const QString &profile, const QHash<QString, QString> &values);
    Result<void> remove(const QString &profile);

    static const QStringList &keys();

private:
    QString m_path;
};

} // namespace mf::cli
