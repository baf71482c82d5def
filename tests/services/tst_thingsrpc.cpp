// The things service on the bus: request/reply access checks and change events, and a second backend process
// (here: a second Backend in this process, sharing the database and NATS) whose cache follows changes made through
// the first one.
#include "backendprocess.h"
#include "bus/natsconnection.h"
#include "bus/natsserverprocess.h"
#include "services/things/thingsrpc.h"
#include "testbackend.h"

#include <QDir>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mf;

class TestThingsRpc : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::TestBackend> m_be;
    bus::NatsConnection m_nats;
    QByteArray m_token;
    QString m_thing, m_key, m_channel;

    QJsonObject ask(const char *subject, const QJsonObject &body)
    {
        QJsonObject reply;
        bool done = false;
        m_nats.request(
            subject, QJsonDocument(body).toJson(QJsonDocument::Compact), 5000, this, [&](Result<QByteArray> r) {
                reply = r ? QJsonDocument::fromJson(*r).object() : QJsonObject{{u"transport"_s, r.error().message}};
                done = true;
            });
        if (!QTest::qWaitFor([&] { return done; }, 10000)) return QJsonObject{{u"transport"_s, u"no answer"_s}};
        return reply;
    }

private slots:
    void init()
    {
        m_be = std::make_unique<testing::TestBackend>();
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        QVERIFY(m_nats.open({m_be->backend().natsServer()->url()}, u"test"_s));
        m_be->createUser(u"ann@example.com"_s);
        m_token = m_be->token(u"ann@example.com"_s);
        const auto thing = m_be->post(u"/things"_s, {{u"name"_s, u"t"_s}}, m_token).json();
        m_thing = thing.value("id"_L1).toString();
        m_key = thing.value("key"_L1).toString();
        m_channel = m_be->post(u"/channels"_s, {{u"name"_s, u"c"_s}}, m_token).json().value("id"_L1).toString();
    }
    void cleanup()
    {
        m_nats.close();
        m_be.reset();
    }

    void requestReply()
    {
        QCOMPARE(ask(bus::thingsIdentifySubject, {{u"key"_s, m_key}}).value("thing_id"_L1).toString(), m_thing);
        QCOMPARE(ask(bus::thingsIdentifySubject, {{u"key"_s, u"nope-nope-nope-nope"_s}}).value("code"_L1).toInt(), 401);
        const QJsonObject access{{u"key"_s, m_key}, {u"channel"_s, m_channel}};
        QCOMPARE(ask(bus::thingsAccessSubject, access).value("code"_L1).toInt(), 403);
        QCOMPARE(ask(bus::thingsAccessByIdSubject, {{u"thing_id"_s, m_thing}, {u"channel"_s, m_channel}})
                     .value("code"_L1)
                     .toInt(),
                 403);
        QCOMPARE(m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(m_channel, m_thing), {}, {}, m_token).status,
                 200);
        QCOMPARE(ask(bus::thingsAccessSubject, access).value("thing_id"_L1).toString(), m_thing);
        const QJsonObject byId =
            ask(bus::thingsAccessByIdSubject, {{u"thing_id"_s, m_thing}, {u"channel"_s, m_channel}});
        QCOMPARE(byId, (QJsonObject{{u"content_type"_s, QString()}})); // allowed; the channel names no content type
        // The channel's content type travels with the access answer (the Mosquitto plugin's one question) and alone.
        QCOMPARE(m_be->request("PUT", u"/channels/"_s + m_channel,
                               "{\"name\":\"c\",\"metadata\":{\"content_type\":\"application/json\"}}",
                               "application/json", m_token)
                     .status,
                 200);
        QCOMPARE(ask(bus::thingsAccessByIdSubject, {{u"thing_id"_s, m_thing}, {u"channel"_s, m_channel}}),
                 (QJsonObject{{u"content_type"_s, u"application/json"_s}}));
        QCOMPARE(ask(bus::thingsContentTypeSubject, {{u"channel"_s, m_channel}}),
                 (QJsonObject{{u"content_type"_s, u"application/json"_s}}));
        // The key by thing id (DTLS PSK in an adapter of another process): 401 for an unknown thing.
        QCOMPARE(ask(bus::thingsKeySubject, {{u"thing_id"_s, m_thing}}), (QJsonObject{{u"key"_s, m_key}}));
        QCOMPARE(ask(bus::thingsKeySubject, {{u"thing_id"_s, u"no-such-thing"_s}}).value("code"_L1).toInt(), 401);
        // Malformed requests get an answer, not silence.
        bool done = false;
        QByteArray raw;
        m_nats.request(bus::thingsAccessSubject, "not json", 5000, this, [&](Result<QByteArray> r) {
            raw = r.value_or(QByteArray());
            done = true;
        });
        QTRY_VERIFY(done);
        QCOMPARE(QJsonDocument::fromJson(raw).object().value("code"_L1).toInt(), 400);
    }

    // The kinds on events.things are read by other processes (the Mosquitto plugin, one place: thingseventnames.h):
    // a rename must show here.
    void eventKindsOnTheWire()
    {
        using K = things::ThingsEvent::Kind;
        const std::pair<K, const char *> kinds[] = {
            {K::ThingCreated, "thing.create"},     {K::ThingUpdated, "thing.update"},
            {K::ThingRemoved, "thing.remove"},     {K::ThingKeyChanged, "thing.key"},
            {K::ChannelCreated, "channel.create"}, {K::ChannelUpdated, "channel.update"},
            {K::ChannelRemoved, "channel.remove"}, {K::Connected, "thing.connect"},
            {K::Disconnected, "thing.disconnect"}, {K::OwnerRemoved, "user.remove"}};
        for (const auto &[kind, name] : kinds)
            QCOMPARE(things::eventKindName(kind), QString::fromLatin1(name));
    }

    void changesArePublished()
    {
        QList<things::ThingsEvent> events;
        auto subscription = m_nats.subscribe(bus::eventsThingsSubject, {}, this,
                                             [&](const QByteArray &, const QByteArray &data, const QByteArray &) {
                                                 // Creation events of init() may still be in flight.
                                                 const auto event = *things::thingsEventFromJson(data);
                                                 if (event.kind != things::ThingsEvent::Kind::ThingCreated &&
                                                     event.kind != things::ThingsEvent::Kind::ChannelCreated)
                                                     events.append(event);
                                             });
        QVERIFY(subscription);
        QVERIFY(m_nats.flush());
        QCOMPARE(m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(m_channel, m_thing), {}, {}, m_token).status,
                 200);
        QCOMPARE(m_be->request("PATCH", u"/things/%1/key"_s.arg(m_thing), {}, {}, m_token).status, 200);
        QCOMPARE(m_be->request("DELETE", u"/channels/%1"_s.arg(m_channel), {}, {}, m_token).status, 204);
        QTRY_COMPARE(events.size(), 3);
        QCOMPARE(events[0].kind, things::ThingsEvent::Kind::Connected);
        QCOMPARE(events[0].channelId, m_channel);
        QCOMPARE(events[0].thingId, m_thing);
        QCOMPARE(events[1].kind, things::ThingsEvent::Kind::ThingKeyChanged);
        QCOMPARE(events[2].kind, things::ThingsEvent::Kind::ChannelRemoved);
    }

    // A second process serving the HTTP adapter caches the key; rotating it through the first process's API must
    // stop it there too.
    void otherProcessesFollowChanges()
    {
        QCOMPARE(m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(m_channel, m_thing), {}, {}, m_token).status,
                 200);
        // A real second process: an edge without `things` asks this one over the bus (a blocking request that a
        // second Backend in this same thread could never answer).
        QTemporaryDir secondDir;
        testing::BackendProcess second(QStringLiteral(MF_BACKEND_EXECUTABLE),
                                       {{u"MF_DATA_DIR"_s, secondDir.path()},
                                        {u"MF_NATS_URL"_s, m_be->backend().natsServer()->url()},
                                        {u"MF_SERVICES"_s, u"http"_s},
                                        {u"MF_HTTP_PORT"_s, u"0"_s}});
        QVERIFY2(!second.waitReady().isEmpty(), qPrintable(second.startError()));
        const QString path = u"/http/channels/%1/messages"_s.arg(m_channel);
        QCOMPARE(second.request("POST", path, "x", "text/plain", m_key.toLatin1()).status, 202); // now cached there
        QCOMPARE(m_be->request("PATCH", u"/things/%1/key"_s.arg(m_thing), {}, {}, m_token).status, 200);
        QTRY_COMPARE(second.request("POST", path, "x", "text/plain", m_key.toLatin1()).status, 401);
    }
};

QTEST_GUILESS_MAIN(TestThingsRpc)
#include "tst_thingsrpc.moc"
