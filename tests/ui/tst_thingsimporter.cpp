#include "client/restclient.h"
#include "models/thingsimporter.h"
#include "testbackend.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using mf::ui::ThingsImporter;

// The CSV import's batch loop against a whole backend in-process: batches of 100 one after the other, progress after
// each, a cancel that stops after the batch in flight, and a refused batch that names its first line.
class TestThingsImporter : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void createsInBatches();
    void cancelStopsAfterTheBatchInFlight();
    void refusedBatchStopsTheRest();
    void nothingToImport();

private:
    static QJsonArray things(const QString &prefix, int count);
    qint64 countNamed(const QString &prefix);

    std::unique_ptr<mf::testing::TestBackend> m_backend;
    std::unique_ptr<mf::client::RestClient> m_client;
};

void TestThingsImporter::initTestCase()
{
    m_backend = std::make_unique<mf::testing::TestBackend>();
    QVERIFY2(m_backend->isRunning(), qPrintable(m_backend->startError()));
    m_backend->createUser(u"ann@example.com"_s);
    m_client = std::make_unique<mf::client::RestClient>(QUrl(m_backend->baseUrl()));
    m_client->setToken(QString::fromUtf8(m_backend->token(u"ann@example.com"_s)));
}

QJsonArray TestThingsImporter::things(const QString &prefix, int count)
{
    QJsonArray out;
    for (int i = 0; i < count; ++i)
        out.append(
            QJsonObject{{u"name"_s, u"%1-%2"_s.arg(prefix).arg(i, 4, 10, QChar(u'0'))}, {u"type"_s, u"device"_s}});
    return out;
}

qint64 TestThingsImporter::countNamed(const QString &prefix)
{
    mf::PageQuery query;
    query.limit = 1;
    query.name = prefix;
    const auto page = m_client->things(query).wait();
    if (!page) {
        QTest::qFail(qPrintable(page.error().message), __FILE__, __LINE__);
        return -1;
    }
    return page->total;
}

void TestThingsImporter::createsInBatches()
{
    ThingsImporter importer(*m_client, things(u"batch"_s, 250));
    QCOMPARE(importer.total(), 250);
    QSignalSpy progressed(&importer, &ThingsImporter::progressed);
    QSignalSpy finished(&importer, &ThingsImporter::finished);
    QSignalSpy failed(&importer, &ThingsImporter::failed);
    importer.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QCOMPARE(finished.at(0).at(0).toInt(), 250);
    QCOMPARE(finished.at(0).at(1).toBool(), false);
    QCOMPARE(progressed.count(), 3);
    QCOMPARE(progressed.at(0).at(0).toInt(), 100);
    QCOMPARE(progressed.at(1).at(0).toInt(), 200);
    QCOMPARE(progressed.at(2).at(0).toInt(), 250);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(importer.created(), 250);
    QCOMPARE(countNamed(u"batch-"_s), 250);
}

void TestThingsImporter::cancelStopsAfterTheBatchInFlight()
{
    ThingsImporter importer(*m_client, things(u"cancelled"_s, 300));
    QSignalSpy finished(&importer, &ThingsImporter::finished);
    importer.start();
    // Cancelled while the first batch is on its way (the answer comes through the event loop): that batch is still
    // counted, no second one is sent.
    importer.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QCOMPARE(finished.at(0).at(0).toInt(), 100);
    QCOMPARE(finished.at(0).at(1).toBool(), true);
    QCOMPARE(countNamed(u"cancelled-"_s), 100);
}

void TestThingsImporter::refusedBatchStopsTheRest()
{
    // The second batch's first thing reuses the first thing's key: the server refuses that batch (a bulk create is
    // all or nothing), and the third batch is never sent.
    QJsonArray rows = things(u"refused"_s, 250);
    QJsonObject first = rows.at(0).toObject();
    first.insert(u"key"_s, u"0d6f1f0e-4b9f-4c57-9d32-0d0f3f4f5a61"_s);
    rows.replace(0, first);
    QJsonObject clash = rows.at(100).toObject();
    clash.insert(u"key"_s, first.value("key"_L1));
    rows.replace(100, clash);

    ThingsImporter importer(*m_client, rows);
    QSignalSpy finished(&importer, &ThingsImporter::finished);
    QSignalSpy failed(&importer, &ThingsImporter::failed);
    importer.start();
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
    QCOMPARE(failed.at(0).at(0).toInt(), 102); // line 1 is the header
    QCOMPARE(failed.at(0).at(1).toInt(), 100);
    QVERIFY(!failed.at(0).at(2).toString().isEmpty());
    QCOMPARE(finished.count(), 0);
    QCOMPARE(countNamed(u"refused-"_s), 100);
}

void TestThingsImporter::nothingToImport()
{
    ThingsImporter importer(*m_client, QJsonArray());
    QSignalSpy finished(&importer, &ThingsImporter::finished);
    importer.start();
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).toInt(), 0);
    QCOMPARE(finished.at(0).at(1).toBool(), false);
}

QTEST_GUILESS_MAIN(TestThingsImporter)
#include "tst_thingsimporter.moc"
