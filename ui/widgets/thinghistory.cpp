#include "thinghistory.h"

#include "client/liverecord.h"
#include "client/restclient.h"
#include "livechart.h"
#include "models/session.h"
#include "statusstrip.h"

#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

ThingHistory::ThingHistory(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_strip(new StatusStrip(this)), m_stripNote(new QLabel(this)),
      m_values(new QComboBox(this)), m_note(new QLabel(this)), m_chart(new LiveChart(this))
{
    setObjectName(u"thingHistory"_s);
    m_values->setObjectName(u"historyValue"_s);
    m_values->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_values->setToolTip(tr("The value to chart from this thing's messages of the last 24 hours"));
    m_note->setObjectName(u"historyNote"_s);
    m_note->setWordWrap(true);
    m_stripNote->setWordWrap(true);
    m_chart->setMinimumHeight(150);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    QFont bold = font();
    bold.setBold(true);
    auto *title = new QLabel(tr("Online in the last 24 hours"), this);
    title->setFont(bold);
    layout->addWidget(title);
    layout->addWidget(m_strip);
    layout->addWidget(m_stripNote);
    auto *choose = new QHBoxLayout;
    auto *valueLabel = new QLabel(tr("&Value:"), this);
    valueLabel->setFont(bold);
    valueLabel->setBuddy(m_values);
    choose->addWidget(valueLabel);
    choose->addWidget(m_values);
    choose->addWidget(m_note, 1);
    layout->addLayout(choose);
    layout->addWidget(m_chart, 1);
    m_chartLayout = layout;
    connect(m_values, &QComboBox::activated, this, [this] {
        m_chosen = m_values->currentData().toStringList().value(1);
        loadChart();
    });
    clear();
}

void ThingHistory::clear()
{
    m_thing.clear();
    ++m_generation;
    ++m_chartGeneration;
    m_strip->clear();
    m_stripNote->clear();
    m_stripNote->hide();
    m_values->clear();
    m_values->setEnabled(false);
    m_note->clear();
    resetChart();
}

void ThingHistory::setThing(const QString &thingId)
{
    clear();
    m_thing = thingId;
    if (thingId.isEmpty() || !m_session->client()) return;
    const quint64 generation = m_generation;
    m_session->client()->thingStatus(thingId).then(this, [this, generation](const Result<QJsonObject> &status) {
        if (generation != m_generation) return;
        if (!status) {
            m_stripNote->setText(tr("Could not load the status history: %1").arg(status.error().message));
            m_stripNote->show();
            return;
        }
        m_strip->setHistory(status->value("history"_L1).toArray(), status->value("online"_L1).toBool(),
                            QDateTime::currentMSecsSinceEpoch());
    });
}

void ThingHistory::setValues(const QJsonArray &values)
{
    m_values->clear();
    // Numbers only (a chart of strings says nothing); each name once, with the channel it came on.
    QStringList seen;
    for (const QJsonValue &item : values) {
        const QJsonObject value = item.toObject();
        const QString name = value.value("name"_L1).toString();
        if (!value.value("value"_L1).isDouble() || name.isEmpty() || seen.contains(name)) continue;
        seen.append(name);
        const QString unit = value.value("unit"_L1).toString();
        m_values->addItem(unit.isEmpty() ? name : tr("%1 (%2)").arg(name, unit),
                          QStringList{value.value("channel"_L1).toString(), name});
    }
    m_values->setEnabled(m_values->count() > 0);
    if (m_values->count() == 0) {
        resetChart();
        m_note->setText(tr("No numeric values yet: nothing to chart."));
        return;
    }
    for (int i = 0; i < m_values->count(); ++i)
        if (m_values->itemData(i).toStringList().value(1) == m_chosen) m_values->setCurrentIndex(i);
    loadChart();
}

void ThingHistory::resetChart()
{
    // A new chart per value: LiveChart keeps a line (and its legend entry) for every name it ever showed.
    auto *fresh = new LiveChart(this);
    fresh->setMinimumHeight(m_chart->minimumHeight());
    delete m_chartLayout->replaceWidget(m_chart, fresh);
    delete m_chart;
    m_chart = fresh;
}

void ThingHistory::loadChart()
{
    resetChart();
    const QStringList choice = m_values->currentData().toStringList();
    if (choice.size() != 2 || m_thing.isEmpty() || !m_session->client()) return;
    client::MessageQuery query;
    query.publisher = m_thing;
    query.name = choice.at(1);
    query.limit = MaxPoints;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    query.from = double(now - StatusStrip::WindowMs) / 1000.0;
    m_note->setText(tr("Loading…"));
    const quint64 generation = ++m_chartGeneration; // an answer for the value chosen before is dropped
    client::RestClient *client = m_session->client();
    client->readMessages(choice.at(0), query, {client::Credential::Kind::UserToken, client->token()})
        .then(this, [this, generation, now](const Result<QJsonObject> &page) {
            if (generation != m_chartGeneration) return;
            if (!page) {
                m_note->setText(tr("Could not load the messages: %1").arg(page.error().message));
                return;
            }
            const QList<client::LiveRecord> records = client::recordsFromReaderPage(*page);
            m_chart->append(records);
            double oldest = 0;
            for (const client::LiveRecord &r : records)
                if (oldest == 0 || r.time < oldest) oldest = r.time;
            // From the first point to now, so a device that went silent shows as silence.
            if (oldest > 0) m_chart->showTimeRange(qint64(oldest * 1000) - 1000, now);
            const qint64 total = page->value("total"_L1).toInteger();
            m_note->setText(records.isEmpty() ? tr("No messages in the last 24 hours")
                            : total > records.size()
                                ? tr("The newest %1 of %2 messages").arg(records.size()).arg(total)
                                : tr("%n message(s) in the last 24 hours", nullptr, int(records.size())));
        });
}

} // namespace mf::ui
