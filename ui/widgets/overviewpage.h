#pragma once

#include "dashboardpage.h"

class QLabel;
class QLineSeries;
class QTimer;
class QFormLayout;
class QGroupBox;

namespace mf::ui {

class ActiveAlertsBox;
class CopyField;
class RecentlyOfflineBox;

// Overview: how many things and channels, what needs attention (the things that went offline most recently, the
// active alerts — both kept current from the user's event stream), whether the services answer (/health), and the
// endpoints devices use, each with a copy button.
class OverviewPage final : public DashboardPage
{
    Q_OBJECT

public:
    explicit OverviewPage(Session *session, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(OverviewPage)

    QString title() const override { return tr("Overview"); }
    void refresh() override;
    QString thingsCount() const;
    QString onlineCount() const; // things online now (services/status)
    QString connectionsCount() const;
    // "name ✔" / "name ✘" for every service /health reports (tests).
    QString servicesText() const;
    // Messages accepted per second over the last sample, or -1 before two samples.
    double messagesPerSecond() const { return m_rate; }
    // Samples /health now (every 2 s while the page is shown).
    void sample();
    // "label: value" of every endpoint row (tests).
    QStringList endpoints() const;
    RecentlyOfflineBox *recentlyOffline() const { return m_offline; }
    ActiveAlertsBox *activeAlerts() const { return m_alerts; }

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void addEndpoint(const QString &label, const QString &value);

    void showHealth(const QJsonObject &health, bool fresh);
    // Counts, services and endpoints (every health check); refresh() reloads the attention lists too.
    void refreshCounts();
    void onEvent(const QJsonObject &event);

    QLabel *m_things;
    QLabel *m_online;
    QLabel *m_channels;
    QLabel *m_connections;
    QLabel *m_rateLabel;
    QLineSeries *m_rateSeries;
    QTimer *m_sampleTimer;
    double m_lastAccepted = -1;
    qint64 m_lastSampleMs = 0;
    double m_rate = -1;
    int m_samples = 0;
    QLabel *m_health;
    QLabel *m_services;
    QGroupBox *m_endpointsBox;
    QFormLayout *m_endpoints;
    RecentlyOfflineBox *m_offline;
    ActiveAlertsBox *m_alerts;
    QTimer *m_statusDelay; // one reload for a burst of status events
};

} // namespace mf::ui
