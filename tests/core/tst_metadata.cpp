// Metadata of things and channels: the three forms a request may use (none, object, a string holding an object —
// the Mainflux 0.7 form), what is stored, what a response shows, and what is refused.
#include "core/metadata.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using mf::Metadata;

class TestMetadata : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noneForms()
    {
        for (const QJsonValue &v : {QJsonValue(QJsonValue::Undefined), QJsonValue(), QJsonValue(QJsonObject{}),
                                    QJsonValue(u""_s), QJsonValue(u"   "_s)}) {
            auto m = Metadata::fromJson(v);
            QVERIFY(m.has_value());
            QCOMPARE(m->form(), Metadata::Form::None);
            QVERIFY(m->toJson().isUndefined()); // omitted from responses
            QCOMPARE(m->storedText(), u"null"_s);
        }
    }

    void objectForm()
    {
        auto m = Metadata::fromJson(QJsonObject{{u"offline_after"_s, u"2s"_s}});
        QVERIFY(m.has_value());
        QCOMPARE(m->form(), Metadata::Form::Object);
        QCOMPARE(m->object().value("offline_after"_L1).toString(), u"2s"_s);
        QCOMPARE(m->storedText(), u"{\"offline_after\":\"2s\"}"_s);
        QCOMPARE(Metadata::fromStored(m->storedText()), *m);
    }

    void stringFormKeepsItsText()
    {
        // A 0.7 SDK sends (and must read back) the string exactly as it wrote it.
        const QString text = u"{ \"lora\" : {\"dev_eui\":\"0011\"} }"_s;
        auto m = Metadata::fromJson(text);
        QVERIFY(m.has_value());
        QCOMPARE(m->form(), Metadata::Form::String);
        QCOMPARE(m->toJson().toString(), text);
        QCOMPARE(m->object().value("lora"_L1).toObject().value("dev_eui"_L1).toString(), u"0011"_s);
        const Metadata back = Metadata::fromStored(m->storedText());
        QCOMPARE(back.form(), Metadata::Form::String);
        QCOMPARE(back.text(), text);
    }

    void storedOddities()
    {
        QCOMPARE(Metadata::fromStored(u"{}"_s).form(), Metadata::Form::None); // older rows' "none"
        QCOMPARE(Metadata::fromStored(u"null"_s).form(), Metadata::Form::None);
        QCOMPARE(Metadata::fromStored(u"not json"_s).form(), Metadata::Form::None); // never fails a listing
        QCOMPARE(Metadata::fromStored(u"[1,2]"_s).form(), Metadata::Form::None);
    }

    void refused_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("reason");
        QTest::newRow("number") << QJsonValue(5) << u"metadata: must be a JSON object"_s;
        QTest::newRow("array") << QJsonValue(QJsonArray{1}) << u"metadata: must be a JSON object"_s;
        QTest::newRow("bool") << QJsonValue(true) << u"metadata: must be a JSON object"_s;
        QTest::newRow("string not json") << QJsonValue(u"hello"_s) << u"metadata: a string must hold"_s;
        QTest::newRow("string array") << QJsonValue(u"[1]"_s) << u"metadata: a string must hold"_s;
        QTest::newRow("lone surrogate") << QJsonValue(QString(QChar(0xD800))) << u"metadata: the string is not valid"_s;
    }
    void refused()
    {
        QFETCH(QJsonValue, value);
        QFETCH(QString, reason);
        auto m = Metadata::fromJson(value);
        QVERIFY(!m.has_value());
        QCOMPARE(m.error().code, mf::ErrorCode::Malformed);
        QVERIFY2(m.error().message.startsWith(reason), qPrintable(m.error().message));
    }
};

QTEST_GUILESS_MAIN(TestMetadata)
#include "tst_metadata.moc"
