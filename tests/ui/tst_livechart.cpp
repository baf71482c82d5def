// The live chart's value labels as they are drawn (offscreen): numbers in the user's language, never blank.
#include "livechart.h"

#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QLineSeries>
#include <QLocale>
#include <QTest>
#include <QValueAxis>

using namespace Qt::StringLiterals;
using namespace mf;

class TestLiveChart : public QObject
{
    Q_OBJECT

    // The texts of every label of the value axes as the scene draws them.
    static QStringList valueLabels(ui::LiveChart &chart)
    {
        QStringList labels;
        for (QGraphicsItem *item : chart.scene()->items())
            if (auto *text = qgraphicsitem_cast<QGraphicsTextItem *>(item); text && text->isVisible())
                labels << text->toPlainText();
        return labels;
    }

    // Those that are numbers (the value axis; the time axis labels hold a colon).
    static QStringList numberLabels(ui::LiveChart &chart)
    {
        QStringList out;
        for (const QString &label : valueLabels(chart))
            if (!label.isEmpty() && (label.at(0).isDigit() || label.at(0) == u'-') && !label.contains(u':'))
                out << label;
        return out;
    }

    static QList<client::LiveRecord> temperatures()
    {
        const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
        QList<client::LiveRecord> records;
        for (int i = 0; i < 5; ++i) {
            client::LiveRecord r;
            r.name = u"temp"_s;
            r.unit = u"Cel"_s;
            r.value = 20.25 + 0.5 * i; // 20.25 … 22.25: ticks with a fraction
            r.time = now - 50 + 10 * i;
            records << r;
        }
        return records;
    }

private slots:
    void valueLabelsSpeakTheUsersLanguage_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QChar>("decimal");
        QTest::addColumn<QChar>("other");
        QTest::newRow("en") << u"en_US"_s << QChar(u'.') << QChar(u',');
        QTest::newRow("de") << u"de_DE"_s << QChar(u',') << QChar(u'.');
    }

    void valueLabelsSpeakTheUsersLanguage()
    {
        QFETCH(QString, locale);
        QFETCH(QChar, decimal);
        QFETCH(QChar, other);
        const QLocale saved;
        QLocale::setDefault(QLocale(locale));
        ui::LiveChart chart;
        QLocale::setDefault(saved);
        chart.resize(800, 500);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.append(temperatures());
        QValueAxis *axis = chart.valueAxis(u"temp"_s);
        QVERIFY(axis);
        QTRY_VERIFY(axis->max() > axis->min());
        // Labels with a fraction use the locale's decimal separator; none is blank or in the other notation.
        QTRY_VERIFY2(numberLabels(chart).size() >= 3, qPrintable(valueLabels(chart).join(u'|')));
        const QStringList numbers = numberLabels(chart);
        bool fraction = false;
        for (const QString &label : std::as_const(numbers)) {
            QVERIFY2(!label.contains(other), qPrintable(numbers.join(u'|')));
            fraction = fraction || label.contains(decimal);
        }
        QVERIFY2(fraction, qPrintable(numbers.join(u'|')));
    }

    // A reading with no neighbour on its line (the first one, or the first after a silence drawn as a gap) is drawn
    // as a dot: a line segment of one point is otherwise invisible.
    void aLoneReadingIsDrawn()
    {
        ui::LiveChart chart;
        chart.resize(800, 500);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
        auto reading = [](double time, double value) {
            client::LiveRecord r;
            r.name = u"temp"_s;
            r.unit = u"Cel"_s;
            r.value = value;
            r.time = time;
            return r;
        };
        chart.append({reading(now - 300, 21.5)});
        QCOMPARE(loneSegments(chart), 1);
        // Many readings a second apart, then one after five silent minutes: a gap, and the last reading alone.
        QList<client::LiveRecord> records;
        for (int i = 0; i < 40; ++i)
            records << reading(now - 299 + i, 21.5 + 0.1 * i);
        chart.append(records);
        QCOMPARE(loneSegments(chart), 0);
        chart.append({reading(now, 24.5)});
        QCOMPARE(chart.segmentCount(u"temp"_s), 2);
        QCOMPARE(loneSegments(chart), 1);
    }

private:
    // Segments of one point, each of which must show its point.
    static int loneSegments(ui::LiveChart &chart)
    {
        int lone = 0;
        for (QAbstractSeries *series : chart.chart()->series())
            if (auto *line = qobject_cast<QLineSeries *>(series); line && line->count() == 1) {
                if (!line->pointsVisible()) return -1;
                ++lone;
            }
        return lone;
    }
};

QTEST_MAIN(TestLiveChart)
#include "tst_livechart.moc"
