#include "tokenstore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace mf::ui {

TokenStore::TokenStore(const QString &service, const QString &fileDir, QObject *parent)
    : QObject(parent), m_service(service), m_dir(fileDir)
{}

TokenStore::Mode TokenStore::modeFromString(const QString &text)
{
    if (text == "keychain"_L1) return Mode::Keychain;
    if (text == "file"_L1) return Mode::File;
    return Mode::Automatic;
}

QString TokenStore::modeToString(Mode mode)
{
    switch (mode) {
    case Mode::Keychain:
        return u"keychain"_s;
    case Mode::File:
        return u"file"_s;
    case Mode::Automatic:
        break;
    }
    return u"automatic"_s;
}

QString TokenStore::filePath() const
{
    return QDir(m_dir).filePath(u"tokens.json"_s);
}

void TokenStore::useFile(const QString &why)
{
    m_location = Location::File;
    const QString notice =
        why.isEmpty() ? tr("Sign-in tokens are stored in %1, readable only by you (the keychain is switched off in "
                           "the settings).")
                            .arg(QDir::toNativeSeparators(filePath()))
                      : tr("The system keychain is unavailable (%1). Sign-in tokens are stored in %2, readable only "
                           "by you.")
                            .arg(why, QDir::toNativeSeparators(filePath()));
    if (notice != m_notice) {
        m_notice = notice;
        Q_EMIT noticeChanged(m_notice);
    }
}

Result<void> TokenStore::saveToFile(const QString &account, const QString &token)
{
    if (!QDir().mkpath(m_dir)) return fail(ErrorCode::Internal, tr("cannot create %1").arg(m_dir));
    QFile::setPermissions(m_dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QJsonObject all;
    {
        QFile in(filePath());
        if (in.open(QIODevice::ReadOnly)) all = QJsonDocument::fromJson(in.readAll()).object();
    }
    if (token.isEmpty())
        all.remove(account);
    else
        all.insert(account, token);
    QSaveFile out(filePath());
    if (!out.open(QIODevice::WriteOnly))
        return fail(ErrorCode::Internal, tr("cannot write %1: %2").arg(filePath(), out.errorString()));
    // Permissions first, content second: the token never sits in a file others could read.
    out.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    out.write(QJsonDocument(all).toJson());
    if (!out.commit()) return fail(ErrorCode::Internal, tr("cannot write %1: %2").arg(filePath(), out.errorString()));
    QFile::setPermissions(filePath(), QFile::ReadOwner | QFile::WriteOwner);
    return {};
}

QString TokenStore::loadFromFile(const QString &account) const
{
    QFile in(filePath());
    if (!in.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(in.readAll()).object().value(account).toString();
}

void TokenStore::removeFromFile(const QString &account)
{
    if (QFile::exists(filePath())) saveToFile(account, {});
}

client::Pending<void> TokenStore::save(const QString &account, const QString &token)
{
    client::Pending<void> pending;
    if (m_mode == Mode::File) {
        useFile({});
        pending.finish(saveToFile(account, token));
        return pending;
    }
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(account);
    job->setTextData(token);
    connect(job, &QKeychain::Job::finished, this, [this, job, pending, account, token] {
        if (job->error() == QKeychain::NoError) {
            m_location = Location::Keychain;
            removeFromFile(account); // no stale copy in the file once the keychain works
            pending.finish({});
            return;
        }
        if (m_mode == Mode::Keychain) {
            pending.finish(
                fail(ErrorCode::Unavailable, tr("the system keychain refused the token: %1").arg(job->errorString())));
            return;
        }
        useFile(job->errorString());
        pending.finish(saveToFile(account, token));
    });
    job->start();
    return pending;
}

client::Pending<QString> TokenStore::load(const QString &account)
{
    client::Pending<QString> pending;
    if (m_mode == Mode::File) {
        useFile({});
        pending.finish(loadFromFile(account));
        return pending;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(account);
    connect(job, &QKeychain::Job::finished, this, [this, job, pending, account] {
        if (job->error() == QKeychain::NoError) {
            m_location = Location::Keychain;
            pending.finish(job->textData());
            return;
        }
        if (m_mode == Mode::Keychain) {
            pending.finish(job->error() == QKeychain::EntryNotFound ? Result<QString>(QString())
                                                                    : fail(ErrorCode::Unavailable, job->errorString()));
            return;
        }
        // Not in the keychain: maybe saved to the file while the keychain was unavailable.
        const QString token = loadFromFile(account);
        if (job->error() != QKeychain::EntryNotFound)
            useFile(job->errorString());
        else if (!token.isEmpty())
            m_location = Location::File;
        pending.finish(token);
    });
    job->start();
    return pending;
}

client::Pending<void> TokenStore::remove(const QString &account)
{
    client::Pending<void> pending;
    removeFromFile(account);
    if (m_mode == Mode::File) {
        pending.finish({});
        return pending;
    }
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(account);
    connect(job, &QKeychain::Job::finished, this, [pending] { pending.finish({}); });
    job->start();
    return pending;
}

} // namespace mf::ui
