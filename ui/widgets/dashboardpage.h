#pragma once

#include <QWidget>

namespace mf::ui {

class Session;

// One page of the main window. The window's shortcuts (Ctrl+N, Delete, F5, Ctrl+F) reach the current page through
// these virtuals; navigation goes up through signals (openLive, openThing, openAlert), never by reaching into the window.
class DashboardPage : public QWidget
{
    Q_OBJECT

public:
    explicit DashboardPage(Session *session, QWidget *parent = nullptr) : QWidget(parent), m_session(session) {}
    Q_DISABLE_COPY_MOVE(DashboardPage)

    virtual QString title() const = 0;
    virtual void refresh() {}
    virtual void newItem() {}
    virtual void deleteSelected() {}
    virtual void focusFilter() {}
    // The session signed in (again) or switched profile: reload what the page shows.
    virtual void sessionReady() { refresh(); }
    // The selected channel, for Ctrl+L (empty when the page has none).
    virtual QString selectedChannelId() const { return {}; }

Q_SIGNALS:
    void statusMessage(const QString &text);
    void openLive(const QString &channelId);
    // Show this thing on the Things page (the Overview's "Went offline most recently").
    void openThing(const QString &thingId, const QString &name);
    // Show this alert on the Alerts page (the Overview's "Active alerts").
    void openAlert(const QString &alertId);

protected:
    Session *session() const { return m_session; }

private:
    Session *m_session;
};

} // namespace mf::ui
