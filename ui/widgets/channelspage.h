#pragma once

#include "dashboardpage.h"

class QAction;
class QLabel;
class QLineEdit;
class QListWidget;
class QSplitter;
class QStackedWidget;
class QTableView;

namespace mf::ui {

class Banner;
class BusyIndicator;
class ChannelsModel;
class CopyField;
class EmptyState;

// Channels: lazily loaded table, create/edit/delete, connect and disconnect many things at once (POST /connect,
// /disconnect), and the connected things of the selected channel in the details pane. Ctrl+L opens its live view.
class ChannelsPage final : public DashboardPage
{
    Q_OBJECT

public:
    explicit ChannelsPage(Session *session, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ChannelsPage)

    QString title() const override { return tr("Channels"); }
    void refresh() override;
    void newItem() override;
    void deleteSelected() override;
    void focusFilter() override;
    void sessionReady() override;
    QString selectedChannelId() const override;

    ChannelsModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QSplitter *splitter() const { return m_splitter; }

private:
    void updateDetails();
    void updateEmptyState();
    void editSelected();
    void connectThings();
    void disconnectThings();
    QStringList selectedIds() const;

    ChannelsModel *m_model;
    QAction *m_edit;
    QAction *m_delete;
    QAction *m_connect;
    QAction *m_live;
    QLineEdit *m_filter;
    BusyIndicator *m_busy;
    Banner *m_banner;
    QStackedWidget *m_stack;
    QTableView *m_view;
    EmptyState *m_empty;
    QSplitter *m_splitter;
    QWidget *m_details;
    QLabel *m_detailTitle;
    CopyField *m_id;
    QListWidget *m_things;
    QAction *m_disconnect;
};

} // namespace mf::ui
