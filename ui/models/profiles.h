#pragma once

#include "client/tlstrust.h"
#include "core/error.h"

#include <QList>
#include <QString>
#include <QUrl>

class QSettings;

namespace mf::ui {

// A backend the dashboard can use: "This computer" (launches the bundled mainflux-backend) or a remote server.
struct Profile
{
    enum class Kind { Local, Remote };
    QString id; // "local" for This computer; stable key of the stored token
    QString name;
    Kind kind = Kind::Local;
    QUrl url;      // remote REST base URL
    QUrl liveUrl;  // remote WebSocket base (ws://host:port); empty: none
    QString email; // last e-mail signed in with, to prefill the sign-in form
    QString caFile;          // PEM file of CAs trusted besides the system's (a lab's own CA); empty: none
    QByteArray pinnedSha256; // the self-signed certificate the user trusted on first use ("AB:CD:…"); empty: none

    bool isLocal() const { return kind == Kind::Local; }
    friend bool operator==(const Profile &, const Profile &) = default;
};

inline constexpr char LocalProfileId[] = "local";

// The TLS trust of every connection to this profile's server: the system's CAs, those of caFile, or exactly the
// pinned certificate. A CA file that cannot be read or holds no certificate is an error naming the file.
Result<client::TlsTrust> tlsTrust(const Profile &profile);

// Profiles in QSettings (group "profiles/<id>"), the local one always first. Settings are owned by the caller.
class ProfileStore final
{
public:
    explicit ProfileStore(QSettings &settings) : m_settings(settings) {}

    QList<Profile> profiles() const;
    Profile profile(const QString &id) const; // the local one when unknown
    void save(const Profile &profile);
    void remove(const QString &id);
    QString lastProfileId() const;
    void setLastProfileId(const QString &id);
    // A fresh id for a new remote profile.
    QString newId() const;

private:
    QSettings &m_settings;
};

} // namespace mf::ui
