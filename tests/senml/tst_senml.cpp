#include "core/senml/senml.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborStreamWriter>
#include <QCborValue>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <limits>

using namespace Qt::StringLiterals;
using mf::senml::Format;
using mf::senml::Record;

namespace {

// "Now" for every test, so that relative times resolve to fixed values.
constexpr double kNow = 1'700'000'000.0;

// One line per record with every field it has: what the tests compare against.
QString describe(const Record &r)
{
    QStringList parts{r.name};
    if (!r.unit.isEmpty()) parts << u"u="_s + r.unit;
    if (r.value) parts << u"v="_s + QString::number(*r.value, 'g', 12);
    if (r.stringValue) parts << u"vs="_s + *r.stringValue;
    if (r.boolValue) parts << (*r.boolValue ? u"vb=true"_s : u"vb=false"_s);
    if (r.dataValue) parts << u"vd="_s + *r.dataValue;
    if (r.sum) parts << u"s="_s + QString::number(*r.sum, 'g', 12);
    parts << u"t="_s + QString::number(r.time, 'f', 3);
    if (r.updateTime != 0) parts << u"ut="_s + QString::number(r.updateTime, 'g', 12);
    if (r.version != 10) parts << u"ver="_s + QString::number(r.version);
    return parts.join(u' ');
}

QStringList describe(const QList<Record> &records)
{
    QStringList lines;
    for (const Record &r : records)
        lines << describe(r);
    return lines;
}

QByteArray cbor(const QCborArray &pack)
{
    return QCborValue(pack).toCbor();
}

// RFC 8428 §6: the §5.1.2 pack with base time, as CBOR (the hex dump of the RFC, byte for byte).
// clang-format off
const QByteArray kRfcCborExample = QByteArray::fromHex( // fromHex skips the spaces
    "87 a7 21 78 1b 75 72 6e 3a 64 65 76 3a 6f 77 3a"
    "31 30 65 32 30 37 33 61 30 31 30 38 30 30 36 3a"
    "22 fb 41 d3 03 a1 5b 00 10 62 23 61 41 20 05 00"
    "67 76 6f 6c 74 61 67 65 01 61 56 02 fb 40 5e 06"
    "66 66 66 66 66 a3 00 67 63 75 72 72 65 6e 74 06"
    "24 02 fb 3f f3 33 33 33 33 33 33 a3 00 67 63 75"
    "72 72 65 6e 74 06 23 02 fb 3f f4 cc cc cc cc cc"
    "cd a3 00 67 63 75 72 72 65 6e 74 06 22 02 fb 3f"
    "f6 66 66 66 66 66 66 a3 00 67 63 75 72 72 65 6e"
    "74 06 21 02 f9 3e 00 a3 00 67 63 75 72 72 65 6e"
    "74 06 20 02 fb 3f f9 99 99 99 99 99 9a a3 00 67"
    "63 75 72 72 65 6e 74 06 00 02 fb 3f fb 33 33 33"
    "33 33 33");
// clang-format on

const QByteArray kRfcJsonBaseTime = R"([
     {"bn":"urn:dev:ow:10e2073a0108006:","bt":1.276020076001e+09,
      "bu":"A","bver":5,
      "n":"voltage","u":"V","v":120.1},
     {"n":"current","t":-5,"v":1.2},
     {"n":"current","t":-4,"v":1.3},
     {"n":"current","t":-3,"v":1.4},
     {"n":"current","t":-2,"v":1.5},
     {"n":"current","t":-1,"v":1.6},
     {"n":"current","v":1.7}
   ])";

// The resolved records of both, in chronological order (RFC 8428 §4.6): the voltage comes after the currents
// measured before it, and before the current measured at the same instant (stable order).
const QStringList kRfcBaseTimeResolved{
    u"urn:dev:ow:10e2073a0108006:current u=A v=1.2 t=1276020071.001 ver=5"_s,
    u"urn:dev:ow:10e2073a0108006:current u=A v=1.3 t=1276020072.001 ver=5"_s,
    u"urn:dev:ow:10e2073a0108006:current u=A v=1.4 t=1276020073.001 ver=5"_s,
    u"urn:dev:ow:10e2073a0108006:current u=A v=1.5 t=1276020074.001 ver=5"_s,
    u"urn:dev:ow:10e2073a0108006:current u=A v=1.6 t=1276020075.001 ver=5"_s,
    u"urn:dev:ow:10e2073a0108006:voltage u=V v=120.1 t=1276020076.001 ver=5"_s,
    u"urn:dev:ow:10e2073a0108006:current u=A v=1.7 t=1276020076.001 ver=5"_s,
};

const QByteArray kRfcMultipleMeasurements = R"([
     {"bn":"urn:dev:ow:10e2073a01080063","bt":1.320067464e+09,
      "bu":"%RH","v":20},
     {"u":"lon","v":24.30621},
     {"u":"lat","v":60.07965},
     {"t":60,"v":20.3},
     {"u":"lon","t":60,"v":24.30622},
     {"u":"lat","t":60,"v":60.07965},
     {"t":120,"v":20.7},
     {"u":"lon","t":120,"v":24.30623},
     {"u":"lat","t":120,"v":60.07966},
     {"u":"%EL","t":150,"v":98},
     {"t":180,"v":21.2},
     {"u":"lon","t":180,"v":24.30628},
     {"u":"lat","t":180,"v":60.07967}
   ])";

const QByteArray kRfcResolvedData = R"([
     {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067464e+09,
      "v":20},
     {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067464e+09,
      "v":24.30621},
     {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067464e+09,
      "v":60.07965},
     {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067524e+09,
      "v":20.3},
     {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067524e+09,
      "v":24.30622},
     {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067524e+09,
      "v":60.07965},
     {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067584e+09,
      "v":20.7},
     {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067584e+09,
      "v":24.30623},
     {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067584e+09,
      "v":60.07966},
     {"n":"urn:dev:ow:10e2073a01080063","u":"%EL","t":1.320067614e+09,
      "v":98},
     {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067644e+09,
      "v":21.2},
     {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067644e+09,
      "v":24.30628},
     {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067644e+09,
      "v":60.07967}
   ])";

const QStringList kRfcResolvedLines{
    u"urn:dev:ow:10e2073a01080063 u=%RH v=20 t=1320067464.000"_s,
    u"urn:dev:ow:10e2073a01080063 u=lon v=24.30621 t=1320067464.000"_s,
    u"urn:dev:ow:10e2073a01080063 u=lat v=60.07965 t=1320067464.000"_s,
    u"urn:dev:ow:10e2073a01080063 u=%RH v=20.3 t=1320067524.000"_s,
    u"urn:dev:ow:10e2073a01080063 u=lon v=24.30622 t=1320067524.000"_s,
    u"urn:dev:ow:10e2073a01080063 u=lat v=60.07965 t=1320067524.000"_s,
    u"urn:dev:ow:10e2073a01080063 u=%RH v=20.7 t=1320067584.000"_s,
    u"urn:dev:ow:10e2073a01080063 u=lon v=24.30623 t=1320067584.000"_s,
    u"urn:dev:ow:10e2073a01080063 u=lat v=60.07966 t=1320067584.000"_s,
    u"urn:dev:ow:10e2073a01080063 u=%EL v=98 t=1320067614.000"_s,
    u"urn:dev:ow:10e2073a01080063 u=%RH v=21.2 t=1320067644.000"_s,
    u"urn:dev:ow:10e2073a01080063 u=lon v=24.30628 t=1320067644.000"_s,
    u"urn:dev:ow:10e2073a01080063 u=lat v=60.07967 t=1320067644.000"_s,
};

} // namespace

class tst_Senml : public QObject
{
    Q_OBJECT

private slots:
    void formatForContentType_data();
    void formatForContentType();
    void normalizeJson_data();
    void normalizeJson();
    void rejectJson_data();
    void rejectJson();
    void normalizeCbor_data();
    void normalizeCbor();
    void rejectCbor_data();
    void rejectCbor();
    void rfcCborAndJsonAgree();
    void rfcResolvedFormIsAFixedPoint();
    void hugePack_data();
    void hugePack();
    void toJson_data();
    void toJson();
};

void tst_Senml::formatForContentType_data()
{
    QTest::addColumn<QString>("contentType");
    QTest::addColumn<int>("expected"); // -1: not SenML

    QTest::addRow("json") << u"application/senml+json"_s << int(Format::Json);
    QTest::addRow("cbor") << u"application/senml+cbor"_s << int(Format::Cbor);
    QTest::addRow("upper case") << u"Application/SenML+JSON"_s << int(Format::Json);
    QTest::addRow("parameters") << u"application/senml+cbor; charset=binary"_s << int(Format::Cbor);
    QTest::addRow("spaces") << u"  application/senml+json ;q=1"_s << int(Format::Json);
    QTest::addRow("plain json") << u"application/json"_s << -1;
    QTest::addRow("senml exi") << u"application/senml-exi"_s << -1;
    QTest::addRow("sensml stream") << u"application/sensml+json"_s << -1;
    QTest::addRow("prefix only") << u"application/senml+jsonx"_s << -1;
    QTest::addRow("empty") << QString() << -1;
}

void tst_Senml::formatForContentType()
{
    QFETCH(QString, contentType);
    QFETCH(int, expected);

    const std::optional<Format> format = mf::senml::formatForContentType(contentType);
    QCOMPARE(format ? int(*format) : -1, expected);
}

void tst_Senml::normalizeJson_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QStringList>("expected");

    // RFC 8428 §5.1 examples.
    QTest::addRow("rfc 5.1.1 single data point")
        << R"([{"n":"urn:dev:ow:10e2073a01080063","u":"Cel","v":23.1}])"_ba
        << QStringList{u"urn:dev:ow:10e2073a01080063 u=Cel v=23.1 t=1700000000.000"_s};
    QTest::addRow("rfc 5.1.2 multiple data points now")
        << R"([{"bn":"urn:dev:ow:10e2073a01080063:","n":"voltage","u":"V","v":120.1},
               {"n":"current","u":"A","v":1.2}])"_ba
        << QStringList{u"urn:dev:ow:10e2073a01080063:voltage u=V v=120.1 t=1700000000.000"_s,
                       u"urn:dev:ow:10e2073a01080063:current u=A v=1.2 t=1700000000.000"_s};
    QTest::addRow("rfc 5.1.2 base time") << kRfcJsonBaseTime << kRfcBaseTimeResolved;
    QTest::addRow("rfc 5.1.2 sensml stream")
        << R"([{"bn":"urn:dev:ow:10e2073a01080063","bt":1.320067464e+09,"bu":"%RH","v":21.2},
               {"t":10,"v":21.3},{"t":20,"v":21.4}])"_ba
        << QStringList{u"urn:dev:ow:10e2073a01080063 u=%RH v=21.2 t=1320067464.000"_s,
                       u"urn:dev:ow:10e2073a01080063 u=%RH v=21.3 t=1320067474.000"_s,
                       u"urn:dev:ow:10e2073a01080063 u=%RH v=21.4 t=1320067484.000"_s};
    QTest::addRow("rfc 5.1.3 multiple measurements") << kRfcMultipleMeasurements << kRfcResolvedLines;
    QTest::addRow("rfc 5.1.4 resolved data") << kRfcResolvedData << kRfcResolvedLines;
    QTest::addRow("rfc 5.1.5 multiple data types")
        << R"([{"bn":"urn:dev:ow:10e2073a01080063:","n":"temp","u":"Cel","v":23.1},
               {"n":"label","vs":"Machine Room"},
               {"n":"open","vb":false},
               {"n":"nfv-reader","vd":"aGkgCg"}])"_ba
        << QStringList{u"urn:dev:ow:10e2073a01080063:temp u=Cel v=23.1 t=1700000000.000"_s,
                       u"urn:dev:ow:10e2073a01080063:label vs=Machine Room t=1700000000.000"_s,
                       u"urn:dev:ow:10e2073a01080063:open vb=false t=1700000000.000"_s,
                       u"urn:dev:ow:10e2073a01080063:nfv-reader vd=aGkgCg t=1700000000.000"_s};
    QTest::addRow("rfc 5.1.6 collection of resources")
        << R"([{"bn":"2001:db8::2/","bt":1.320078429e+09,"n":"temperature","u":"Cel","v":25.2},
               {"n":"humidity","u":"%RH","v":30},
               {"bn":"2001:db8::1/","n":"temperature","u":"Cel","v":12.3},
               {"n":"humidity","u":"%RH","v":67}])"_ba
        << QStringList{u"2001:db8::2/temperature u=Cel v=25.2 t=1320078429.000"_s,
                       u"2001:db8::2/humidity u=%RH v=30 t=1320078429.000"_s,
                       u"2001:db8::1/temperature u=Cel v=12.3 t=1320078429.000"_s,
                       u"2001:db8::1/humidity u=%RH v=67 t=1320078429.000"_s};
    QTest::addRow("rfc 5.1.7 lights off")
        << R"([{"bt":1.320078429e+09,"bu":"/","n":"2001:db8::3","v":0.5},
               {"n":"2001:db8::4","v":0.5},
               {"n":"2001:db8::3","t":0.1,"v":0},
               {"n":"2001:db8::4","t":0.1,"v":0}])"_ba
        << QStringList{u"2001:db8::3 u=/ v=0.5 t=1320078429.000"_s, u"2001:db8::4 u=/ v=0.5 t=1320078429.000"_s,
                       u"2001:db8::3 u=/ v=0 t=1320078429.100"_s, u"2001:db8::4 u=/ v=0 t=1320078429.100"_s};

    // Base fields carry forward until changed.
    QTest::addRow("base name and unit change mid pack")
        << R"([{"bn":"dev1/","bu":"V","n":"a","v":1},{"n":"b","v":2},
               {"bn":"dev2/","n":"a","u":"A","v":3},{"n":"b","v":4},{"bu":"W","n":"c","v":5}])"_ba
        << QStringList{u"dev1/a u=V v=1 t=1700000000.000"_s, u"dev1/b u=V v=2 t=1700000000.000"_s,
                       u"dev2/a u=A v=3 t=1700000000.000"_s, u"dev2/b u=V v=4 t=1700000000.000"_s,
                       u"dev2/c u=W v=5 t=1700000000.000"_s};
    QTest::addRow("base name alone is the name") << R"([{"bn":"urn:dev:mac:0024befffe804ff1","v":1},{"n":"","v":2}])"_ba
                                                 << QStringList{u"urn:dev:mac:0024befffe804ff1 v=1 t=1700000000.000"_s,
                                                                u"urn:dev:mac:0024befffe804ff1 v=2 t=1700000000.000"_s};
    QTest::addRow("base name reset to empty")
        << R"([{"bn":"dev1:","n":"a","v":1},{"bn":"","n":"b","v":2}])"_ba
        << QStringList{u"dev1:a v=1 t=1700000000.000"_s, u"b v=2 t=1700000000.000"_s};
    QTest::addRow("all allowed name characters")
        << R"([{"n":"Az09-:./_x","v":1}])"_ba << QStringList{u"Az09-:./_x v=1 t=1700000000.000"_s};

    // Time (RFC 8428 §4.5.3).
    QTest::addRow("no time is now") << R"([{"n":"a","v":1}])"_ba << QStringList{u"a v=1 t=1700000000.000"_s};
    QTest::addRow("negative time is in the past")
        << R"([{"n":"a","t":-5.5,"v":1}])"_ba << QStringList{u"a v=1 t=1699999994.500"_s};
    QTest::addRow("small positive time is in the future")
        << R"([{"n":"a","t":20,"v":1}])"_ba << QStringList{u"a v=1 t=1700000020.000"_s};
    QTest::addRow("relative base time plus time")
        << R"([{"bt":-100,"n":"a","t":10,"v":1},{"n":"b","v":2}])"_ba
        << QStringList{u"b v=2 t=1699999900.000"_s, u"a v=1 t=1699999910.000"_s};
    QTest::addRow("just below 2^28 is relative")
        << R"([{"n":"a","t":268435455,"v":1}])"_ba << QStringList{u"a v=1 t=1968435455.000"_s};
    QTest::addRow("2^28 is absolute") << R"([{"n":"a","t":268435456,"v":1}])"_ba
                                      << QStringList{u"a v=1 t=268435456.000"_s};
    QTest::addRow("absolute base time with offsets")
        << R"([{"bt":1600000000,"n":"a","v":1},{"n":"a","t":1.25,"v":2},{"bt":1600000100,"n":"a","v":3}])"_ba
        << QStringList{u"a v=1 t=1600000000.000"_s, u"a v=2 t=1600000001.250"_s, u"a v=3 t=1600000100.000"_s};
    QTest::addRow("relative base time reaching 2^28 becomes absolute")
        << R"([{"bt":268435000,"n":"a","t":456,"v":1}])"_ba << QStringList{u"a v=1 t=268435456.000"_s};
    QTest::addRow("records sorted by time, stable")
        << R"([{"bt":1600000000,"n":"c","t":2,"v":3},{"n":"a","v":1},{"n":"b","t":2,"v":2},{"n":"d","t":1,"v":4}])"_ba
        << QStringList{u"a v=1 t=1600000000.000"_s, u"d v=4 t=1600000001.000"_s, u"c v=3 t=1600000002.000"_s,
                       u"b v=2 t=1600000002.000"_s};
    QTest::addRow("update time") << R"([{"n":"a","v":1,"ut":300}])"_ba
                                 << QStringList{u"a v=1 t=1700000000.000 ut=300"_s};

    // Each value type.
    QTest::addRow("integer, negative and exponent values")
        << R"([{"n":"a","v":42},{"n":"b","v":-3.25},{"n":"c","v":1.5e3},{"n":"d","v":0}])"_ba
        << QStringList{u"a v=42 t=1700000000.000"_s, u"b v=-3.25 t=1700000000.000"_s, u"c v=1500 t=1700000000.000"_s,
                       u"d v=0 t=1700000000.000"_s};
    QTest::addRow("string value with unicode and escapes")
        << R"([{"n":"a","vs":"Grüße \"hi\"\n\u00e9"},{"n":"b","vs":""}])"_ba
        << QStringList{u"a vs=Grüße \"hi\"\né t=1700000000.000"_s, u"b vs= t=1700000000.000"_s};
    QTest::addRow("boolean values") << R"([{"n":"a","vb":true},{"n":"b","vb":false}])"_ba
                                    << QStringList{u"a vb=true t=1700000000.000"_s, u"b vb=false t=1700000000.000"_s};
    QTest::addRow("data values") << R"([{"n":"a","vd":"AQID-_8"},{"n":"b","vd":""},{"n":"c","vd":"aGk="}])"_ba
                                 << QStringList{u"a vd=AQID-_8 t=1700000000.000"_s, u"b vd= t=1700000000.000"_s,
                                                u"c vd=aGk= t=1700000000.000"_s};

    // Sums (§4.5.4): s alone, bs + s, bs carried forward, bs alone is a sum.
    QTest::addRow("sum only") << R"([{"n":"energy","u":"J","s":1200.5}])"_ba
                              << QStringList{u"energy u=J s=1200.5 t=1700000000.000"_s};
    QTest::addRow("value and sum") << R"([{"n":"p","u":"W","v":50,"s":3600}])"_ba
                                   << QStringList{u"p u=W v=50 s=3600 t=1700000000.000"_s};
    QTest::addRow("base sum")
        << R"([{"bs":1000,"n":"e","s":5},{"n":"e","s":7},{"n":"e","v":1},{"n":"e"},{"bs":-1,"n":"e","vs":"x"}])"_ba
        << QStringList{u"e s=1005 t=1700000000.000"_s, u"e s=1007 t=1700000000.000"_s,
                       u"e v=1 s=1000 t=1700000000.000"_s, u"e s=1000 t=1700000000.000"_s,
                       u"e vs=x s=-1 t=1700000000.000"_s};

    // Base value (§4.5.4) is added to v and carried forward; it does not turn other values into numbers.
    QTest::addRow("base value")
        << R"([{"bv":100,"n":"a","v":1.5},{"n":"a","v":-2},{"n":"b","vs":"s"},{"n":"c","vb":true},
               {"bv":0.5,"n":"a","v":0}])"_ba
        << QStringList{u"a v=101.5 t=1700000000.000"_s, u"a v=98 t=1700000000.000"_s, u"b vs=s t=1700000000.000"_s,
                       u"c vb=true t=1700000000.000"_s, u"a v=0.5 t=1700000000.000"_s};

    // Version (§4.4).
    QTest::addRow("base version carried")
        << R"([{"bver":5,"n":"a","v":1},{"n":"b","v":2},{"bver":5,"n":"c","v":3}])"_ba
        << QStringList{u"a v=1 t=1700000000.000 ver=5"_s, u"b v=2 t=1700000000.000 ver=5"_s,
                       u"c v=3 t=1700000000.000 ver=5"_s};
    QTest::addRow("explicit default version") << R"([{"n":"a","v":1},{"bver":10,"n":"b","v":2}])"_ba
                                              << QStringList{u"a v=1 t=1700000000.000"_s, u"b v=2 t=1700000000.000"_s};
    QTest::addRow("version as 5.0") << R"([{"bver":5.0,"n":"a","v":1}])"_ba
                                    << QStringList{u"a v=1 t=1700000000.000 ver=5"_s};

    // Extensibility (§4.4): unknown fields are ignored unless they end in '_'.
    QTest::addRow("unknown fields ignored")
        << R"([{"n":"a","v":1,"foo":"bar","x_y":1,"nested":{"a":[1,2,{"b_":3}]},"l":[]}])"_ba
        << QStringList{u"a v=1 t=1700000000.000"_s};
    QTest::addRow("whitespace everywhere")
        << " \n[ { \"n\" : \"a\" , \"v\" : 1 } ]\n "_ba << QStringList{u"a v=1 t=1700000000.000"_s};
}

void tst_Senml::normalizeJson()
{
    QFETCH(QByteArray, payload);
    QFETCH(QStringList, expected);

    const auto records = mf::senml::normalize(payload, Format::Json, kNow);
    QVERIFY2(records, qPrintable(records ? QString() : records.error().message));
    QCOMPARE(describe(*records), expected);
}

void tst_Senml::rejectJson_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("error");

    // Structure.
    QTest::addRow("empty payload") << ""_ba << u"invalid JSON at offset 0: illegal value"_s;
    QTest::addRow("empty pack") << "[]"_ba << u"empty pack: a SenML pack needs at least one record"_s;
    QTest::addRow("object instead of array")
        << R"({"n":"a","v":1})"_ba << u"a SenML pack must be a JSON array of records"_s;
    QTest::addRow("array of numbers") << "[1]"_ba << u"record 0: not a JSON object"_s;
    QTest::addRow("second record not an object") << R"([{"n":"a","v":1},[]])"_ba << u"record 1: not a JSON object"_s;
    QTest::addRow("trailing comma") << R"([{"n":"a","v":1},])"_ba
                                    << u"invalid JSON at offset 18: object is missing after a comma"_s;
    QTest::addRow("trailing garbage") << R"([{"n":"a","v":1}] x)"_ba
                                      << u"invalid JSON at offset 18: garbage at the end of the document"_s;
    QTest::addRow("truncated") << R"([{"n":"a","v":1)"_ba
                               << u"invalid JSON at offset 15: invalid termination by number"_s;
    QTest::addRow("unterminated string") << R"([{"n":"a)"_ba << u"invalid JSON at offset 9: unterminated string"_s;
    QTest::addRow("NaN literal") << R"([{"n":"a","v":NaN}])"_ba << u"invalid JSON at offset 14: illegal number"_s;
    QTest::addRow("Infinity literal") << R"([{"n":"a","v":Infinity}])"_ba
                                      << u"invalid JSON at offset 14: illegal number"_s;
    QTest::addRow("number too large") << R"([{"n":"a","v":1e999}])"_ba
                                      << u"invalid JSON at offset 19: illegal number"_s;

    // Names (§4.5.1).
    QTest::addRow("bad char") << R"([{"n":"a!b","v":1}])"_ba << u"record 0: name contains '!'"_s;
    QTest::addRow("bad char in third record")
        << R"([{"n":"a","v":1},{"n":"b","v":2},{"n":"c!","v":3}])"_ba << u"record 2: name contains '!'"_s;
    QTest::addRow("space") << R"([{"n":"room 1","v":1}])"_ba << u"record 0: name contains ' '"_s;
    QTest::addRow("non-ascii") << R"([{"n":"temp\u00e9","v":1}])"_ba << u"record 0: name contains 'é'"_s;
    QTest::addRow("non-bmp") << R"([{"n":"t\ud83d\ude00","v":1}])"_ba << u"record 0: name contains '😀'"_s;
    QTest::addRow("bad char in base name")
        << R"([{"bn":"http://[::1]/","n":"a","v":1}])"_ba << u"record 0: name contains '['"_s;
    QTest::addRow("leading dash") << R"([{"n":"-abc","v":1}])"_ba
                                  << u"record 0: name '-abc' must start with a letter or digit"_s;
    QTest::addRow("leading underscore from base name")
        << R"([{"bn":"_dev/","n":"a","v":1}])"_ba << u"record 0: name '_dev/a' must start with a letter or digit"_s;
    QTest::addRow("no name") << R"([{"v":1}])"_ba << u"record 0: empty name (neither bn nor n given)"_s;
    QTest::addRow("empty name") << R"([{"n":"","v":1}])"_ba << u"record 0: empty name (neither bn nor n given)"_s;

    // Values (§4.2).
    QTest::addRow("no value") << R"([{"n":"a","u":"V","t":1}])"_ba
                              << u"record 0: no value (v, vs, vb, vd) and no sum (s, bs)"_s;
    QTest::addRow("rfc 5.1.7 base-only record") << R"([{"bn":"urn:dev:ow:10e2073a01080063:"},{"n":"temp","v":23.1}])"_ba
                                                << u"record 0: no value (v, vs, vb, vd) and no sum (s, bs)"_s;
    QTest::addRow("base value is no value")
        << R"([{"bv":1,"n":"a"}])"_ba << u"record 0: no value (v, vs, vb, vd) and no sum (s, bs)"_s;
    QTest::addRow("v and vs") << R"([{"n":"a","v":1,"vs":"x"}])"_ba << u"record 0: more than one of v, vs, vb, vd"_s;
    QTest::addRow("vb and vd") << R"([{"n":"a","vb":true,"vd":"AA"}])"_ba
                               << u"record 0: more than one of v, vs, vb, vd"_s;
    QTest::addRow("all four") << R"([{"n":"a","v":1,"vs":"x","vb":false,"vd":"AA","s":1}])"_ba
                              << u"record 0: more than one of v, vs, vb, vd"_s;

    // Types (Table 2).
    QTest::addRow("v as string") << R"([{"n":"a","v":"1"}])"_ba << u"record 0: field 'v' must be a finite number"_s;
    QTest::addRow("v null") << R"([{"n":"a","v":null}])"_ba << u"record 0: field 'v' must be a finite number"_s;
    QTest::addRow("vb as number") << R"([{"n":"a","vb":1}])"_ba << u"record 0: field 'vb' must be true or false"_s;
    QTest::addRow("vb as string") << R"([{"n":"a","vb":"true"}])"_ba << u"record 0: field 'vb' must be true or false"_s;
    QTest::addRow("vs as number") << R"([{"n":"a","vs":1}])"_ba << u"record 0: field 'vs' must be a string"_s;
    QTest::addRow("vd as number") << R"([{"n":"a","vd":5}])"_ba << u"record 0: field 'vd' must be a base64url string"_s;
    QTest::addRow("vd standard base64") << R"([{"n":"a","vd":"ab+/"}])"_ba
                                        << u"record 0: field 'vd' must be a base64url string"_s;
    QTest::addRow("vd impossible length")
        << R"([{"n":"a","vd":"abcde"}])"_ba << u"record 0: field 'vd' must be a base64url string"_s;
    QTest::addRow("n as number") << R"([{"n":1,"v":1}])"_ba << u"record 0: field 'n' must be a string"_s;
    QTest::addRow("bn as null") << R"([{"bn":null,"n":"a","v":1}])"_ba << u"record 0: field 'bn' must be a string"_s;
    QTest::addRow("u as array") << R"([{"n":"a","u":[],"v":1}])"_ba << u"record 0: field 'u' must be a string"_s;
    QTest::addRow("t as string") << R"([{"n":"a","t":"now","v":1}])"_ba
                                 << u"record 0: field 't' must be a finite number"_s;
    QTest::addRow("bt as object") << R"([{"bt":{},"n":"a","v":1}])"_ba
                                  << u"record 0: field 'bt' must be a finite number"_s;
    QTest::addRow("s as bool") << R"([{"n":"a","s":true}])"_ba << u"record 0: field 's' must be a finite number"_s;
    QTest::addRow("ut as string") << R"([{"n":"a","v":1,"ut":"5"}])"_ba
                                  << u"record 0: field 'ut' must be a finite number"_s;
    QTest::addRow("bs as string") << R"([{"bs":"1","n":"a","v":1}])"_ba
                                  << u"record 0: field 'bs' must be a finite number"_s;
    QTest::addRow("bv as string") << R"([{"n":"a","v":1},{"bv":"1","n":"a","v":1}])"_ba
                                  << u"record 1: field 'bv' must be a finite number"_s;

    // Overflow after adding base values.
    QTest::addRow("time overflow") << R"([{"bt":1e308,"n":"a","t":1e308,"v":1}])"_ba
                                   << u"record 0: bt + t is not a finite number"_s;
    QTest::addRow("value overflow") << R"([{"bv":-1e308,"n":"a","v":-1e308}])"_ba
                                    << u"record 0: bv + v is not a finite number"_s;
    QTest::addRow("sum overflow") << R"([{"bs":1e308,"n":"a","s":1e308}])"_ba
                                  << u"record 0: bs + s is not a finite number"_s;

    // Version (§4.4).
    QTest::addRow("mixed versions") << R"([{"bver":5,"n":"a","v":1},{"bver":6,"n":"b","v":1}])"_ba
                                    << u"record 1: version changes from 5 to 6 within the pack"_s;
    QTest::addRow("default then other version") << R"([{"n":"a","v":1},{"bver":5,"n":"b","v":1}])"_ba
                                                << u"record 1: version changes from 10 to 5 within the pack"_s;
    QTest::addRow("version too new") << R"([{"bver":11,"n":"a","v":1}])"_ba
                                     << u"record 0: unsupported SenML version 11 (up to 10 is understood)"_s;
    QTest::addRow("version zero") << R"([{"bver":0,"n":"a","v":1}])"_ba
                                  << u"record 0: field 'bver' must be a positive integer"_s;
    QTest::addRow("version fraction") << R"([{"bver":5.5,"n":"a","v":1}])"_ba
                                      << u"record 0: field 'bver' must be a positive integer"_s;
    QTest::addRow("version string") << R"([{"bver":"5","n":"a","v":1}])"_ba
                                    << u"record 0: field 'bver' must be a positive integer"_s;

    // Duplicate keys: refused like CBOR's duplicate labels (QJsonDocument alone would keep the last).
    QTest::addRow("duplicate key") << R"([{"n":"a","v":1,"v":2}])"_ba << u"record 0: field 'v' appears twice"_s;
    QTest::addRow("duplicate key, escaped") << R"([{"n":"a","v":1,"\u0076":2}])"_ba
                                            << u"record 0: field 'v' appears twice"_s;
    QTest::addRow("duplicate key in second record")
        << R"([{"n":"a","v":1},{"n":"b","n":"c","v":1}])"_ba << u"record 1: field 'n' appears twice"_s;
    QTest::addRow("duplicate unknown key") << R"([{"n":"a","v":1,"x":{"k":1},"x":2}])"_ba
                                           << u"record 0: field 'x' appears twice"_s;

    // Unpaired surrogates cannot be stored as UTF-8.
    QTest::addRow("lone surrogate in vs") << R"([{"n":"a","vs":"\ud800"}])"_ba
                                          << u"record 0: field 'vs' must be valid Unicode text (it holds an unpaired surrogate)"_s;
    QTest::addRow("lone surrogate in name") << R"([{"n":"a\udc00","v":1}])"_ba
                                            << u"record 0: field 'n' must be valid Unicode text (it holds an unpaired surrogate)"_s;

    // Must-understand fields (§4.4).
    QTest::addRow("must understand") << R"([{"n":"a","v":1,"foo_":1}])"_ba
                                     << u"record 0: unsupported must-understand field 'foo_'"_s;
    QTest::addRow("must understand base field") << R"([{"n":"a","v":1},{"n":"b","v":2,"bfoo_":"x"}])"_ba
                                                << u"record 1: unsupported must-understand field 'bfoo_'"_s;
}

void tst_Senml::rejectJson()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, error);

    const auto records = mf::senml::normalize(payload, Format::Json, kNow);
    QVERIFY2(!records, qPrintable(records ? describe(*records).join(u'\n') : QString()));
    QCOMPARE(records.error().code, mf::ErrorCode::Malformed);
    QCOMPARE(records.error().message, error);
}

void tst_Senml::normalizeCbor_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QStringList>("expected");

    QTest::addRow("rfc 6 example") << kRfcCborExample << kRfcBaseTimeResolved;
    QTest::addRow("every integer label") << cbor({QCborMap{{-1, 10},
                                                           {-2, u"dev:"_s},
                                                           {-3, 1600000000},
                                                           {-4, u"V"_s},
                                                           {-5, 10},
                                                           {-6, 100},
                                                           {0, u"a"_s},
                                                           {2, 1.5},
                                                           {5, 2},
                                                           {6, 1},
                                                           {7, 60}},
                                                  QCborMap{{0, u"b"_s}, {1, u"A"_s}, {3, u"text"_s}},
                                                  QCborMap{{0, u"c"_s}, {4, true}},
                                                  QCborMap{{0, u"d"_s}, {8, QByteArray("\x01\x02\x03\xfb\xff", 5)}}})
                                         << QStringList{u"dev:b u=A vs=text s=100 t=1600000000.000"_s,
                                                        u"dev:c u=V vb=true s=100 t=1600000000.000"_s,
                                                        u"dev:d u=V vd=AQID-_8 s=100 t=1600000000.000"_s,
                                                        u"dev:a u=V v=11.5 s=102 t=1600000001.000 ut=60"_s};
    QTest::addRow("text labels") << cbor({QCborMap{{u"bn"_s, u"dev:"_s}, {u"n"_s, u"a"_s}, {u"v"_s, 2}},
                                          QCborMap{{u"n"_s, u"b"_s}, {u"vb"_s, false}, {u"t"_s, -1}}})
                                 << QStringList{u"dev:b vb=false t=1699999999.000"_s, u"dev:a v=2 t=1700000000.000"_s};
    QTest::addRow("mixed labels") << cbor({QCborMap{{-2, u"dev:"_s}, {u"n"_s, u"a"_s}, {2, -7}, {u"u"_s, u"Cel"_s}}})
                                  << QStringList{u"dev:a u=Cel v=-7 t=1700000000.000"_s};
    QTest::addRow("half and single floats")
        // [{0:"a", 2: 1.5 as float16}, {0:"b", 2: 0.25 as float32}]
        << QByteArray::fromHex("82a2006161 02f93e00 a2006162 02fa3e800000"_ba.replace(' ', ""))
        << QStringList{u"a v=1.5 t=1700000000.000"_s, u"b v=0.25 t=1700000000.000"_s};
    QTest::addRow("decimal fraction")
        // [{0:"a", 2: 4([-1, 15])}, {0:"b", 2: 4([2, -3])}]
        << QByteArray::fromHex("82a2006161 02c482200f a2006162 02c4820222"_ba.replace(' ', ""))
        << QStringList{u"a v=1.5 t=1700000000.000"_s, u"b v=-300 t=1700000000.000"_s};
    QTest::addRow("indefinite lengths and chunked strings")
        // [_ {_ 0: (_ "a", "b"), 2: 1}, {0: "c", 2: 2} ]
        << QByteArray::fromHex("9fbf007f61616162ff0201ffa200616302 02ff"_ba.replace(' ', ""))
        << QStringList{u"ab v=1 t=1700000000.000"_s, u"c v=2 t=1700000000.000"_s};
    QTest::addRow("large integers") << cbor({QCborMap{{0, u"a"_s}, {2, std::numeric_limits<qint64>::min()}},
                                             QCborMap{{0, u"b"_s}, {2, std::numeric_limits<qint64>::max()}}})
                                    << QStringList{u"a v=-9.22337203685e+18 t=1700000000.000"_s,
                                                   u"b v=9.22337203685e+18 t=1700000000.000"_s};
    QTest::addRow("bver 5") << cbor({QCborMap{{-1, 5}, {0, u"a"_s}, {2, 1}}, QCborMap{{0, u"b"_s}, {2, 2}}})
                            << QStringList{u"a v=1 t=1700000000.000 ver=5"_s, u"b v=2 t=1700000000.000 ver=5"_s};
    QTest::addRow("unknown labels ignored") << cbor({QCborMap{{0, u"a"_s},
                                                              {2, 1},
                                                              {99, QCborArray{1, 2, QCborMap{{1, 2}}}},
                                                              {-99, u"x"_s},
                                                              {u"foo"_s, QCborMap{{u"bar_"_s, 1}}},
                                                              {u"tagged"_s, QCborValue(QCborTag(1), 1.5)}}})
                                            << QStringList{u"a v=1 t=1700000000.000"_s};
}

void tst_Senml::normalizeCbor()
{
    QFETCH(QByteArray, payload);
    QFETCH(QStringList, expected);

    const auto records = mf::senml::normalize(payload, Format::Cbor, kNow);
    QVERIFY2(records, qPrintable(records ? QString() : records.error().message));
    QCOMPARE(describe(*records), expected);
}

void tst_Senml::rejectCbor_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("error");

    const auto hex = [](const char *text) { return QByteArray::fromHex(QByteArray(text).replace(' ', "")); };

    QTest::addRow("empty payload") << QByteArray() << u"empty payload: a SenML pack must be a CBOR array"_s;
    QTest::addRow("empty pack") << hex("80") << u"empty pack: a SenML pack needs at least one record"_s;
    QTest::addRow("map instead of array") << hex("a1 0061 61") << u"a SenML pack must be a CBOR array of records"_s;
    QTest::addRow("record not a map") << hex("8101") << u"record 0: not a CBOR map"_s;
    QTest::addRow("second record not a map") << hex("82 a2 0061 61 0201 6161") << u"record 1: not a CBOR map"_s;
    QTest::addRow("truncated after header")
        << kRfcCborExample.left(1) << u"invalid CBOR at offset 1: Unexpected end of input data (more bytes needed)"_s;
    QTest::addRow("truncated in base name")
        << kRfcCborExample.left(10)
        << u"record 0: invalid CBOR at offset 3: Unexpected end of input data (more bytes needed)"_s;
    QTest::addRow("truncated in a double")
        << kRfcCborExample.left(0x25)
        << u"record 0: invalid CBOR at offset 33: Unexpected end of input data (more bytes needed)"_s;
    QTest::addRow("last byte missing")
        << kRfcCborExample.chopped(1)
        << u"record 6: invalid CBOR at offset 186: Unexpected end of input data (more bytes needed)"_s;
    QTest::addRow("break byte alone") << hex("ff")
                                      << u"invalid CBOR at offset 0: Invalid CBOR stream: unexpected 'break' byte"_s;
    QTest::addRow("reserved additional info")
        << hex("81 a1 00 7c")
        << u"record 0: invalid CBOR at offset 3: Invalid CBOR stream: illegal number encoding (future extension)"_s;
    QTest::addRow("huge declared length")
        << hex("9b ffffffffffffffff a0") << u"invalid CBOR at offset 9: Internal limitation: data set too large"_s;
    QTest::addRow("trailing garbage") << kRfcCborExample + "\x01"
                                      << u"unexpected data after the CBOR array at offset 195"_s;

    // Types (RFC 8428 §6).
    QTest::addRow("v as text") << cbor({QCborMap{{0, u"a"_s}, {2, u"1"_s}}})
                               << u"record 0: field 'v' must be a number"_s;
    QTest::addRow("vb as integer") << cbor({QCborMap{{0, u"a"_s}, {4, 1}}})
                                   << u"record 0: field 'vb' must be true or false"_s;
    QTest::addRow("vs as integer") << cbor({QCborMap{{0, u"a"_s}, {3, 1}}})
                                   << u"record 0: field 'vs' must be a text string"_s;
    QTest::addRow("n as bytes") << cbor({QCborMap{{0, QByteArray("a")}, {2, 1}}})
                                << u"record 0: field 'n' must be a text string"_s;
    QTest::addRow("vd as text") << cbor({QCborMap{{0, u"a"_s}, {8, u"AQID"_s}}})
                                << u"record 0: field 'vd' must be a byte string"_s;
    QTest::addRow("bver as float") << cbor({QCborMap{{-1, 5.0}, {0, u"a"_s}, {2, 1}}})
                                   << u"record 0: field 'bver' must be a positive integer"_s;
    QTest::addRow("bver negative") << cbor({QCborMap{{-1, -5}, {0, u"a"_s}, {2, 1}}})
                                   << u"record 0: field 'bver' must be a positive integer"_s;
    QTest::addRow("t as null") << cbor({QCborMap{{0, u"a"_s}, {2, 1}, {6, QCborValue(nullptr)}}})
                               << u"record 0: field 't' must be a number"_s;
    QTest::addRow("NaN") << hex("81 a2 0061 61 02 fb7ff8000000000000")
                         << u"record 0: field 'v' must be a finite number"_s;
    QTest::addRow("infinity half float") << hex("81 a2 0061 61 02 f97c00")
                                         << u"record 0: field 'v' must be a finite number"_s;
    QTest::addRow("negative infinity") << hex("81 a2 0061 61 06 fbfff0000000000000 0201")
                                       << u"record 0: field 't' must be a finite number"_s;
    QTest::addRow("unsupported tag") << hex("81 a2 0061 61 02 c1 fb3ff8000000000000") // 1(1.5), epoch time
                                     << u"record 0: field 'v' must be a number, not CBOR tag 1"_s;
    QTest::addRow("bad decimal fraction")
        << hex("81 a2 0061 61 02 c4 81 01")
        << u"record 0: field 'v': a decimal fraction (tag 4) must be [exponent, mantissa]"_s;
    QTest::addRow("decimal fraction with float")
        << hex("81 a2 0061 61 02 c4 82 01 f93e00")
        << u"record 0: field 'v': a decimal fraction (tag 4) must hold two integers"_s;
    QTest::addRow("duplicate label") << hex("81 a3 0061 61 0201 0202") << u"record 0: field 'v' appears twice"_s;
    QTest::addRow("duplicate label, text and integer")
        << hex("81 a3 0061 61 0201 61 76 02") << u"record 0: field 'v' appears twice"_s;
    QTest::addRow("byte string label") << hex("81 a2 0061 61 41 00 01")
                                       << u"record 0: field labels must be integers or text strings"_s;
    QTest::addRow("must understand") << cbor({QCborMap{{0, u"a"_s}, {2, 1}, {u"foo_"_s, 1}}})
                                     << u"record 0: unsupported must-understand field 'foo_'"_s;
    QTest::addRow("bad name") << cbor({QCborMap{{0, u"a"_s}, {2, 1}}, QCborMap{{0, u"a b"_s}, {2, 1}}})
                              << u"record 1: name contains ' '"_s;
    QTest::addRow("no value") << cbor({QCborMap{{0, u"a"_s}}})
                              << u"record 0: no value (v, vs, vb, vd) and no sum (s, bs)"_s;
    QTest::addRow("too many values") << cbor({QCborMap{{0, u"a"_s}, {2, 1}, {4, true}}})
                                     << u"record 0: more than one of v, vs, vb, vd"_s;
    QTest::addRow("mixed versions") << cbor({QCborMap{{-1, 5}, {0, u"a"_s}, {2, 1}},
                                             QCborMap{{-1, 4}, {0, u"b"_s}, {2, 1}}})
                                    << u"record 1: version changes from 5 to 4 within the pack"_s;
    QByteArray deep = hex("81 a3 0061 61 0201 6178");
    deep += QByteArray(100'000, '\x81') + hex("00");
    QTest::addRow("deeply nested unknown field") << deep
                                                 << u"record 0: invalid CBOR at offset 1033: Internal limitation: "
                                                    u"data nesting too deep"_s;
}

void tst_Senml::rejectCbor()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, error);

    const auto records = mf::senml::normalize(payload, Format::Cbor, kNow);
    QVERIFY2(!records, qPrintable(records ? describe(*records).join(u'\n') : QString()));
    QCOMPARE(records.error().code, mf::ErrorCode::Malformed);
    QCOMPARE(records.error().message, error);
}

void tst_Senml::rfcCborAndJsonAgree()
{
    const auto fromJson = mf::senml::normalize(kRfcJsonBaseTime, Format::Json, kNow);
    const auto fromCbor = mf::senml::normalize(kRfcCborExample, Format::Cbor, kNow);
    QVERIFY(fromJson);
    QVERIFY(fromCbor);
    QCOMPARE(fromJson->size(), 7);
    QVERIFY(*fromJson == *fromCbor);
}

void tst_Senml::rfcResolvedFormIsAFixedPoint()
{
    // RFC 8428 §5.1.4 is §5.1.3 resolved: both resolve to the same records, and resolving is idempotent.
    const auto unresolved = mf::senml::normalize(kRfcMultipleMeasurements, Format::Json, kNow);
    const auto resolved = mf::senml::normalize(kRfcResolvedData, Format::Json, kNow);
    QVERIFY(unresolved);
    QVERIFY(resolved);
    QCOMPARE(unresolved->size(), 13);
    QVERIFY(*unresolved == *resolved);

    QJsonArray again;
    for (const Record &r : *resolved) {
        QJsonObject o{{u"n"_s, r.name}, {u"u"_s, r.unit}, {u"t"_s, r.time}, {u"v"_s, *r.value}};
        again.append(o);
    }
    const auto twice = mf::senml::normalize(QJsonDocument(again).toJson(QJsonDocument::Compact), Format::Json, kNow);
    QVERIFY(twice);
    QVERIFY(*twice == *resolved);
}

void tst_Senml::hugePack_data()
{
    QTest::addColumn<int>("format");
    QTest::addRow("json") << int(Format::Json);
    QTest::addRow("cbor") << int(Format::Cbor);
}

void tst_Senml::hugePack()
{
    QFETCH(int, format);
    constexpr int kCount = 100'000;

    // One base record, then records relative to the base time, one second apart, with increasing values.
    QByteArray payload;
    if (Format(format) == Format::Json) {
        payload = R"([{"bn":"urn:dev:big:","bt":1600000000,"bu":"Cel","n":"s0","v":0})"_ba;
        for (int i = 1; i < kCount; ++i)
            payload += R"(,{"n":"s)"_ba + QByteArray::number(i % 10) + R"(","t":)"_ba + QByteArray::number(i) +
                       R"(,"v":)"_ba + QByteArray::number(i * 0.5) + '}';
        payload += ']';
    } else {
        QCborStreamWriter writer(&payload);
        writer.startArray(kCount);
        for (int i = 0; i < kCount; ++i) {
            writer.startMap(i == 0 ? 5 : 3);
            // Explicit qint64: QCborStreamWriter has no int overload.
            const auto field = [&writer](qint64 label, const auto &value) {
                writer.append(label);
                writer.append(value);
            };
            if (i == 0) {
                field(-2, "urn:dev:big:"_L1);
                field(-3, qint64(1600000000));
                field(-4, "Cel"_L1);
            } else {
                field(6, qint64(i));
            }
            field(0, QString(u"s"_s + QString::number(i % 10)));
            field(2, i * 0.5);
            writer.endMap();
        }
        writer.endArray();
    }

    const auto records = mf::senml::normalize(payload, Format(format), kNow);
    QVERIFY2(records, qPrintable(records ? QString() : records.error().message));
    QCOMPARE(records->size(), kCount);
    QCOMPARE(describe(records->first()), u"urn:dev:big:s0 u=Cel v=0 t=1600000000.000"_s);
    QCOMPARE(describe(records->at(12'345)), u"urn:dev:big:s5 u=Cel v=6172.5 t=1600012345.000"_s);
    QCOMPARE(describe(records->last()), u"urn:dev:big:s9 u=Cel v=49999.5 t=1600099999.000"_s);
    for (int i = 0; i < kCount; ++i) {
        if (records->at(i).time != 1600000000.0 + i)
            QFAIL(qPrintable(u"record %1 has time %2"_s.arg(i).arg(records->at(i).time, 0, 'f', 3)));
    }
}

void tst_Senml::toJson_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("expected"); // compact JSON of the first record

    QTest::addRow("value with unit") << R"([{"n":"a","u":"Cel","v":23.5,"t":1600000000}])"_ba
                                     << R"({"name":"a","time":1600000000,"unit":"Cel","value":23.5})"_ba;
    QTest::addRow("string, no unit") << R"([{"n":"a","vs":"on","t":1600000000.25}])"_ba
                                     << R"({"name":"a","string_value":"on","time":1600000000.25})"_ba;
    QTest::addRow("bool with update time") << R"([{"n":"a","vb":true,"t":1600000000,"ut":30}])"_ba
                                           << R"({"bool_value":true,"name":"a","time":1600000000,"update_time":30})"_ba;
    QTest::addRow("data") << R"([{"n":"a","vd":"aGk","t":1600000000}])"_ba
                          << R"({"data_value":"aGk","name":"a","time":1600000000})"_ba;
    QTest::addRow("sum only") << R"([{"n":"a","u":"J","s":10,"t":1600000000}])"_ba
                              << R"({"name":"a","sum":10,"time":1600000000,"unit":"J"})"_ba;
    QTest::addRow("value and sum") << R"([{"n":"a","v":-1,"s":0,"t":1600000000}])"_ba
                                   << R"({"name":"a","sum":0,"time":1600000000,"value":-1})"_ba;
}

void tst_Senml::toJson()
{
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, expected);

    const auto records = mf::senml::normalize(payload, Format::Json, kNow);
    QVERIFY(records);
    QCOMPARE(QJsonDocument(mf::senml::toJson(records->first())).toJson(QJsonDocument::Compact), expected);
}

QTEST_APPLESS_MAIN(tst_Senml)
#include "tst_senml.moc"
