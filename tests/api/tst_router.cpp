// The router's decisions (Router::resolve): which route a method and path reach, their parameters, and the 404/405
// distinction with the Allow list. Every REST route of the backend depends on these rules.
#include "api/router.h"

#include <QTest>

using namespace Qt::StringLiterals;
using mf::api::Router;
using Method = Router::Method;

class TestRouter : public QObject
{
    Q_OBJECT

private:
    Router m_router;
    static mf::api::ApiResponse ok(const mf::api::ApiRequest &) { return mf::api::ApiResponse::json(QJsonObject{}); }

private Q_SLOTS:
    void initTestCase()
    {
        m_router.add(Method::Get, u"/things"_s, ok);
        m_router.add(Method::Post, u"/things"_s, ok);
        m_router.add(Method::Get, u"/things/{id}"_s, ok);
        m_router.add(Method::Delete, u"/things/{id}"_s, ok);
        m_router.add(Method::Put, u"/channels/{chanId}/things/{thingId}"_s, ok);
        m_router.add(Method::Post, u"/http/channels/{id}/messages/{subtopic...}"_s, ok);
        m_router.add(Method::Get, u"/things/search"_s, ok); // after {id}: the earlier route wins
    }

    void exactRoute()
    {
        const auto r = m_router.resolve(Method::Post, u"/things"_s);
        QCOMPARE(r.pattern, u"/things"_s);
        QVERIFY(r.params.isEmpty());
        QCOMPARE(r.route, 1);
    }

    void parametersArePercentDecodedSegments()
    {
        const auto r = m_router.resolve(Method::Put, u"/channels/c%201/things/t%2F2"_s);
        QCOMPARE(r.pattern, u"/channels/{chanId}/things/{thingId}"_s);
        QCOMPARE(r.params.value(u"chanId"_s), u"c 1"_s);
        QCOMPARE(r.params.value(u"thingId"_s), u"t/2"_s); // an encoded slash stays inside its segment
    }

    void emptySegmentsAreIgnored()
    {
        QCOMPARE(m_router.resolve(Method::Get, u"//things///abc/"_s).params.value(u"id"_s), u"abc"_s);
    }

    void restParameterTakesTheRestOfThePath()
    {
        auto r = m_router.resolve(Method::Post, u"/http/channels/42/messages/a/b/c"_s);
        QCOMPARE(r.params.value(u"id"_s), u"42"_s);
        QCOMPARE(r.params.value(u"subtopic"_s), u"a/b/c"_s);
        r = m_router.resolve(Method::Post, u"/http/channels/42/messages"_s);
        QCOMPARE(r.pattern, u"/http/channels/{id}/messages/{subtopic...}"_s);
        QCOMPARE(r.params.value(u"subtopic"_s), QString()); // no subtopic
    }

    void earlierRouteWins()
    {
        const auto r = m_router.resolve(Method::Get, u"/things/search"_s);
        QCOMPARE(r.pattern, u"/things/{id}"_s);
        QCOMPARE(r.params.value(u"id"_s), u"search"_s);
    }

    void otherMethodListsWhatIsAllowed()
    {
        const auto r = m_router.resolve(Method::Patch, u"/things/abc"_s);
        QCOMPARE(r.route, -1);
        QVERIFY(r.pattern.isEmpty());
        QVERIFY(r.params.isEmpty());
        QCOMPARE(r.allowed, (QStringList{u"GET"_s, u"DELETE"_s}));
    }

    void unknownPathAllowsNothing_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("unknown") << u"/nothing"_s;
        QTest::newRow("too long") << u"/things/a/b"_s;
        QTest::newRow("too short") << u"/channels/c/things"_s;
        QTest::newRow("root") << u"/"_s;
        QTest::newRow("prefix of a literal") << u"/thing"_s;
    }
    void unknownPathAllowsNothing()
    {
        QFETCH(QString, path);
        const auto r = m_router.resolve(Method::Get, path);
        QCOMPARE(r.route, -1);
        QVERIFY(r.allowed.isEmpty());
    }

    void routesAreListed()
    {
        const auto routes = m_router.routes();
        QCOMPARE(routes.size(), 7);
        QCOMPARE(routes[4].method, u"PUT"_s);
        QCOMPARE(routes[4].pattern, u"/channels/{chanId}/things/{thingId}"_s);
    }
};

QTEST_GUILESS_MAIN(TestRouter)
#include "tst_router.moc"
