#pragma once

#include "client/pending.h"

#include <QObject>

namespace mf::ui {

// Where the dashboard keeps user tokens, one per profile. The system keychain (QtKeychain: Secret Service, KWallet,
// macOS Keychain, Windows Credential Store) is preferred. QtKeychain fails on machines without a session bus or an
// unlocked keyring, and its own insecure fallback does not engage there, so on any keychain error the token goes to
// <dir>/tokens.json, readable only by the user (0600), and `notice()` says so; the GUI shows that notice. The mode can
// force either store (setting "Store tokens in", environment MF_TOKEN_STORE=keychain|file).
//
// Threading: GUI thread; results come back through Pending (QtKeychain jobs are asynchronous).
class TokenStore final : public QObject
{
    Q_OBJECT

public:
    enum class Mode { Automatic, Keychain, File };
    Q_ENUM(Mode)
    enum class Location { None, Keychain, File };
    Q_ENUM(Location)

    // `service` names the keychain entries; `fileDir` holds the fallback file (created 0700 if missing).
    explicit TokenStore(const QString &service, const QString &fileDir, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(TokenStore)

    static Mode modeFromString(const QString &text); // "keychain", "file", anything else: Automatic
    static QString modeToString(Mode mode);

    void setMode(Mode mode) { m_mode = mode; }
    Mode mode() const { return m_mode; }
    QString filePath() const;

    client::Pending<void> save(const QString &account, const QString &token);
    // The token, or an empty string when none is stored.
    client::Pending<QString> load(const QString &account);
    client::Pending<void> remove(const QString &account);

    // Where the last save or load found its place, and a sentence for the user when that is the file.
    Location lastLocation() const { return m_location; }
    QString notice() const { return m_notice; }

Q_SIGNALS:
    void noticeChanged(const QString &notice);

private:
    Result<void> saveToFile(const QString &account, const QString &token);
    QString loadFromFile(const QString &account) const;
    void removeFromFile(const QString &account);
    void useFile(const QString &why);

    QString m_service;
    QString m_dir;
    Mode m_mode = Mode::Automatic;
    Location m_location = Location::None;
    QString m_notice;
};

} // namespace mf::ui
