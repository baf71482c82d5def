#include "attentionlists.h"

#include "client/restclient.h"
#include "models/session.h"
#include "models/thingsmodel.h"

#include <QDateTime>
#include <QJsonArray>
#include <QListWidget>
#include <QLocale>
#include <QTimer>
#include <QUrlQuery>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

namespace {

constexpr int IdRole = Qt::UserRole;
constexpr int SeenRole = Qt::UserRole + 1;
constexpr int NameRole = Qt::UserRole + 2;

// A list of five rows that never scrolls: the box is as tall as its rows.
QListWidget *shortList(const QString &objectName, QWidget *parent)
{
    auto *view = new QListWidget(parent);
    view->setObjectName(objectName);
    view->setUniformItemSizes(true);
    view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    view->setTextElideMode(Qt::ElideRight);
    const int row = view->fontMetrics().height() + 6;
    view->setFixedHeight(row * 5 + 2 * view->frameWidth() + 4);
    return view;
}

// A row that only says something (empty, loading, an error): not selectable, not activatable.
void addNote(QListWidget *view, const QString &text)
{
    auto *item = new QListWidgetItem(text, view);
    item->setFlags(Qt::ItemIsEnabled);
    item->setForeground(view->palette().color(QPalette::PlaceholderText));
}

} // namespace

RecentlyOfflineBox::RecentlyOfflineBox(Session *session, QWidget *parent)
    : QGroupBox(tr("Went offline most recently"), parent), m_session(session),
      m_view(shortList(u"recentlyOffline"_s, this))
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view);
    m_view->setToolTip(tr("Click a thing to see it on the Things page"));
    const auto open = [this](QListWidgetItem *item) {
        const QString id = item->data(IdRole).toString();
        if (!id.isEmpty()) Q_EMIT thingActivated(id, item->data(NameRole).toString());
    };
    connect(m_view, &QListWidget::itemClicked, this, open);
    connect(m_view, &QListWidget::itemActivated, this, open);
    auto *ages = new QTimer(this);
    ages->setInterval(30'000);
    connect(ages, &QTimer::timeout, this, &RecentlyOfflineBox::refreshAges);
    ages->start();
}

void RecentlyOfflineBox::reload()
{
    if (!m_session->client() || m_session->state() != Session::State::SignedIn) return;
    PageQuery query;
    query.limit = Shown + 5; // room for never-heard-from things, which are left out
    query.status = u"offline"_s;
    query.order = u"last_seen"_s;
    query.descending = true;
    const quint64 generation = ++m_generation;
    m_session->client()->things(query).then(this, [this, generation](const Result<Page<Thing>> &page) {
        if (generation != m_generation) return; // a newer answer is on its way
        m_view->clear();
        if (!page) {
            addNote(m_view, tr("Could not load: %1").arg(page.error().message));
            return;
        }
        for (const Thing &thing : page->items) {
            if (thing.status.lastSeen <= 0 || m_view->count() == Shown) continue;
            auto *item = new QListWidgetItem(m_view);
            item->setData(IdRole, thing.id);
            item->setData(SeenRole, thing.status.lastSeen);
            item->setData(NameRole, thing.name.isEmpty() ? thing.id : thing.name);
            item->setToolTip(tr("%1: last seen %2 over %3")
                                 .arg(thing.name, formatTimestamp(thing.status.lastSeen), thing.status.lastProtocol));
        }
        refreshAges();
        if (m_view->count() == 0) addNote(m_view, tr("No thing went offline"));
    });
}

void RecentlyOfflineBox::refreshAges()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int row = 0; row < m_view->count(); ++row) {
        QListWidgetItem *item = m_view->item(row);
        if (item->data(IdRole).toString().isEmpty()) continue;
        item->setText(tr("%1 — last seen %2")
                          .arg(item->data(NameRole).toString(), formatAgo(item->data(SeenRole).toLongLong(), now)));
    }
}

ActiveAlertsBox::ActiveAlertsBox(Session *session, QWidget *parent)
    : QGroupBox(tr("Active alerts"), parent), m_session(session), m_view(shortList(u"activeAlerts"_s, this))
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view);
    m_view->setToolTip(tr("Firing alerts nobody acknowledged yet; click one to open the Alerts page"));
    const auto open = [this](QListWidgetItem *item) {
        const QString id = item->data(IdRole).toString();
        if (!id.isEmpty()) Q_EMIT alertActivated(id);
    };
    connect(m_view, &QListWidget::itemClicked, this, open);
    connect(m_view, &QListWidget::itemActivated, this, open);
}

void ActiveAlertsBox::reload()
{
    if (!m_session->client() || m_session->state() != Session::State::SignedIn) return;
    QUrlQuery query;
    query.addQueryItem(u"state"_s, u"firing"_s);
    query.addQueryItem(u"limit"_s, u"100"_s);
    const quint64 generation = ++m_generation;
    m_session->client()->alerts(query).then(this, [this, generation](const Result<QJsonObject> &body) {
        if (generation != m_generation) return;
        m_view->clear();
        if (!body) {
            addNote(m_view, tr("Could not load: %1").arg(body.error().message));
            return;
        }
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        int active = 0;
        for (const QJsonValue &value : body->value("alerts"_L1).toArray()) {
            const QJsonObject alert = value.toObject();
            if (alert.value("acked"_L1).toBool()) continue;
            if (++active > Shown) continue;
            QString rule = alert.value("rule_name"_L1).toString();
            const QString name = alert.value("senml_name"_L1).toString();
            if (rule.isEmpty()) rule = name;
            const QString shown = alert.contains("value"_L1)
                                      ? QLocale().toString(alert.value("value"_L1).toDouble(), 'g', 15)
                                      : tr("no data");
            auto *item = new QListWidgetItem(
                tr("%1: %2 = %3 — %4").arg(rule, name, shown, formatAgo(alert.value("fired_at"_L1).toInteger(), now)),
                m_view);
            item->setData(IdRole, QString::number(alert.value("id"_L1).toInteger()));
            item->setForeground(QColor(0xc6, 0x28, 0x28)); // firing: in red, as on the Alerts page
            item->setToolTip(tr("Fired %1").arg(formatTimestamp(alert.value("fired_at"_L1).toInteger())));
        }
        if (active > Shown) {
            // The fifth row makes room for the count of the rest, so the list never scrolls.
            delete m_view->takeItem(Shown - 1);
            addNote(m_view, tr("… and %n more on the Alerts page", nullptr, active - Shown + 1));
        }
        if (active == 0) addNote(m_view, tr("No active alerts"));
    });
}

} // namespace mf::ui
