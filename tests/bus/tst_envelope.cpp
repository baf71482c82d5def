#include "bus/envelope.h"

#include <QTest>

using namespace Qt::StringLiterals;
using mf::bus::Envelope;

class tst_Envelope : public QObject
{
    Q_OBJECT

private:
    // A Mainflux 0.7 RawMessage, encoded by hand: fields 1-5, length-delimited (wire type 2).
    static QByteArray mainflux07Bytes()
    {
        QByteArray b;
        auto field = [&b](int number, const QByteArray &value) {
            b += char((number << 3) | 2);
            b += char(value.size()); // all values here are < 128 bytes: one-byte varint
            b += value;
        };
        field(1, "c1");
        field(2, "t1");
        field(3, "http");
        field(4, "application/senml+json");
        field(5, R"([{"n":"temp","v":21.5}])");
        return b;
    }

private Q_SLOTS:
    void roundTrip()
    {
        Envelope e;
        e.channel = u"3fa85f64-5717-4562-b3fc-2c963f66afa6"_s;
        e.publisher = u"thing-ä"_s;
        e.protocol = u"mqtt"_s;
        e.contentType = u"application/senml+cbor"_s;
        e.subtopic = u"room.1.temp"_s;
        e.origin = u"instance-42"_s;
        e.payload = QByteArray("\x00\x01\xff binary", 10);
        e.createdNs = 1'700'000'000'123'456'789;
        const auto decoded = Envelope::decode(e.encode());
        QVERIFY(decoded.has_value());
        QCOMPARE(*decoded, e);
    }

    void emptyRoundTrip()
    {
        const auto decoded = Envelope::decode(Envelope{}.encode());
        QVERIFY(decoded.has_value());
        QCOMPARE(*decoded, Envelope{});
    }

    void decodesMainflux07()
    {
        const auto decoded = Envelope::decode(mainflux07Bytes());
        QVERIFY(decoded.has_value());
        QCOMPARE(decoded->channel, u"c1"_s);
        QCOMPARE(decoded->publisher, u"t1"_s);
        QCOMPARE(decoded->protocol, u"http"_s);
        QCOMPARE(decoded->contentType, u"application/senml+json"_s);
        QCOMPARE(decoded->payload, QByteArray(R"([{"n":"temp","v":21.5}])"));
        QVERIFY(decoded->subtopic.isEmpty());
        QVERIFY(decoded->origin.isEmpty());
        QCOMPARE(decoded->createdNs, 0);
    }

    // A 0.7 reader sees exactly the bytes it expects when the extensions are unset.
    void encodesLikeMainflux07()
    {
        Envelope e;
        e.channel = u"c1"_s;
        e.publisher = u"t1"_s;
        e.protocol = u"http"_s;
        e.contentType = u"application/senml+json"_s;
        e.payload = R"([{"n":"temp","v":21.5}])";
        QCOMPARE(e.encode(), mainflux07Bytes());
    }

    void extensionsFollowThe07Fields()
    {
        Envelope e;
        e.channel = u"c1"_s;
        e.subtopic = u"a.b"_s;
        e.createdNs = 5;
        e.origin = u"o"_s;
        const QByteArray bytes = e.encode();
        // field 1 first, then 6 (subtopic), 7 (varint created), 8 (origin): a 0.7 decoder skips 6-8.
        QCOMPARE(bytes, QByteArray("\x0a\x02"
                                   "c1"
                                   "\x32\x03"
                                   "a.b"
                                   "\x38\x05"
                                   "\x42\x01"
                                   "o"));
    }

    void skipsUnknownFutureFields()
    {
        QByteArray bytes = mainflux07Bytes();
        bytes += QByteArray("\x78\x07", 2);       // field 15, varint 7
        bytes += QByteArray("\x82\x01\x02zz", 5); // field 16, length-delimited "zz"
        const auto decoded = Envelope::decode(bytes);
        QVERIFY(decoded.has_value());
        QCOMPARE(decoded->channel, u"c1"_s);
    }

    void rejectsGarbage_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addRow("truncated varint tag") << QByteArray("\xff\xff\xff\xff", 4);
        QTest::addRow("length past the end") << QByteArray("\x0a\x05"
                                                           "ab",
                                                           4);
        QTest::addRow("field number zero") << QByteArray("\x02\x01x", 3);
        QTest::addRow("invalid UTF-8 in channel") << QByteArray("\x0a\x02\xc3\x28", 4);
        QTest::addRow("end-group without start") << QByteArray("\x0c", 1);
        QTest::addRow("JSON text") << QByteArray(R"({"channel":"c1","payload":"x"})");
    }

    void rejectsGarbage()
    {
        QFETCH(QByteArray, bytes);
        const auto decoded = mf::bus::Envelope::decode(bytes);
        QVERIFY(!decoded.has_value());
        QCOMPARE(decoded.error().code, mf::ErrorCode::Malformed);
        QVERIFY(!decoded.error().message.isEmpty());
    }
};

QTEST_APPLESS_MAIN(tst_Envelope)
#include "tst_envelope.moc"
