#include "models/tokenstore.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

using namespace Qt::StringLiterals;
using mf::ui::TokenStore;

namespace {
int modeOf(const QString &path)
{
    struct stat st = {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
}
} // namespace

// Without a session bus QtKeychain fails; the store must fall back to a file only the user can read and say so.
// Run again under with-keyring.sh (MF_TEST_KEYCHAIN=1) it must use the real keychain and write no file.
class TestTokenStore : public QObject
{
    Q_OBJECT

private slots:
    void fileModeIsPrivate();
    void automaticFallsBackWithNotice();
    void keychain();

private:
    static bool keychainRun() { return qEnvironmentVariableIsSet("MF_TEST_KEYCHAIN"); }
};

void TestTokenStore::fileModeIsPrivate()
{
    if (keychainRun()) QSKIP("keychain run");
    QTemporaryDir dir;
    TokenStore store(u"mainflux-test"_s, dir.filePath(u"cfg"_s));
    store.setMode(TokenStore::Mode::File);
    QSignalSpy notice(&store, &TokenStore::noticeChanged);
    QVERIFY(store.save(u"local"_s, u"token-123"_s).wait().has_value());
    QCOMPARE(store.lastLocation(), TokenStore::Location::File);
    QVERIFY(QFile::exists(store.filePath()));
    QCOMPARE(modeOf(store.filePath()), 0600);
    QCOMPARE(notice.count(), 1);
    QVERIFY(store.notice().contains(store.filePath()));
    QCOMPARE(*store.load(u"local"_s).wait(), u"token-123"_s);
    QCOMPARE(*store.load(u"other"_s).wait(), QString());
    QVERIFY(store.remove(u"local"_s).wait().has_value());
    QCOMPARE(*store.load(u"local"_s).wait(), QString());
}

void TestTokenStore::automaticFallsBackWithNotice()
{
    if (keychainRun()) QSKIP("keychain run");
    QTemporaryDir dir;
    TokenStore store(u"mainflux-test"_s, dir.filePath(u"cfg"_s));
    QCOMPARE(store.mode(), TokenStore::Mode::Automatic);
    QSignalSpy notice(&store, &TokenStore::noticeChanged);
    auto saved = store.save(u"local"_s, u"token-abc"_s).wait();
    QVERIFY(saved.has_value());
    QCOMPARE(store.lastLocation(), TokenStore::Location::File);
    QCOMPARE(notice.count(), 1);
    QVERIFY2(store.notice().contains(u"keychain is unavailable"_s), qPrintable(store.notice()));
    QCOMPARE(modeOf(store.filePath()), 0600);
    QCOMPARE(*store.load(u"local"_s).wait(), u"token-abc"_s);

    // Forcing the keychain reports the failure instead of writing a file.
    TokenStore strict(u"mainflux-test"_s, dir.filePath(u"strict"_s));
    strict.setMode(TokenStore::Mode::Keychain);
    QVERIFY(!strict.save(u"local"_s, u"x"_s).wait().has_value());
    QVERIFY(!QFile::exists(strict.filePath()));
}

void TestTokenStore::keychain()
{
    if (!keychainRun()) QSKIP("needs a keyring: run through with-keyring.sh (ctest tst_tokenstore_keychain)");
    QTemporaryDir dir;
    TokenStore store(u"mainflux-test"_s, dir.filePath(u"cfg"_s));
    store.setMode(TokenStore::Mode::Keychain);
    auto saved = store.save(u"local"_s, u"secret-token"_s).wait();
    QVERIFY2(saved.has_value(), saved ? "" : qPrintable(saved.error().message));
    QCOMPARE(store.lastLocation(), TokenStore::Location::Keychain);
    QVERIFY(!QFile::exists(store.filePath()));
    QVERIFY(store.notice().isEmpty());

    TokenStore again(u"mainflux-test"_s, dir.filePath(u"cfg"_s)); // automatic: finds it in the keychain
    QCOMPARE(*again.load(u"local"_s).wait(), u"secret-token"_s);
    QCOMPARE(again.lastLocation(), TokenStore::Location::Keychain);
    QVERIFY(again.remove(u"local"_s).wait().has_value());
    QCOMPARE(*again.load(u"local"_s).wait(), QString());
}

QTEST_GUILESS_MAIN(TestTokenStore)
#include "tst_tokenstore.moc"
