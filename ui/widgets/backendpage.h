#pragma once

#include "dashboardpage.h"

#include <QStringList>

class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace mf::ui {

class CopyField;

// The backend: for "This computer" start/stop/restart, ports, data dir, keep-running and the log with a level
// filter; for a remote server its URL, version and health.
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
    void setLevelFilter(const QString &level);

Q_SIGNALS:
    void keepRunningChanged(bool keep);

private:
    void appendLog(const QStringList &lines);
    void renderLog();
    bool passes(const QString &line) const;

    QLabel *m_state;
    QLabel *m_details;
    CopyField *m_dataDir;
    QPushButton *m_start;
    QPushButton *m_stop;
    QPushButton *m_restart;
    QCheckBox *m_keep;
    QComboBox *m_level;
    QPlainTextEdit *m_log;
    QWidget *m_localBox;
    QStringList m_lines; // bounded
};

} // namespace mf::ui
