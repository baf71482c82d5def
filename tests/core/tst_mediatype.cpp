// checkMediaType and the channel metadata's content_type: what a channel may name for messages that name none.
#include "core/mediatype.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace mf;

class TestMediaType : public QObject
{
    Q_OBJECT

private slots:
    void mediaTypes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addRow("json") << u"application/json"_s << true;
        QTest::addRow("text") << u"text/plain"_s << true;
        QTest::addRow("octets") << u"application/octet-stream"_s << true;
        QTest::addRow("senml") << u"application/senml+json"_s << true;
        QTest::addRow("vendor") << u"application/vnd.acme.sensor+json"_s << true;
        QTest::addRow("charset") << u"text/plain; charset=utf-8"_s << true;
        QTest::addRow("quoted parameter") << u"text/plain;format=\"a b\""_s << true;
        QTest::addRow("no subtype") << u"json"_s << false;
        QTest::addRow("empty subtype") << u"application/"_s << false;
        QTest::addRow("empty type") << u"/json"_s << false;
        QTest::addRow("space inside") << u"application/js on"_s << false;
        QTest::addRow("two slashes") << u"application/json/x"_s << false;
        QTest::addRow("non-ASCII") << u"application/jsön"_s << false;
        QTest::addRow("parameter without value") << u"text/plain; charset"_s << false;
        QTest::addRow("empty") << QString() << false;
        QTest::addRow("too long") << u"application/"_s + QString(128, u'x') << false;
    }
    void mediaTypes()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        const auto checked = checkMediaType(text);
        QCOMPARE(bool(checked), valid);
        if (!valid) {
            QCOMPARE(checked.error().code, ErrorCode::Malformed);
            QVERIFY2(checked.error().message.contains(u"not a media type"_s), qPrintable(checked.error().message));
        }
    }

    void channelMetadata()
    {
        QCOMPARE(channelContentType({}), QString());
        QCOMPARE(channelContentType({{u"content_type"_s, u" application/json "_s}}), u"application/json"_s);
        QVERIFY(checkChannelContentType({}));
        QVERIFY(checkChannelContentType({{u"room"_s, 1}}));
        QVERIFY(checkChannelContentType({{u"content_type"_s, u"text/plain"_s}}));
        const auto number = checkChannelContentType({{u"content_type"_s, 7}});
        QVERIFY(!number);
        QVERIFY(number.error().message.startsWith(u"metadata.content_type: must be a string"_s));
        const auto bad = checkChannelContentType({{u"content_type"_s, u"json"_s}});
        QVERIFY(!bad);
        QVERIFY(bad.error().message.startsWith(u"metadata.content_type: \"json\" is not a media type"_s));
    }
};

QTEST_APPLESS_MAIN(TestMediaType)
#include "tst_mediatype.moc"
