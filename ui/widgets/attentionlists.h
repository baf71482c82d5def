#pragma once

#include <QGroupBox>

class QListWidget;
class QListWidgetItem;
class QTimer;

namespace mf::ui {

class Session;

// Overview: "Went offline most recently" — the five things that went offline last (GET /things?status=offline
// &order=last_seen&dir=desc), each with how long ago it was last heard from. Never-heard-from things did not go
// offline and are left out. Activating a row emits thingActivated().
class RecentlyOfflineBox final : public QGroupBox
{
    Q_OBJECT

public:
    static constexpr int Shown = 5;

    explicit RecentlyOfflineBox(Session *session, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(RecentlyOfflineBox)

    QListWidget *view() const { return m_view; }
    // Asks the server again (the Overview calls it on a status event, a refresh or the stream reopening).
    void reload();

Q_SIGNALS:
    void thingActivated(const QString &id, const QString &name);

private:
    void refreshAges();

    Session *m_session;
    QListWidget *m_view;
    quint64 m_generation = 0;
};

// Overview: "Active alerts" — firing alerts nobody acknowledged yet, newest first (GET /alerts?state=firing).
// Activating a row emits alertActivated().
class ActiveAlertsBox final : public QGroupBox
{
    Q_OBJECT

public:
    static constexpr int Shown = 5;

    explicit ActiveAlertsBox(Session *session, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ActiveAlertsBox)

    QListWidget *view() const { return m_view; }
    void reload();

Q_SIGNALS:
    void alertActivated(const QString &id);

private:
    Session *m_session;
    QListWidget *m_view;
    quint64 m_generation = 0;
};

} // namespace mf::ui
