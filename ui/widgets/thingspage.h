#pragma once

#include "core/entities.h"
#include "dashboardpage.h"

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QSplitter;
class QStackedWidget;
class QTableView;

namespace mf::client {
class LiveStream;
}

namespace mf::ui {

class Banner;
class BusyIndicator;
class CopyField;
class EmptyState;
class SecretField;
class ThingHistory;
class ThingsModel;

// Things: lazily loaded table (ThingsModel) with server-side filter and sort, create/edit, multi-delete with a
// confirmation naming what goes, CSV import, and a details pane (metadata, key with reveal/copy/rotate, channels).
class ThingsPage final : public DashboardPage
{
    Q_OBJECT

public:
    explicit ThingsPage(Session *session, QWidget *parent = nullptr);
    ~ThingsPage() override;
    Q_DISABLE_COPY_MOVE(ThingsPage)

    QString title() const override { return tr("Things"); }
    void refresh() override;
    void newItem() override;
    void deleteSelected() override;
    void focusFilter() override;
    void sessionReady() override;

    // Reads a CSV (header: name[,type][,metadata][,key]) and creates the things in batches of 100 with a cancellable
    // progress dialog; returns a summary.
    void importCsv(const QString &path);

    // Selects the thing (from another page): at once when it is loaded, else after filtering the table by its name
    // (and showing every status).
    void showThing(const QString &id, const QString &name);

    ThingsModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QSplitter *splitter() const { return m_splitter; }
    Banner *banner() const { return m_banner; }
    QListWidget *refusalsView() const { return m_refusals; }
    QListWidget *latestView() const { return m_latest; }
    ThingHistory *history() const { return m_history; }
    // The user's event stream (status changes as they happen); the page polls only while it is not open.
    client::LiveStream *events() const;

private:
    void updateDetails();
    void updateEmptyState();
    void editSelected();
    void rotateKey();
    QList<int> selectedRows() const;
    // The toolbar's "All / Online / Offline" choice and the half-minute refresh of "last seen" texts.
    void setUpStatusFilter();
    // The details pane's status line, the thing's last values (GET /things/{id}/latest) and its refused messages
    // (GET /things/{id}/refusals: why its messages do not arrive).
    void showStatus(const Thing &thing);
    void showRefusals(const QString &thingId);
    bool selectPendingThing();

    ThingsModel *m_model;
    QAction *m_new;
    QAction *m_edit;
    QAction *m_delete;
    QAction *m_import;
    QAction *m_refresh;
    QLineEdit *m_filter;
    QComboBox *m_statusFilter;
    BusyIndicator *m_busy;
    Banner *m_banner;
    QStackedWidget *m_stack;
    QTableView *m_view;
    EmptyState *m_empty;
    QSplitter *m_splitter;
    QWidget *m_details;
    QLabel *m_detailTitle;
    CopyField *m_id;
    SecretField *m_key;
    QPlainTextEdit *m_metadata;
    QListWidget *m_channels;
    QLabel *m_status;
    QListWidget *m_latest;
    QListWidget *m_refusals;
    QLabel *m_total;
    ThingHistory *m_history;
    QString m_pendingThing; // showThing() waits for the model to load it
};

} // namespace mf::ui
