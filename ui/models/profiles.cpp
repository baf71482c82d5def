#include "profiles.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSettings>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace mf::ui {

namespace {
Profile localProfile()
{
    Profile p;
    p.id = QString::fromLatin1(LocalProfileId);
    p.name = QCoreApplication::translate("mf::ui::ProfileStore", "This computer");
    p.kind = Profile::Kind::Local;
    return p;
}
} // namespace

Result<client::TlsTrust> tlsTrust(const Profile &profile)
{
    client::TlsTrust trust;
    trust.pinnedSha256 = profile.pinnedSha256;
    if (profile.caFile.isEmpty()) return trust;
    if (!QFileInfo(profile.caFile).isReadable())
        return fail(
            ErrorCode::Malformed,
            QCoreApplication::translate("mf::ui::ProfileStore", "cannot read the CA file %1").arg(profile.caFile));
    trust.caCertificates = QSslCertificate::fromPath(profile.caFile, QSsl::Pem);
    if (trust.caCertificates.isEmpty())
        return fail(ErrorCode::Malformed,
                    QCoreApplication::translate("mf::ui::ProfileStore", "the CA file %1 holds no PEM certificate")
                        .arg(profile.caFile));
    return trust;
}

QList<Profile> ProfileStore::profiles() const
{
    QList<Profile> list{profile(QString::fromLatin1(LocalProfileId))};
    m_settings.beginGroup(u"profiles"_s);
    const QStringList ids = m_settings.childGroups();
    m_settings.endGroup();
    for (const QString &id : ids)
        if (id != QLatin1StringView(LocalProfileId)) list.append(profile(id));
    return list;
}

Profile ProfileStore::profile(const QString &id) const
{
    Profile p = localProfile();
    m_settings.beginGroup(u"profiles/"_s + id);
    if (id != QLatin1StringView(LocalProfileId) && m_settings.contains(u"url"_s)) {
        p.id = id;
        p.kind = Profile::Kind::Remote;
        p.name = m_settings.value(u"name"_s).toString();
        p.url = m_settings.value(u"url"_s).toUrl();
        p.liveUrl = m_settings.value(u"liveUrl"_s).toUrl();
        p.caFile = m_settings.value(u"caFile"_s).toString();
        p.pinnedSha256 = m_settings.value(u"tlsPin"_s).toByteArray();
    }
    if (p.id == id) p.email = m_settings.value(u"email"_s).toString();
    m_settings.endGroup();
    return p;
}

void ProfileStore::save(const Profile &p)
{
    m_settings.beginGroup(u"profiles/"_s + p.id);
    if (!p.isLocal()) {
        m_settings.setValue(u"name"_s, p.name);
        m_settings.setValue(u"url"_s, p.url);
        m_settings.setValue(u"liveUrl"_s, p.liveUrl);
        m_settings.setValue(u"caFile"_s, p.caFile);
        m_settings.setValue(u"tlsPin"_s, p.pinnedSha256);
        // Accepting any certificate is gone: a profile that did is asked once about its certificate instead.
        m_settings.remove(u"insecure"_s);
    }
    m_settings.setValue(u"email"_s, p.email);
    m_settings.endGroup();
}

void ProfileStore::remove(const QString &id)
{
    m_settings.remove(u"profiles/"_s + id);
}

QString ProfileStore::lastProfileId() const
{
    return m_settings.value(u"lastProfile"_s, QString::fromLatin1(LocalProfileId)).toString();
}

void ProfileStore::setLastProfileId(const QString &id)
{
    m_settings.setValue(u"lastProfile"_s, id);
}

QString ProfileStore::newId() const
{
    return QUuid::createUuid().toString(QUuid::Id128).left(12);
}

} // namespace mf::ui
