#include "client/restclient.h"
#include "models/channelsmodel.h"
#include "models/thingsmodel.h"
#include "models/usersmodel.h"
#include "testbackend.h"

#include <QAbstractItemModelTester>
#include <QIcon>
#include <QJsonArray>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using mf::ui::ThingsModel;

// The lazily paged models against a whole backend in-process: 1,050 things arrive 100 at a time as the view would
// ask for them; filter and sort are the server's.
class TestThingsModel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void lazyFetching();
    void filter();
    void sort();
    void localChanges();
    void errorsAreReported();
    void channelsAndUsers();
    void sharedRowStore();
    void statusIsShownAndFiltered();

private:
    static void fetchAll(mf::ui::PagedTableModel &model);

    std::unique_ptr<mf::testing::TestBackend> m_backend;
    std::unique_ptr<mf::client::RestClient> m_client;
};

static constexpr int ThingCount = 1050;

void TestThingsModel::initTestCase()
{
    m_backend = std::make_unique<mf::testing::TestBackend>();
    QVERIFY2(m_backend->isRunning(), qPrintable(m_backend->startError()));
    m_backend->createUser(u"ann@example.com"_s);
    m_client = std::make_unique<mf::client::RestClient>(QUrl(m_backend->baseUrl()));
    m_client->setToken(QString::fromUtf8(m_backend->token(u"ann@example.com"_s)));
    for (int offset = 0; offset < ThingCount; offset += 100) {
        QJsonArray batch;
        for (int i = offset; i < std::min(offset + 100, ThingCount); ++i)
            batch.append(QJsonObject{{u"name"_s, u"thing-%1"_s.arg(i, 4, 10, QChar(u'0'))}, {u"type"_s, u"device"_s}});
        auto created = m_client->createThings(batch).wait();
        QVERIFY2(created.has_value(), created ? "" : qPrintable(created.error().message));
    }
    for (int i = 0; i < 3; ++i)
        QVERIFY(m_client->createChannel(QJsonObject{{u"name"_s, u"channel-%1"_s.arg(i)}}).wait().has_value());
}

void TestThingsModel::fetchAll(mf::ui::PagedTableModel &model)
{
    QTRY_VERIFY(!model.isLoading());
    while (model.canFetchMore({})) {
        model.fetchMore({});
        QTRY_VERIFY(!model.isLoading());
    }
}

void TestThingsModel::lazyFetching()
{
    ThingsModel model; // no tester here: it asks for more rows on its own, which is what this test counts
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.setClient(m_client.get());
    QTRY_COMPARE(model.rowCount(), 100); // only the first page
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(model.total(), ThingCount);
    QVERIFY(model.canFetchMore({}));
    model.fetchMore({});
    model.fetchMore({}); // ignored while a page is on its way
    QTRY_COMPARE(model.rowCount(), 200);
    fetchAll(model);
    QCOMPARE(model.rowCount(), ThingCount);
    QVERIFY(!model.canFetchMore({}));
    QCOMPARE(inserted.count(), 11); // one insertion per page
    QSet<QString> names;            // every thing exactly once (things created in one batch share a timestamp)
    for (int row = 0; row < model.rowCount(); ++row)
        names.insert(model.index(row, ThingsModel::NameColumn).data().toString());
    QCOMPARE(names.size(), ThingCount);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Keys are masked until revealed.
    const QModelIndex key = model.index(0, ThingsModel::KeyColumn);
    QVERIFY(key.data().toString().startsWith(QChar(0x2022)));
    model.setKeyRevealed(model.thingAt(0).id, true);
    QCOMPARE(key.data().toString(), model.thingAt(0).key);
    // A reload starts over from one page.
    model.reload();
    QTRY_COMPARE(model.rowCount(), 100);
}

void TestThingsModel::filter()
{
    ThingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(m_client.get());
    model.setFilter(u"THING-10"_s); // case-insensitive substring on the server: thing-1000..1049
    fetchAll(model);
    QCOMPARE(model.total(), 50);
    QCOMPARE(model.rowCount(), 50);
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY(model.thingAt(row).name.startsWith(u"thing-10"_s));
    model.setFilter(u"no such thing"_s);
    QTRY_VERIFY(model.hasLoaded());
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.total(), 0);
}

void TestThingsModel::sort()
{
    ThingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(m_client.get());
    QTRY_VERIFY(model.rowCount() >= 100);
    model.sort(ThingsModel::NameColumn, Qt::DescendingOrder);
    QCOMPARE(model.order(), u"name"_s);
    QTRY_VERIFY(model.rowCount() >= 100 && !model.isLoading());
    if (model.rowCount() < 200) model.fetchMore({});
    QTRY_VERIFY(model.rowCount() >= 200);
    QCOMPARE(model.thingAt(0).name, u"thing-1049"_s);
    QCOMPARE(model.thingAt(99).name, u"thing-0950"_s);
    QCOMPARE(model.thingAt(100).name, u"thing-0949"_s);    // the next page continues the same order
    model.sort(ThingsModel::IdColumn, Qt::AscendingOrder); // not sortable on the server: ignored
    QCOMPARE(model.order(), u"name"_s);
    model.sort(ThingsModel::CreatedColumn, Qt::AscendingOrder);
    model.sort(ThingsModel::NameColumn, Qt::AscendingOrder);
    QTRY_VERIFY(model.rowCount() >= 100);
    QCOMPARE(model.thingAt(0).name, u"thing-0000"_s);
    fetchAll(model);
    QCOMPARE(model.rowCount(), ThingCount); // no page twice, none missing
}

void TestThingsModel::localChanges()
{
    ThingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(m_client.get());
    fetchAll(model);
    QCOMPARE(model.rowCount(), ThingCount);
    mf::Thing changed = model.thingAt(3);
    changed.name = u"renamed"_s;
    model.replaceThing(changed);
    QCOMPARE(model.index(3, 0).data().toString(), u"renamed"_s);
    model.removeIds({model.thingAt(0).id, model.thingAt(1).id});
    QCOMPARE(model.rowCount(), ThingCount - 2);
    QCOMPARE(model.rowOf(changed.id), 1);
}

void TestThingsModel::errorsAreReported()
{
    mf::client::RestClient bad(QUrl(m_backend->baseUrl()));
    bad.setToken(u"not-a-token"_s);
    ThingsModel model;
    QSignalSpy errors(&model, &mf::ui::PagedTableModel::errorOccurred);
    model.setClient(&bad);
    QTRY_COMPARE(errors.count(), 1);
    QVERIFY(!model.errorMessage().isEmpty());
    QVERIFY(!model.canFetchMore({})); // no retry loop; reload() tries again
}

void TestThingsModel::channelsAndUsers()
{
    mf::ui::ChannelsModel channels;
    QAbstractItemModelTester tester(&channels, QAbstractItemModelTester::FailureReportingMode::QtTest);
    channels.setClient(m_client.get());
    QTRY_COMPARE(channels.rowCount(), 3);
    channels.sort(mf::ui::ChannelsModel::NameColumn, Qt::DescendingOrder);
    QTRY_COMPARE(channels.rowCount(), 3);
    QCOMPARE(channels.channelAt(0).name, u"channel-2"_s);

    mf::ui::UsersModel users; // ann is the first user: an administrator
    QAbstractItemModelTester usersTester(&users, QAbstractItemModelTester::FailureReportingMode::QtTest);
    users.setClient(m_client.get());
    QTRY_COMPARE(users.rowCount(), 1);
    QCOMPARE(users.userAt(0).email, u"ann@example.com"_s);
}

// The row store all three entity models share (EntityTableModel): the id and entity roles, a local replace and remove
// on channels and users, which no other test changes in place.
void TestThingsModel::sharedRowStore()
{
    mf::ui::ChannelsModel channels;
    QAbstractItemModelTester tester(&channels, QAbstractItemModelTester::FailureReportingMode::QtTest);
    channels.setClient(m_client.get());
    QTRY_COMPARE(channels.rowCount(), 3);
    const mf::Channel first = channels.channelAt(0);
    QCOMPARE(channels.index(0, 0).data(mf::ui::PagedTableModel::IdRole).toString(), first.id);
    QCOMPARE(channels.index(0, 0).data(mf::ui::PagedTableModel::EntityRole).value<mf::Channel>().name, first.name);
    mf::Channel renamed = channels.channelAt(2);
    renamed.name = u"renamed"_s;
    QSignalSpy changed(&channels, &QAbstractItemModel::dataChanged);
    channels.replaceChannel(renamed);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(channels.index(2, mf::ui::ChannelsModel::NameColumn).data().toString(), u"renamed"_s);
    mf::Channel unknown;
    unknown.id = u"not-loaded"_s;
    channels.replaceChannel(unknown); // a row not loaded is left alone
    QCOMPARE(changed.count(), 1);
    channels.removeIds({first.id, u"not-loaded"_s});
    QCOMPARE(channels.rowCount(), 2);
    QCOMPARE(channels.rowOf(first.id), -1);
    QCOMPARE(channels.rowOf(renamed.id), 1);

    mf::ui::UsersModel users;
    users.setClient(m_client.get());
    QTRY_COMPARE(users.rowCount(), 1);
    mf::User ann = users.userAt(0);
    ann.enabled = !ann.enabled;
    users.replaceUser(ann);
    QCOMPARE(users.userAt(0).enabled, ann.enabled);
    users.removeIds({ann.id});
    QCOMPARE(users.rowCount(), 0);
}

QTEST_MAIN(TestThingsModel) // the status column draws its dot (a QPixmap needs a QGuiApplication)
#include "tst_thingsmodel.moc"

// What the Things page shows of device status: a thing that published is "Online" with a dot, "just now", first by
// last seen; the Offline filter leaves it out and keeps the silent ones (the server's `status=`).
void TestThingsModel::statusIsShownAndFiltered()
{
    auto channel = m_client->createChannel(QJsonObject{{u"name"_s, u"status-channel"_s}}).wait();
    auto thing = m_client->createThing(QJsonObject{{u"name"_s, u"talker"_s}, {u"type"_s, u"device"_s}}).wait();
    QVERIFY(channel && thing);
    QVERIFY(m_client->connectThing(channel->id, thing->id).wait().has_value());
    QVERIFY(m_client
                ->sendMessage(channel->id, {}, u"application/senml+json"_s, R"([{"n":"temp","v":1}])", thing->key)
                .wait()
                .has_value());
    QTRY_VERIFY_WITH_TIMEOUT(m_client->thing(thing->id).wait()->status.online, 5000);

    ThingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(m_client.get());
    model.sort(ThingsModel::LastSeenColumn, Qt::DescendingOrder);
    QCOMPARE(model.order(), u"last_seen"_s);
    QTRY_VERIFY(model.hasLoaded() && !model.isLoading() && model.rowCount() > 0);
    QCOMPARE(model.thingAt(0).id, thing->id);
    QCOMPARE(model.index(0, ThingsModel::StatusColumn).data().toString(), u"Online"_s);
    QVERIFY(!model.index(0, ThingsModel::StatusColumn).data(Qt::DecorationRole).value<QIcon>().isNull());
    QCOMPARE(model.index(0, ThingsModel::LastSeenColumn).data().toString(), u"just now"_s);
    QVERIFY(model.index(0, ThingsModel::LastSeenColumn).data(Qt::ToolTipRole).toString().endsWith(u" over http"_s));
    QCOMPARE(model.index(1, ThingsModel::StatusColumn).data().toString(), u"Offline"_s);
    QCOMPARE(model.index(1, ThingsModel::LastSeenColumn).data().toString(), u"never"_s);

    // Another thing speaks: a status refresh shows it in place, without a reload.
    const mf::Thing second = model.thingAt(1);
    QVERIFY(m_client->connectThing(channel->id, second.id).wait().has_value());
    QVERIFY(m_client->sendMessage(channel->id, {}, u"application/senml+json"_s, R"([{"n":"temp","v":2}])", second.key)
                .wait()
                .has_value());
    QTRY_VERIFY_WITH_TIMEOUT(m_client->thing(second.id).wait()->status.online, 5000);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.refreshStatuses();
    QTRY_COMPARE(model.index(1, ThingsModel::StatusColumn).data().toString(), u"Online"_s);
    QCOMPARE(model.thingAt(1).id, second.id); // same row
    QCOMPARE(reset.size(), 0);
    QVERIFY(m_client->removeThing(second.id).wait().has_value());

    model.setStatusFilter(u"online"_s);
    QTRY_VERIFY(model.hasLoaded() && !model.isLoading());
    QCOMPARE(model.total(), 1);
    QCOMPARE(model.thingAt(0).id, thing->id);
    model.setStatusFilter(u"offline"_s);
    QTRY_VERIFY(model.hasLoaded() && !model.isLoading());
    QCOMPARE(model.total(), m_client->things({}).wait()->total - 1); // every thing but the talker
    fetchAll(model);
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY(model.thingAt(row).id != thing->id);
}
