#include "alertspage.h"

#include "client/livestream.h"
#include "client/restclient.h"
#include "common.h"
#include "models/session.h"
#include "ruledialog.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QSplitter>
#include <QStyle>
#include <QToolBar>
#include <QTreeWidget>
#include <QUrlQuery>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

namespace {

constexpr int IdRole = Qt::UserRole;

QString timeText(const QJsonValue &ms)
{
    return ms.isDouble() ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms.toInteger()), QLocale::ShortFormat)
                         : QString();
}

QString number(const QJsonValue &value)
{
    return value.isDouble() ? QLocale().toString(value.toDouble(), 'g', 15) : QString();
}

QTreeWidget *table(const QStringList &headers, QWidget *parent)
{
    auto *view = new QTreeWidget(parent);
    view->setHeaderLabels(headers);
    view->setRootIsDecorated(false);
    view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view->setAlternatingRowColors(true);
    view->header()->setStretchLastSection(true);
    return view;
}

} // namespace

AlertsPage::AlertsPage(Session *session, QWidget *parent)
    : DashboardPage(session, parent), m_show(new QComboBox(this)), m_banner(new Banner(this)),
      m_splitter(new QSplitter(Qt::Vertical, this)),
      m_rules(table({tr("Rule"), tr("Watches"), tr("Condition"), tr("State")}, this)),
      m_alerts(table({tr("Fired"), tr("Rule"), tr("Value"), tr("State"), tr("Acknowledged")}, this))
{
    setObjectName(u"alertsPage"_s);
    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(tr("New rule…"), this, &AlertsPage::newItem)->setToolTip(tr("Watch a value (Ctrl+N)"));
    m_delete = toolbar->addAction(tr("Delete rule"), this, &AlertsPage::deleteSelected);
    m_ack = toolbar->addAction(tr("Acknowledge"), this, &AlertsPage::acknowledgeSelected);
    m_ack->setToolTip(tr("Mark the selected alerts as seen"));
    toolbar->addAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("Refresh"), this, &AlertsPage::refresh)
        ->setToolTip(tr("Reload (F5)"));
    m_show->addItem(tr("All alerts"), QString());
    m_show->addItem(tr("Firing"), u"firing"_s);
    m_show->addItem(tr("Cleared"), u"cleared"_s);
    toolbar->addWidget(m_show);
    connect(m_show, &QComboBox::currentIndexChanged, this, &AlertsPage::loadAlerts);
    m_delete->setEnabled(false);
    m_ack->setEnabled(false);
    connect(m_rules, &QTreeWidget::itemSelectionChanged, this,
            [this] { m_delete->setEnabled(!m_rules->selectedItems().isEmpty()); });
    connect(m_alerts, &QTreeWidget::itemSelectionChanged, this,
            [this] { m_ack->setEnabled(!m_alerts->selectedItems().isEmpty()); });
    m_rules->setObjectName(u"rules"_s);
    m_alerts->setObjectName(u"alerts"_s);

    auto *rulesBox = new QWidget(m_splitter);
    auto *rulesLayout = new QVBoxLayout(rulesBox);
    rulesLayout->setContentsMargins(0, 0, 0, 0);
    rulesLayout->addWidget(new QLabel(tr("<b>Rules</b>"), rulesBox));
    rulesLayout->addWidget(m_rules);
    auto *alertsBox = new QWidget(m_splitter);
    auto *alertsLayout = new QVBoxLayout(alertsBox);
    alertsLayout->setContentsMargins(0, 0, 0, 0);
    alertsLayout->addWidget(new QLabel(tr("<b>Alerts</b>, newest first"), alertsBox));
    alertsLayout->addWidget(m_alerts);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(toolbar);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter);
    connect(session->events(), &client::LiveStream::frameReceived, this, &AlertsPage::onEvent);
}

void AlertsPage::refresh()
{
    m_banner->hide();
    loadRules();
    loadAlerts();
}

QString AlertsPage::describe(const QJsonObject &rule) const
{
    const QString condition = rule.value("condition"_L1).toString();
    QString text;
    if (condition == "above"_L1) text = tr("above %1").arg(number(rule.value("threshold"_L1)));
    else if (condition == "below"_L1) text = tr("below %1").arg(number(rule.value("threshold"_L1)));
    else if (condition == "outside"_L1)
        text = tr("outside %1 … %2").arg(number(rule.value("low"_L1)), number(rule.value("high"_L1)));
    else if (condition == "nodata"_L1) text = tr("no data for %1 s").arg(rule.value("nodata_seconds"_L1).toInteger());
    if (const qint64 hold = rule.value("hold_seconds"_L1).toInteger(); hold > 0) text += tr(", for %1 s").arg(hold);
    return text;
}

void AlertsPage::loadRules()
{
    client::RestClient *client = session()->client();
    if (!client) return;
    client->rules(QUrlQuery(u"limit=100"_s)).then(this, [this](const Result<QJsonObject> &page) {
        if (!page) return m_banner->showError(tr("Rules could not be read: %1").arg(page.error().message));
        m_rules->clear();
        for (const QJsonValue &v : page->value("rules"_L1).toArray()) {
            const QJsonObject rule = v.toObject();
            const bool firing = rule.value("firing"_L1).toBool();
            QString name = rule.value("name"_L1).toString();
            if (name.isEmpty()) name = rule.value("senml_name"_L1).toString();
            auto *item = new QTreeWidgetItem(
                m_rules, {name, rule.value("senml_name"_L1).toString(), describe(rule), firing ? tr("Firing") : tr("OK")});
            item->setData(0, IdRole, rule.value("id"_L1).toString());
            if (firing) item->setForeground(3, QColor(0xc6, 0x28, 0x28));
        }
        for (int column = 0; column < 3; ++column)
            m_rules->resizeColumnToContents(column);
    });
}

void AlertsPage::loadAlerts()
{
    client::RestClient *client = session()->client();
    if (!client) return;
    QUrlQuery query(u"limit=100"_s);
    if (const QString state = m_show->currentData().toString(); !state.isEmpty())
        query.addQueryItem(u"state"_s, state);
    client->alerts(query).then(this, [this](const Result<QJsonObject> &page) {
        if (!page) return m_banner->showError(tr("Alerts could not be read: %1").arg(page.error().message));
        // A reload (an event, F5) keeps what was selected; showAlert() adds its alert.
        QStringList selected;
        for (QTreeWidgetItem *item : m_alerts->selectedItems())
            selected.append(item->data(0, IdRole).toString());
        QString current = m_alerts->currentItem() ? m_alerts->currentItem()->data(0, IdRole).toString() : QString();
        if (!m_pendingAlert.isEmpty()) {
            selected = {m_pendingAlert};
            current = m_pendingAlert;
        }
        m_alerts->clear();
        for (const QJsonValue &v : page->value("alerts"_L1).toArray()) {
            const QJsonObject alert = v.toObject();
            const bool firing = alert.value("state"_L1).toString() == "firing"_L1;
            const QString value = alert.contains("value"_L1) ? number(alert.value("value"_L1)) : tr("no data");
            QString rule = alert.value("rule_name"_L1).toString();
            if (rule.isEmpty()) rule = alert.value("senml_name"_L1).toString();
            const QString state =
                firing ? tr("Firing") : tr("Cleared %1 at %2").arg(timeText(alert.value("cleared_at"_L1)),
                                                                   number(alert.value("clear_value"_L1)));
            auto *item = new QTreeWidgetItem(m_alerts, {timeText(alert.value("fired_at"_L1)), rule, value, state,
                                                        alert.value("acked"_L1).toBool() ? tr("yes") : QString()});
            item->setData(0, IdRole, QString::number(alert.value("id"_L1).toInteger()));
            if (firing) item->setForeground(3, QColor(0xc6, 0x28, 0x28));
        }
        for (int column = 0; column < 4; ++column)
            m_alerts->resizeColumnToContents(column);
        for (int row = 0; row < m_alerts->topLevelItemCount(); ++row) {
            QTreeWidgetItem *item = m_alerts->topLevelItem(row);
            const QString id = item->data(0, IdRole).toString();
            if (id == current) {
                m_alerts->setCurrentItem(item);
                m_alerts->scrollToItem(item);
            }
            item->setSelected(selected.contains(id));
            if (id == m_pendingAlert) m_pendingAlert.clear();
        }
    });
    // The count is of every firing, unacknowledged alert, whatever the list shows.
    client->alerts(QUrlQuery(u"state=firing&limit=100"_s)).then(this, [this](const Result<QJsonObject> &page) {
        if (!page) return;
        int active = 0;
        for (const QJsonValue &v : page->value("alerts"_L1).toArray())
            if (!v.toObject().value("acked"_L1).toBool()) ++active;
        if (active == m_active) return;
        m_active = active;
        Q_EMIT activeCountChanged(active);
    });
}

void AlertsPage::onEvent(const QJsonObject &event)
{
    if (event.value("type"_L1).toString() != "alerts"_L1) return;
    const QJsonObject alert = event.value("alert"_L1).toObject();
    if (alert.value("state"_L1).toString() == "firing"_L1) {
        QString rule = alert.value("rule_name"_L1).toString();
        if (rule.isEmpty()) rule = alert.value("senml_name"_L1).toString();
        const QString value = alert.contains("value"_L1) ? number(alert.value("value"_L1)) : tr("no data");
        Q_EMIT alertFired(tr("Alert: %1").arg(rule), tr("%1 is %2").arg(alert.value("senml_name"_L1).toString(), value));
    }
    loadRules();
    loadAlerts();
}

void AlertsPage::showAlert(const QString &id)
{
    m_pendingAlert = id;
    m_show->setCurrentIndex(m_show->findData(u"firing"_s)); // loads when it changes
    refresh();
}

void AlertsPage::newItem()
{
    if (!session()->client()) return;
    RuleDialog dialog(session()->client(), this);
    if (dialog.exec() == QDialog::Accepted) loadRules();
}

void AlertsPage::deleteSelected()
{
    const QList<QTreeWidgetItem *> selected = m_rules->selectedItems();
    if (selected.isEmpty() || !session()->client()) return;
    if (QMessageBox::question(this, tr("Delete rules"),
                              tr("Delete %n rule(s) and their alerts?", nullptr, int(selected.size()))) !=
        QMessageBox::Yes)
        return;
    for (QTreeWidgetItem *item : selected)
        session()->client()->removeRule(item->data(0, IdRole).toString()).then(this, [this](const Result<void> &r) {
            if (!r) m_banner->showError(tr("A rule could not be deleted: %1").arg(r.error().message));
            refresh();
        });
}

void AlertsPage::acknowledgeSelected()
{
    const QList<QTreeWidgetItem *> selected = m_alerts->selectedItems();
    if (selected.isEmpty() || !session()->client()) return;
    for (QTreeWidgetItem *item : selected)
        session()->client()->ackAlert(item->data(0, IdRole).toString()).then(this, [this](const Result<QJsonObject> &r) {
            if (!r) m_banner->showError(tr("An alert could not be acknowledged: %1").arg(r.error().message));
            loadAlerts();
        });
}

} // namespace mf::ui
