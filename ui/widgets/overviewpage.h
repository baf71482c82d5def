#pragma once

#include "dashboardpage.h"

class QLabel;
class QFormLayout;
class QGroupBox;

namespace mf::ui {

class CopyField;

// Overview: how many things and channels, whether the services answer (/health), and the endpoints devices use,
// each with a copy button.
class OverviewPage final : public DashboardPage
{
    Q_OBJECT

public:
    explicit OverviewPage(Session *session, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(OverviewPage)

    QString title() const override { return tr("Overview"); }
    void refresh() override;
    QString thingsCount() const;
    // "label: value" of every endpoint row (tests).
    QStringList endpoints() const;

private:
    void addEndpoint(const QString &label, const QString &value);

    QLabel *m_things;
    QLabel *m_channels;
    QLabel *m_health;
    QLabel *m_services;
    QGroupBox *m_endpointsBox;
    QFormLayout *m_endpoints;
};

} // namespace mf::ui
