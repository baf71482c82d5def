#pragma once

#include "dashboardpage.h"

#include <QJsonObject>

class QAction;
class QComboBox;
class QSplitter;
class QTreeWidget;

namespace mf::ui {

class Banner;

// Alerts: the user's alert rules (what each watches, its condition, firing or not) and the alerts they raised,
// newest first, with acknowledge. New rules come from RuleDialog. Follows the session's event stream: a firing or a
// clearing reloads both lists at once and, for a firing, emits alertFired() (the window shows a desktop
// notification and the count in its tray icon).
class AlertsPage final : public DashboardPage
{
    Q_OBJECT

public:
    explicit AlertsPage(Session *session, QWidget *parent = nullptr);

    QString title() const override { return tr("Alerts"); }
    void refresh() override;
    void newItem() override;
    void deleteSelected() override;

    // Firing alerts nobody acknowledged yet.
    int activeCount() const { return m_active; }
    QTreeWidget *rulesView() const { return m_rules; }
    QTreeWidget *alertsView() const { return m_alerts; }
    QAction *ackAction() const { return m_ack; }
    Banner *banner() const { return m_banner; }
    // Acknowledges the selected alerts (POST /alerts/{id}/ack).
    void acknowledgeSelected();
    // Reloads and selects the alert with this id (the Overview's "Active alerts" opens the page on it).
    void showAlert(const QString &id);

Q_SIGNALS:
    void activeCountChanged(int count);
    void alertFired(const QString &title, const QString &text);

private:
    void loadRules();
    void loadAlerts();
    void onEvent(const QJsonObject &event);
    QString describe(const QJsonObject &rule) const;

    QAction *m_ack;
    QAction *m_delete;
    QComboBox *m_show;
    Banner *m_banner;
    QSplitter *m_splitter;
    QTreeWidget *m_rules;
    QTreeWidget *m_alerts;
    int m_active = 0;
    QString m_pendingAlert; // selected once the list has it
};

} // namespace mf::ui
