// The channel dialog's "Content type" field (issue 18) against a whole backend in-process: what the operator picks
// becomes the channel's metadata "content_type", an existing one is shown in the field (not in the JSON), a value
// that is not a media type keeps OK disabled and says why, and a 0.7 string metadata keeps its form.
#include "client/restclient.h"
#include "connectdialog.h"
#include "entitydialog.h"
#include "testbackend.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using mf::ui::EntityDialog;

class TestEntityDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        m_backend = std::make_unique<mf::testing::TestBackend>();
        QVERIFY2(m_backend->isRunning(), qPrintable(m_backend->startError()));
        m_backend->createUser(u"ann@example.com"_s);
        m_client = std::make_unique<mf::client::RestClient>(QUrl(m_backend->baseUrl()));
        m_client->setToken(QString::fromUtf8(m_backend->token(u"ann@example.com"_s)));
    }

    void newChannelWithAContentType()
    {
        EntityDialog dialog(EntityDialog::Kind::Channel, m_client.get());
        dialog.show();
        QTest::keyClicks(dialog.nameEdit(), u"field devices"_s);
        dialog.metadataEdit()->setPlainText(u"{\"site\": \"Berlin\"}"_s);
        dialog.contentTypeBox()->setCurrentText(u"json"_s);
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY(visibleText(dialog).contains(u"Not a media type"_s));
        dialog.contentTypeBox()->setCurrentText(u"application/json"_s);
        QVERIFY(dialog.okButton()->isEnabled());
        if (const QString dir = qEnvironmentVariable("MF_SCREENSHOT_DIR"); !dir.isEmpty()) {
            QTest::qWait(100); // the layout settles after the reason is hidden
            dialog.grab().save(dir + u"/channel-dialog.png"_s);
        }
        QVERIFY(!visibleText(dialog).contains(u"Not a media type"_s));
        QTest::mouseClick(dialog.okButton(), Qt::LeftButton);
        QTRY_COMPARE(dialog.result(), int(QDialog::Accepted));

        auto stored = m_client->channel(dialog.channel().id).wait();
        QVERIFY(stored);
        QCOMPARE(stored->metadata.object(),
                 (QJsonObject{{u"site"_s, u"Berlin"_s}, {u"content_type"_s, u"application/json"_s}}));
        m_channel = *stored;
    }

    void editShowsItInItsFieldAndCanClearIt()
    {
        EntityDialog dialog(EntityDialog::Kind::Channel, m_client.get());
        dialog.editChannel(m_channel);
        dialog.show();
        QCOMPARE(dialog.contentTypeBox()->currentText(), u"application/json"_s);
        QVERIFY(!dialog.metadataEdit()->toPlainText().contains(u"content_type"_s));
        dialog.contentTypeBox()->setCurrentText(QString());
        QTest::mouseClick(dialog.okButton(), Qt::LeftButton);
        QTRY_COMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(m_client->channel(m_channel.id).wait()->metadata.object(), (QJsonObject{{u"site"_s, u"Berlin"_s}}));
    }

    void aStringMetadataKeepsItsForm()
    {
        auto created =
            m_client->createChannel(QJsonObject{{u"name"_s, u"legacy"_s}, {u"metadata"_s, u"{\"room\":\"a1\"}"_s}})
                .wait();
        QVERIFY(created);
        EntityDialog dialog(EntityDialog::Kind::Channel, m_client.get());
        dialog.editChannel(*created);
        dialog.show();
        QVERIFY(dialog.metadataAsStringBox()->isChecked());
        dialog.contentTypeBox()->setCurrentText(u"text/plain"_s);
        QTest::mouseClick(dialog.okButton(), Qt::LeftButton);
        QTRY_COMPARE(dialog.result(), int(QDialog::Accepted));
        const auto stored = m_client->channel(created->id).wait();
        QCOMPARE(stored->metadata.form(), mf::Metadata::Form::String);
        QCOMPARE(stored->metadata.object(), (QJsonObject{{u"room"_s, u"a1"_s}, {u"content_type"_s, u"text/plain"_s}}));
    }

    void thingsHaveNoContentType()
    {
        EntityDialog dialog(EntityDialog::Kind::Thing, m_client.get());
        dialog.show();
        QVERIFY(!dialog.contentTypeBox()->isVisible());
    }

    // A disabled Create says why, in the dialog: no name yet, then metadata that is not JSON; nothing when enabled.
    void aDisabledCreateSaysWhy()
    {
        EntityDialog dialog(EntityDialog::Kind::Thing, m_client.get());
        dialog.show();
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY(visibleText(dialog).contains(u"Enter a name for the thing."_s));
        QTest::keyClicks(dialog.nameEdit(), u"boiler-7"_s);
        QVERIFY(dialog.okButton()->isEnabled());
        QVERIFY(dialog.hintText().isEmpty());
        dialog.metadataEdit()->setPlainText(u"{\"room\": "_s);
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY(visibleText(dialog).contains(u"Correct the metadata first"_s));
        dialog.metadataEdit()->setPlainText(u"{\"room\": \"a1\"}"_s);
        QVERIFY(dialog.okButton()->isEnabled());
        QVERIFY(!visibleText(dialog).contains(u"Correct the metadata"_s));
    }

    // Connect things: a disabled Connect says to select things, then how many are selected.
    void aDisabledConnectSaysWhy()
    {
        QVERIFY(m_client->createThing(QJsonObject{{u"name"_s, u"boiler-9"_s}}).wait());
        mf::ui::ConnectDialog dialog(m_client.get(), {u"boiler-room"_s});
        dialog.show();
        auto *view = dialog.findChild<QTableView *>();
        QVERIFY(view);
        QTRY_VERIFY(view->model()->rowCount() > 0);
        QPushButton *connectButton = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QVERIFY(!connectButton->isEnabled());
        QVERIFY2(visibleText(dialog).contains(u"Select the things to connect"_s), qPrintable(visibleText(dialog)));
        view->selectRow(0);
        QVERIFY(connectButton->isEnabled());
        QVERIFY2(visibleText(dialog).contains(u"1 thing(s) selected."_s), qPrintable(visibleText(dialog)));
    }

private:
    static QString visibleText(const QWidget &root)
    {
        QString text;
        for (const QLabel *label : root.findChildren<QLabel *>())
            if (label->isVisible()) text += label->text() + u'\n';
        return text;
    }

    std::unique_ptr<mf::testing::TestBackend> m_backend;
    std::unique_ptr<mf::client::RestClient> m_client;
    mf::Channel m_channel;
};

QTEST_MAIN(TestEntityDialog)
#include "tst_entitydialog.moc"
