#include "profilestore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace mf::cli {

const QStringList &ProfileStore::keys()
{
    static const QStringList list{u"url"_s,          u"token"_s,  u"insecure"_s, u"ca"_s,
                                  u"content_type"_s, u"format"_s, u"ws_url"_s};
    return list;
}

QStringList ProfileStore::names() const
{
    if (!QFile::exists(m_path)) return {};
    QSettings settings(m_path, QSettings::IniFormat);
    QStringList groups = settings.childGroups();
    groups.sort();
    return groups;
}

bool ProfileStore::contains(const QString &profile) const
{
    return names().contains(profile);
}

QHash<QString, QString> ProfileStore::values(const QString &profile) const
{
    QHash<QString, QString> values;
    if (!QFile::exists(m_path)) return values;
    QSettings settings(m_path, QSettings::IniFormat);
    settings.beginGroup(profile);
    for (const QString &key : settings.childKeys())
        values.insert(key, settings.value(key).toString());
    return values;
}

namespace {

Result<void> finish(QSettings &settings, const QString &path)
{
    settings.sync();
    if (settings.status() != QSettings::NoError) return fail(ErrorCode::Unavailable, u"cannot write %1"_s.arg(path));
    // Tokens are credentials: only the owner may read the file.
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return {};
}

} // namespace

Result<void> ProfileStore::set(const QString &profile, const QHash<QString, QString> &values)
{
    if (profile.isEmpty() || profile.contains(u'/') || profile.contains(u'\\'))
        return fail(ErrorCode::Malformed, u"profile names may not be empty or contain / or \\"_s);
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath()))
        return fail(ErrorCode::Unavailable, u"cannot create the directory of %1"_s.arg(m_path));
    QSettings settings(m_path, QSettings::IniFormat);
    settings.beginGroup(profile);
    for (auto it = values.constBegin(); it != values.constEnd(); ++it) {
        if (it.value().isEmpty())
            settings.remove(it.key());
        else
            settings.setValue(it.key(), it.value());
    }
    if (settings.childKeys().isEmpty())
        settings.setValue(u"url"_s, values.value(u"url"_s)); // keep the group, so the profile exists
    settings.endGroup();
    return finish(settings, m_path);
}

Result<void> ProfileStore::remove(const QString &profile)
{
    if (!contains(profile)) return fail(ErrorCode::NotFound, u"no profile named \"%1\" in %2"_s.arg(profile, m_path));
    QSettings settings(m_path, QSettings::IniFormat);
    settings.remove(profile);
    return finish(settings, m_path);
}

} // namespace mf::cli
