#pragma once

#include "dashboardpage.h"

#include <QStringList>

class QAction;
class QCheckBox;
class QFormLayout;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace mf::ui {

class CopyField;

// The backend: for "This computer" start/stop/restart, ports, data dir, keep-running and the log with a level
// filter; for a remote server its URL, version and health; for both, every process of the cluster.
class BackendPage final : public DashboardPage
{
    Q_OBJECT

public:
    explicit BackendPage(Session *session, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(BackendPage)

    QString title() const override { return tr("Backend"); }
    void refresh() override;
    void sessionReady() override { refresh(); }
    QPlainTextEdit *logView() const { return m_log; }
    // Every process of the cluster (GET /cluster): one row each, "stopped answering" ones included.
    QTableWidget *processesTable() const { return m_processes; }
    // Start, Stop, Restart and "keep running": only for the backend this dashboard runs.
    bool controlsShown() const;
    void setLevelFilter(const QString &level);

Q_SIGNALS:
    void keepRunningChanged(bool keep);

private:
    void appendLog(const QStringList &lines);
    void renderLog();
    bool passes(const QString &line) const;
    void showProcesses();

    QLabel *m_state;
    QLabel *m_details;
    CopyField *m_dataDir;
    QPushButton *m_start;
    QPushButton *m_stop;
    QPushButton *m_restart;
    QCheckBox *m_keep;
    QComboBox *m_level;
    QPlainTextEdit *m_log;
    QTableWidget *m_processes;
    QWidget *m_localBox;
    QFormLayout *m_info = nullptr;
    QList<QAction *> m_localActions; // the toolbar's start/stop/restart/keep-running
    QStringList m_lines; // bounded
};

} // namespace mf::ui
