// (No raw string literals here: moc 6.4 loses the class after one.)
// The things and channels REST API, end to end over HTTP against an in-process backend (SQLite, and PostgreSQL
// as tst_thingsapi_postgres). Every route is also run through the bad-input matrix, which checks that a rejected
// request leaves the database exactly as it was.
#include "dbsnapshot.h"
#include "testbackend.h"

#include "services/things/cachedaccesscontrol.h"
#include "services/users/jwt.h"

#include <QJsonArray>
#include <QSqlRecord>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mf;
using mf::testing::HttpReply;

class TestThingsApi : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::TestBackend> m_be;
    QByteArray m_ann, m_bob;
    QString m_annId;

    HttpReply call(const QByteArray &method, const QString &path, const QByteArray &token, const QJsonValue &body = {})
    {
        QByteArray data;
        if (body.isObject())
            data = QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
        else if (body.isArray())
            data = QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
        return m_be->request(method, path, data, data.isEmpty() ? QByteArray() : "application/json", token);
    }
    QString createThing(const QByteArray &token, const QString &name)
    {
        const HttpReply r = call("POST", u"/things"_s, token, QJsonObject{{u"name"_s, name}, {u"type"_s, u"device"_s}});
        return r.json().value("id"_L1).toString();
    }
    QString createChannel(const QByteArray &token, const QString &name)
    {
        const HttpReply r = call("POST", u"/channels"_s, token, QJsonObject{{u"name"_s, name}});
        return r.json().value("id"_L1).toString();
    }
    QByteArray signedToken(qint64 expiresAt)
    {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        return users::signToken({m_annId, u"ann@example.com"_s, now - 100, expiresAt, 0},
                                testing::TestBackend::JwtSecret);
    }

    // Sends raw bytes on a fresh connection; returns everything received until the server closes (or 10 s) and
    // whether it closed.
    std::pair<QByteArray, bool> rawExchange(const QByteArray &bytes)
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_be->backend().httpPort());
        if (!socket.waitForConnected(5000))
            return {};
        socket.write(bytes);
        QByteArray received;
        const bool closed = QTest::qWaitFor(
            [&] {
                received += socket.readAll();
                return socket.state() == QAbstractSocket::UnconnectedState;
            },
            10000);
        received += socket.readAll();
        return {received, closed};
    }

private slots:
    void init()
    {
        // The REST API only: no bus or protocol adapters to start for each of the ~180 cases.
        m_be = std::make_unique<testing::TestBackend>(QHash<QString, QString>{{u"MF_SERVICES"_s, u"users,things"_s}});
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        m_annId = m_be->createUser(u"ann@example.com"_s);
        m_be->createUser(u"bob@example.com"_s);
        m_ann = m_be->token(u"ann@example.com"_s);
        m_bob = m_be->token(u"bob@example.com"_s);
    }
    void cleanup() { m_be.reset(); }

    // The Mainflux getting-started flow as curl users run it, with the 0.7 raw-token header.
    void gettingStartedFlow()
    {
        HttpReply r = call("POST", u"/things"_s, m_ann, QJsonObject{{u"type"_s, u"device"_s}, {u"name"_s, u"weio"_s}});
        QCOMPARE(r.status, 201);
        const QString thingId = r.json().value("id"_L1).toString();
        QCOMPARE(r.headers.value("location"), "/things/" + thingId.toLatin1());
        const QString key = r.json().value("key"_L1).toString();
        QCOMPARE(key.size(), 36); // UUIDv4: 122 random bits
        QVERIFY(key != thingId);

        r = call("POST", u"/channels"_s, m_ann, QJsonObject{{u"name"_s, u"mychan"_s}});
        QCOMPARE(r.status, 201);
        const QString channelId = r.json().value("id"_L1).toString();
        QCOMPARE(r.headers.value("location"), "/channels/" + channelId.toLatin1());

        QCOMPARE(call("PUT", u"/channels/%1/things/%2"_s.arg(channelId, thingId), m_ann).status, 200);
        QCOMPARE(call("PUT", u"/channels/%1/things/%2"_s.arg(channelId, thingId), m_ann).status, 200); // idempotent

        r = call("GET", u"/channels/%1/things"_s.arg(channelId), m_ann);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("total"_L1).toInt(), 1);
        QCOMPARE(r.json().value("things"_L1).toArray().at(0).toObject().value("id"_L1).toString(), thingId);
        r = call("GET", u"/things/%1/channels"_s.arg(thingId), m_ann);
        QCOMPARE(r.json().value("channels"_L1).toArray().at(0).toObject().value("id"_L1).toString(), channelId);

        QCOMPARE(*m_be->backend().accessControl()->canAccess(channelId, key), thingId);

        r = call("PATCH", u"/things/%1/key"_s.arg(thingId), m_ann);
        QCOMPARE(r.status, 200);
        const QString newKey = r.json().value("key"_L1).toString();
        QVERIFY(newKey != key);
        QCOMPARE(m_be->backend().accessControl()->canAccess(channelId, key).error().code, ErrorCode::Unauthenticated);
        QCOMPARE(*m_be->backend().accessControl()->canAccess(channelId, newKey), thingId);

        QCOMPARE(call("DELETE", u"/channels/%1/things/%2"_s.arg(channelId, thingId), m_ann).status, 204);
        QCOMPARE(call("DELETE", u"/channels/%1/things/%2"_s.arg(channelId, thingId), m_ann).status, 404);
        QCOMPARE(m_be->backend().accessControl()->canAccess(channelId, newKey).error().code, ErrorCode::Forbidden);

        QCOMPARE(call("DELETE", u"/things/%1"_s.arg(thingId), m_ann).status, 204);
        QCOMPARE(call("DELETE", u"/things/%1"_s.arg(thingId), m_ann).status, 204); // idempotent
        QCOMPARE(call("GET", u"/things/%1"_s.arg(thingId), m_ann).status, 404);
        QCOMPARE(call("DELETE", u"/channels/%1"_s.arg(channelId), m_ann).status, 204);
        QCOMPARE(call("GET", u"/channels/%1"_s.arg(channelId), m_ann).status, 404);
    }

    void bearerAndRawTokensBothWork()
    {
        QCOMPARE(call("GET", u"/things"_s, m_ann).status, 200);
        QCOMPARE(call("GET", u"/things"_s, "Bearer " + m_ann).status, 200);
        QCOMPARE(call("GET", u"/things"_s, "bearer " + m_ann).status, 200);
    }

    // Issue 18: Mainflux 0.7's SDK declares metadata a string holding JSON and fails to decode an object. Metadata
    // comes back in the form it was given; an entity without metadata has no such field.
    void metadataKeepsTheFormItWasGiven()
    {
        const QString text = u"{\"lora\": {\"dev_eui\":\"01\"}}"_s;
        HttpReply r = call("POST", u"/things"_s, m_ann, QJsonObject{{u"name"_s, u"a"_s}, {u"metadata"_s, text}});
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json().value("metadata"_L1), QJsonValue(text));
        const QString id = r.json().value("id"_L1).toString();
        QCOMPARE(call("GET", u"/things/%1"_s.arg(id), m_ann).json().value("metadata"_L1), QJsonValue(text));
        r = call("POST", u"/things"_s, m_ann, QJsonObject{{u"name"_s, u"b"_s}});
        QVERIFY(!r.json().contains("metadata"_L1));
        const QString plain = r.json().value("id"_L1).toString();
        QVERIFY(!call("GET", u"/things/%1"_s.arg(plain), m_ann).json().contains("metadata"_L1));
        // A 0.7 client's list: every metadata a string or absent.
        for (const QJsonValue &t : call("GET", u"/things?limit=100"_s, m_ann).json().value("things"_L1).toArray()) {
            const QJsonValue m = t.toObject().value("metadata"_L1);
            QVERIFY2(m.isString() || m.isUndefined(), qPrintable(t.toObject().value("name"_L1).toString()));
        }

        r = call("PUT", u"/things/%1"_s.arg(id), m_ann, QJsonObject{{u"metadata"_s, QJsonObject{{u"x"_s, 1}}}});
        QCOMPARE(r.status, 200);
        r = call("GET", u"/things/%1"_s.arg(id), m_ann);
        QCOMPARE(r.json().value("metadata"_L1).toObject(), (QJsonObject{{u"x"_s, 1}}));
        QCOMPARE(r.json().value("name"_L1).toString(), u"a"_s); // absent fields keep their values
        QCOMPARE(r.json().value("type"_L1).toString(), u"device"_s);
        QCOMPARE(call("PUT", u"/things/%1"_s.arg(id), m_ann, QJsonObject{{u"metadata"_s, QJsonValue()}}).status, 200);
        QVERIFY(!call("GET", u"/things/%1"_s.arg(id), m_ann).json().contains("metadata"_L1)); // null removes it

        r = call("POST", u"/channels"_s, m_ann, QJsonObject{{u"name"_s, u"c"_s}, {u"metadata"_s, text}});
        QCOMPARE(r.status, 201);
        const QString channel = r.json().value("id"_L1).toString();
        QCOMPARE(call("GET", u"/channels/%1"_s.arg(channel), m_ann).json().value("metadata"_L1), QJsonValue(text));
    }

    void pagingAndNameFilter()
    {
        for (int i = 0; i < 25; ++i)
            createThing(m_ann, i % 5 == 0 ? u"pump-%1"_s.arg(i) : u"sensor-%1"_s.arg(i));
        createThing(m_bob, u"pump-bob"_s);
        HttpReply r = call("GET", u"/things?offset=20&limit=10"_s, m_ann);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("total"_L1).toInt(), 25);
        QCOMPARE(r.json().value("offset"_L1).toInt(), 20);
        QCOMPARE(r.json().value("limit"_L1).toInt(), 10);
        QCOMPARE(r.json().value("things"_L1).toArray().size(), 5);
        r = call("GET", u"/things?name=PUMP&limit=100"_s, m_ann);
        QCOMPARE(r.json().value("total"_L1).toInt(), 5);
        for (const QJsonValue &t : r.json().value("things"_L1).toArray())
            QVERIFY(t.toObject().value("name"_L1).toString().startsWith("pump-"_L1));
        r = call("GET", u"/things?order=name&dir=desc&limit=1"_s, m_ann);
        QCOMPARE(r.json().value("things"_L1).toArray().at(0).toObject().value("name"_L1).toString(), u"sensor-9"_s);
        r = call("GET", u"/channels"_s, m_ann);
        QCOMPARE(r.json().value("total"_L1).toInt(), 0);
        QVERIFY(r.json().value("channels"_L1).isArray()); // never null (a Mainflux 0.7 quirk)
    }

    void bulkCreateAndBulkConnect()
    {
        HttpReply r = call("POST", u"/things/bulk"_s, m_ann,
                           QJsonArray{QJsonObject{{u"name"_s, u"a"_s}}, QJsonObject{{u"name"_s, u"b"_s}, {u"type"_s, u"app"_s}}});
        QCOMPARE(r.status, 201);
        const QJsonArray things = r.json().value("things"_L1).toArray();
        QCOMPARE(things.size(), 2);
        QCOMPARE(things.at(1).toObject().value("type"_L1).toString(), u"app"_s);
        r = call("POST", u"/channels/bulk"_s, m_ann, QJsonArray{QJsonObject{{u"name"_s, u"c1"_s}}, QJsonObject{}});
        QCOMPARE(r.status, 201);
        const QJsonArray channels = r.json().value("channels"_L1).toArray();
        QCOMPARE(channels.size(), 2);
        QJsonArray thingIds, channelIds;
        for (const QJsonValue &t : things)
            thingIds.append(t.toObject().value("id"_L1));
        for (const QJsonValue &c : channels)
            channelIds.append(c.toObject().value("id"_L1));
        r = call("POST", u"/connect"_s, m_ann, QJsonObject{{u"channel_ids"_s, channelIds}, {u"thing_ids"_s, thingIds}});
        QCOMPARE(r.status, 200);
        QCOMPARE(call("GET", u"/channels/%1/things"_s.arg(channelIds[1].toString()), m_ann).json().value("total"_L1).toInt(), 2);
        r = call("POST", u"/disconnect"_s, m_ann,
                 QJsonObject{{u"channel_ids"_s, QJsonArray{channelIds[0]}}, {u"thing_ids"_s, thingIds}});
        QCOMPARE(r.status, 204);
        QCOMPARE(call("GET", u"/channels/%1/things"_s.arg(channelIds[0].toString()), m_ann).json().value("total"_L1).toInt(), 0);
        // A bulk create with one bad item creates nothing.
        r = call("POST", u"/things/bulk"_s, m_ann, QJsonArray{QJsonObject{{u"name"_s, u"ok"_s}}, QJsonObject{{u"type"_s, u"robot"_s}}});
        QCOMPARE(r.status, 400);
        QVERIFY2(r.error().contains("thing 1"_L1), r.body.constData());
        QCOMPARE(call("GET", u"/things"_s, m_ann).json().value("total"_L1).toInt(), 2);
    }

    void customKeysAndConflicts()
    {
        HttpReply r = call("POST", u"/things"_s, m_ann, QJsonObject{{u"key"_s, u"my-very-own-device-key"_s}});
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json().value("key"_L1).toString(), u"my-very-own-device-key"_s);
        r = call("POST", u"/things"_s, m_bob, QJsonObject{{u"key"_s, u"my-very-own-device-key"_s}});
        QCOMPARE(r.status, 409);
        r = call("POST", u"/things"_s, m_bob, QJsonObject{{u"key"_s, u"short"_s}});
        QCOMPARE(r.status, 400);
        const QString bobThing = createThing(m_bob, u"b"_s);
        r = call("PATCH", u"/things/%1/key"_s.arg(bobThing), m_bob, QJsonObject{{u"key"_s, u"my-very-own-device-key"_s}});
        QCOMPARE(r.status, 409);
    }

    void usersNeverSeeEachOther()
    {
        const QString thing = createThing(m_ann, u"secret-thing"_s);
        const QString channel = createChannel(m_ann, u"secret-channel"_s);
        QCOMPARE(call("PUT", u"/channels/%1/things/%2"_s.arg(channel, thing), m_ann).status, 200);
        const QString bobThing = createThing(m_bob, u"b"_s);
        const QString bobChannel = createChannel(m_bob, u"bc"_s);
        QCOMPARE(call("GET", u"/things"_s, m_bob).json().value("total"_L1).toInt(), 1);
        QCOMPARE(call("GET", u"/channels"_s, m_bob).json().value("total"_L1).toInt(), 1);
        QVERIFY(!call("GET", u"/things?name=secret"_s, m_bob).body.contains("secret"));
        // Cross-user connections in either direction look like unknown ids.
        QCOMPARE(call("PUT", u"/channels/%1/things/%2"_s.arg(bobChannel, thing), m_bob).status, 404);
        QCOMPARE(call("PUT", u"/channels/%1/things/%2"_s.arg(channel, bobThing), m_bob).status, 404);
        QCOMPARE(call("PUT", u"/channels/%1/things/%2"_s.arg(channel, bobThing), m_ann).status, 404);
    }

    // Every route × every kind of bad input. Each rejected request must leave the database unchanged.
    void rejectedRequests_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QString>("auth"); // ann, bob, none, tampered, expired, garbage
        QTest::addColumn<int>("status");

        struct Route
        {
            const char *method;
            const char *path; // {t} = Ann's thing, {c} = Ann's channel
            const char *validBody;
        };
        const Route routes[] = {
            {"POST", "/things", "{\"name\":\"x\"}"},
            {"POST", "/things/bulk", "[{\"name\":\"x\"}]"},
            {"GET", "/things", nullptr},
            {"GET", "/things/{t}", nullptr},
            {"PUT", "/things/{t}", "{\"name\":\"x\"}"},
            {"DELETE", "/things/{t}", nullptr},
            {"PATCH", "/things/{t}/key", "{\"key\":\"0123456789abcdef0123\"}"},
            {"GET", "/things/{t}/channels", nullptr},
            {"POST", "/channels", "{\"name\":\"x\"}"},
            {"POST", "/channels/bulk", "[{\"name\":\"x\"}]"},
            {"GET", "/channels", nullptr},
            {"GET", "/channels/{c}", nullptr},
            {"PUT", "/channels/{c}", "{\"name\":\"x\"}"},
            {"DELETE", "/channels/{c}", nullptr},
            {"GET", "/channels/{c}/things", nullptr},
            {"PUT", "/channels/{c}/things/{t}", nullptr},
            {"DELETE", "/channels/{c}/things/{t}", nullptr},
            {"GET", "/stats", nullptr},
            {"POST", "/connect", "{\"channel_ids\":[\"{c}\"],\"thing_ids\":[\"{t}\"]}"},
            {"POST", "/disconnect", "{\"channel_ids\":[\"{c}\"],\"thing_ids\":[\"{t}\"]}"},
        };
        const QByteArray json = "application/json";
        for (const Route &r : routes) {
            const QString name = QString::fromLatin1(r.method) + u' ' + QString::fromLatin1(r.path);
            const QString path = QString::fromLatin1(r.path);
            const QByteArray valid = r.validBody ? QByteArray(r.validBody) : QByteArray();
            const QByteArray type = r.validBody ? json : QByteArray();
            for (const char *auth : {"none", "tampered", "expired", "garbage"})
                QTest::addRow("%s: auth %s", qPrintable(name), auth)
                    << QByteArray(r.method) << path << valid << type << QString::fromLatin1(auth) << 401;
            if (path.contains(u'{')) {
                // Another user's ids look unknown: 404, except the idempotent entity DELETEs (204, nothing of
                // Ann's is touched — the snapshot proves it).
                const bool idempotentDelete =
                    QByteArray(r.method) == "DELETE" && (path == "/things/{t}"_L1 || path == "/channels/{c}"_L1);
                QTest::addRow("%s: another user's ids", qPrintable(name))
                    << QByteArray(r.method) << path << valid << type << u"bob"_s << (idempotentDelete ? 204 : 404);
            } else if (valid.contains("{t}")) {
                QTest::addRow("%s: another user's ids", qPrintable(name))
                    << QByteArray(r.method) << path << valid << type << u"bob"_s << 404;
            }
            if (r.validBody) {
                QTest::addRow("%s: malformed JSON", qPrintable(name))
                    << QByteArray(r.method) << path << QByteArray("{\"name\": ") << json << u"ann"_s << 400;
                if (!path.endsWith("/key"_L1)) // key rotation without a body generates a key
                    QTest::addRow("%s: empty body", qPrintable(name))
                        << QByteArray(r.method) << path << QByteArray() << json << u"ann"_s << 400;
                QTest::addRow("%s: wrong content type", qPrintable(name))
                    << QByteArray(r.method) << path << valid << QByteArray("text/plain") << u"ann"_s << 415;
                QTest::addRow("%s: no content type", qPrintable(name))
                    << QByteArray(r.method) << path << valid << QByteArray() << u"ann"_s << 415;
                QTest::addRow("%s: oversized body", qPrintable(name))
                    << QByteArray(r.method) << path << QByteArray(1024 * 1024 + 10, ' ') << json << u"ann"_s << 413;
                const bool array = valid.startsWith('[');
                QTest::addRow("%s: wrong body shape", qPrintable(name))
                    << QByteArray(r.method) << path << QByteArray(array ? "{}" : "[]") << json << u"ann"_s << 400;
            }
        }
        // Wrongly typed and invalid fields.
        const auto field = [&](const char *tag, const char *method, const char *path, const char *body) {
            QTest::addRow("%s", tag) << QByteArray(method) << QString::fromLatin1(path) << QByteArray(body)
                                     << QByteArray("application/json") << u"ann"_s << 400;
        };
        field("thing name not a string", "POST", "/things", "{\"name\":5}");
        field("thing type unknown", "POST", "/things", "{\"type\":\"robot\"}");
        field("thing type not a string", "POST", "/things", "{\"type\":true}");
        field("thing metadata an array", "POST", "/things", "{\"metadata\":[1]}");
        field("thing metadata string not JSON", "POST", "/things", "{\"metadata\":\"{oops\"}");
        field("thing key not a string", "POST", "/things", "{\"key\":12345678901234567890}");
        field("thing name too long", "POST", "/things", qPrintable(u"{\"name\":\"%1\"}"_s.arg(QString(1025, u'n'))));
        // JSON escapes that decode to a lone surrogate have no UTF-8 form: refused once, where bodies are parsed.
        field("thing name unpaired high surrogate", "POST", "/things", "{\"name\":\"\\ud800\"}");
        field("thing name unpaired low surrogate", "PUT", "/things/{t}", "{\"name\":\"a\\udfffb\"}");
        field("metadata key unpaired surrogate", "POST", "/channels", "{\"metadata\":{\"\\ud800\":1}}");
        field("bulk item name unpaired surrogate", "POST", "/things/bulk",
              "[{\"name\":\"ok\"},{\"name\":\"\\udbff\"}]");
        field("bulk item not an object", "POST", "/things/bulk", "[{\"name\":\"a\"}, 7]");
        field("bulk empty", "POST", "/things/bulk", "[]");
        field("update type unknown", "PUT", "/things/{t}", "{\"type\":\"robot\"}");
        field("update metadata a number", "PUT", "/things/{t}", "{\"metadata\":5}");
        field("key too short", "PATCH", "/things/{t}/key", "{\"key\":\"short\"}");
        field("key not a string", "PATCH", "/things/{t}/key", "{\"key\":[]}");
        field("channel name not a string", "POST", "/channels", "{\"name\":{}}");
        field("channel update metadata bad", "PUT", "/channels/{c}", "{\"metadata\":\"[1,2]\"}");
        field("connect without thing ids", "POST", "/connect", "{\"channel_ids\":[\"{c}\"]}");
        field("connect with empty ids", "POST", "/connect", "{\"channel_ids\":[],\"thing_ids\":[\"{t}\"]}");
        field("connect ids not strings", "POST", "/connect", "{\"channel_ids\":[1],\"thing_ids\":[\"{t}\"]}");
        const auto query = [&](const char *tag, const char *path) {
            QTest::addRow("%s", tag) << QByteArray("GET") << QString::fromLatin1(path) << QByteArray() << QByteArray()
                                     << u"ann"_s << 400;
        };
        query("limit 0", "/things?limit=0");
        query("limit over 100", "/things?limit=101");
        query("limit not a number", "/channels?limit=ten");
        query("offset negative", "/things?offset=-1");
        query("offset twice", "/things?offset=1&offset=2");
        query("order unknown", "/things?order=key");
        query("dir unknown", "/channels?dir=up");
        query("limit on channel things", "/channels/{c}/things?limit=1000");
        QTest::addRow("unknown route") << QByteArray("GET") << u"/thingz"_s << QByteArray() << QByteArray() << u"ann"_s << 404;
        QTest::addRow("method not allowed") << QByteArray("PATCH") << u"/channels"_s << QByteArray() << QByteArray() << u"ann"_s << 405;
        QTest::addRow("unknown thing") << QByteArray("GET") << u"/things/00000000-0000-4000-8000-000000000000"_s
                                       << QByteArray() << QByteArray() << u"ann"_s << 404;
        QTest::addRow("unknown channel things") << QByteArray("GET") << u"/channels/nope/things"_s << QByteArray()
                                                << QByteArray() << u"ann"_s << 404;
        QTest::addRow("connect unknown thing") << QByteArray("PUT") << u"/channels/{c}/things/nope"_s << QByteArray()
                                               << QByteArray() << u"ann"_s << 404;
        QTest::addRow("disconnect not connected") << QByteArray("DELETE") << u"/channels/{c}/things/{t2}"_s
                                                  << QByteArray() << QByteArray() << u"ann"_s << 404;
    }
    void rejectedRequests()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(QString, auth);
        QFETCH(int, status);

        const QString thing = createThing(m_ann, u"t"_s);
        const QString thing2 = createThing(m_ann, u"t2"_s);
        const QString channel = createChannel(m_ann, u"c"_s);
        QCOMPARE(call("PUT", u"/channels/%1/things/%2"_s.arg(channel, thing), m_ann).status, 200);
        path.replace(u"{t2}"_s, thing2).replace(u"{t}"_s, thing).replace(u"{c}"_s, channel);
        body.replace("{t}", thing.toLatin1()).replace("{c}", channel.toLatin1());

        QByteArray token;
        if (auth == "ann"_L1)
            token = m_ann;
        else if (auth == "bob"_L1)
            token = m_bob;
        else if (auth == "tampered"_L1)
            token = m_ann.left(m_ann.size() - 3) + (m_ann.endsWith("AAA") ? "BBB" : "AAA");
        else if (auth == "expired"_L1)
            token = signedToken(QDateTime::currentSecsSinceEpoch() - 1);
        else if (auth == "garbage"_L1)
            token = "not.a.token";

        const QString before = testing::databaseSnapshot(m_be->databaseUrl(), m_be->dataDir());
        const HttpReply reply = m_be->request(method, path, body, contentType, token);
        QCOMPARE(reply.status, status);
        if (status >= 400) {
            QVERIFY2(!reply.error().isEmpty(), "error responses carry {\"error\": ...}");
            QCOMPARE(reply.headers.value("content-type"), "application/json");
        }
        QCOMPARE(testing::databaseSnapshot(m_be->databaseUrl(), m_be->dataDir()), before);
    }

    // Request framing that QHttpServer 6.4 reads in its own way (RFC 9112 §6.3: request smuggling) or buffers without
    // limit: each is refused with a status and the connection closed, and nothing is stored - in particular not the
    // request smuggled behind Transfer-Encoding: chunked.
    void rejectedFraming_data()
    {
        QTest::addColumn<QByteArray>("request"); // {auth} = Ann's token
        QTest::addColumn<int>("status");
        const QByteArray post = "POST /things HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\n"
                                "Content-Type: application/json\r\n";
        const QByteArray thing = "{\"name\":\"x\"}"; // 12 bytes
        const QByteArray smuggled = post + "Content-Length: 12\r\n\r\n" + thing;
        QTest::addRow("two equal Content-Length") << post + "Content-Length: 12\r\nContent-Length: 12\r\n\r\n" + thing
                                                  << 400;
        QTest::addRow("two different Content-Length")
            << post + "Content-Length: 12\r\nContent-Length: 0\r\n\r\n" + thing << 400;
        QTest::addRow("Content-Length not a number") << post + "Content-Length: 12abc\r\n\r\n" + thing << 400;
        QTest::addRow("Content-Length negative") << post + "Content-Length: -1\r\n\r\n" + thing << 400;
        QTest::addRow("Transfer-Encoding with Content-Length smuggles a request")
            << post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled << 400;
        QTest::addRow("Content-Length with Transfer-Encoding smuggles a request")
            << post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" + smuggled << 400;
        QTest::addRow("Transfer-Encoding not chunked") << post + "Transfer-Encoding: gzip\r\n\r\n" + thing << 501;
        QTest::addRow("Transfer-Encoding twice")
            << post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" << 501;
        QTest::addRow("folded header line") << post + "X-A: b\r\n c\r\nContent-Length: 12\r\n\r\n" + thing << 400;
        QTest::addRow("space before colon") << post + "Content-Length : 12\r\n\r\n" + thing << 400;
        QTest::addRow("request line over 8 KiB")
            << "GET /things?name=" + QByteArray(9000, 'n') + " HTTP/1.1\r\nAuthorization: {auth}\r\n\r\n" << 414;
        QByteArray big = post;
        for (int i = 0; i < 20; ++i)
            big += "X-Big-" + QByteArray::number(i) + ": " + QByteArray(1000, 'b') + "\r\n";
        QTest::addRow("head over 16 KiB") << big + "Content-Length: 12\r\n\r\n" + thing << 431;
        QByteArray many = post;
        for (int i = 0; i < 101; ++i)
            many += "X-N" + QByteArray::number(i) + ": v\r\n";
        QTest::addRow("101 header lines") << many + "Content-Length: 12\r\n\r\n" + thing << 431;
        QTest::addRow("LF-only line ends, two Content-Length")
            << QByteArray(post).replace("\r\n", "\n") + "Content-Length: 12\nContent-Length: 12\n\n" + thing << 400;
    }
    void rejectedFraming()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        request.replace("{auth}", m_ann);
        const QString before = testing::databaseSnapshot(m_be->databaseUrl(), m_be->dataDir());
        const auto [received, closed] = rawExchange(request);
        QVERIFY2(received.startsWith(QByteArray("HTTP/1.1 " + QByteArray::number(status) + ' ')), received.left(300).constData());
        QVERIFY2(received.contains("{\"error\":"), received.constData());
        QVERIFY2(received.count("HTTP/1.1 ") == 1, received.constData()); // no second (smuggled) answer
        QVERIFY2(closed, "the server closes the connection after refusing the framing");
        QCOMPARE(testing::databaseSnapshot(m_be->databaseUrl(), m_be->dataDir()), before);
        QCOMPARE(call("GET", u"/things"_s, m_ann).status, 200); // still serving
    }

    // The same connection keeps serving well-framed requests (keep-alive, chunked) through the gate.
    void wellFramedRequestsOnOneConnection()
    {
        const QByteArray head = "POST /things HTTP/1.1\r\nHost: x\r\nAuthorization: " + m_ann +
                                "\r\nContent-Type: application/json\r\n";
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_be->backend().httpPort());
        QVERIFY(socket.waitForConnected(5000));
        QByteArray received;
        const auto answers = [&](int n) {
            return QTest::qWaitFor(
                [&] {
                    received += socket.readAll();
                    return received.count("HTTP/1.1 201") >= n;
                },
                10000);
        };
        socket.write(head + "Content-Length: 13\r\n\r\n{\"name\":\"a1\"}");
        QVERIFY2(answers(1), received.constData());
        socket.write(head + "Transfer-Encoding: chunked\r\n\r\nd\r\n{\"name\":\"a2\"}\r\n0\r\n\r\n");
        QVERIFY2(answers(2), received.constData());
        socket.write(head + "Expect: 100-continue\r\nContent-Length: 13\r\n\r\n{\"name\":\"a3\"}");
        QVERIFY2(answers(3), received.constData());
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
        QCOMPARE(call("GET", u"/things"_s, m_ann).json().value("total"_L1).toInt(), 3);
    }

    // A surrogate pair is a valid character and round-trips; only lone surrogates are refused.
    void surrogatePairsAreAccepted()
    {
        const HttpReply r = m_be->request("POST", u"/things"_s, "{\"name\":\"\\ud83d\\ude00\"}", "application/json", m_ann);
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json().value("name"_L1).toString(), QString::fromUcs4(U"\U0001F600"));
        QCOMPARE(m_be->request("POST", u"/things"_s, "{\"name\":\"\\ud800\"}", "application/json", m_ann).error(),
                 u"invalid JSON: a string holds an unpaired surrogate escape (\\ud800-\\udfff)"_s);
    }

    void statsCountWhatTheUserOwns()
    {
        const QString t1 = createThing(m_ann, u"a"_s), t2 = createThing(m_ann, u"b"_s);
        const QString c1 = createChannel(m_ann, u"c"_s);
        createThing(m_bob, u"bobs"_s);
        QCOMPARE(call("POST", u"/connect"_s, m_ann,
                      QJsonObject{{u"channel_ids"_s, QJsonArray{c1}}, {u"thing_ids"_s, QJsonArray{t1, t2}}})
                     .status,
                 200);
        HttpReply r = call("GET", u"/stats"_s, m_ann);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json(), (QJsonObject{{u"things"_s, 2}, {u"channels"_s, 1}, {u"connections"_s, 2}}));
        r = call("GET", u"/stats"_s, m_bob);
        QCOMPARE(r.json(), (QJsonObject{{u"things"_s, 1}, {u"channels"_s, 0}, {u"connections"_s, 0}}));
    }

    void expiredAndValidSignedTokens()
    {
        QCOMPARE(call("GET", u"/things"_s, signedToken(QDateTime::currentSecsSinceEpoch() + 60)).status, 200);
        const HttpReply r = call("GET", u"/things"_s, signedToken(QDateTime::currentSecsSinceEpoch() - 1));
        QCOMPARE(r.status, 401);
        QCOMPARE(r.error(), u"token expired"_s);
    }
};

QTEST_GUILESS_MAIN(TestThingsApi)
#include "tst_thingsapi.moc"
