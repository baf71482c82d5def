#pragma once

#include "client/pending.h"
#include "dashboardpage.h"
#include "entitydialog.h"

class QAction;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSplitter;
class QStackedWidget;
class QTableView;
class QToolBar;

namespace mf::ui {

class Banner;
class BusyIndicator;
class CopyField;
class EmptyState;
class PagedTableModel;

// The shape the Things and Channels pages share, written once (UI.md's window): a toolbar (New, Edit…, Delete, the
// page's own actions, Refresh, a busy indicator, the name filter), a banner for errors, the lazily loaded table with
// a teaching empty state, and a details pane under a splitter whose title and ID rows are filled here; the create and
// edit dialogs (EntityDialog) and the delete flow with a confirmation naming what goes.
//
// What differs stays in the page: its columns and their widths, its own actions, what its details pane shows and
// loads (detailsShown(), detailsCleared()), how a saved entity updates its model (saved()), and its sentences, which
// are translated in the page's own context (Texts and the counted-text virtuals).
class EntityPage : public DashboardPage
{
    Q_OBJECT

public:
    Q_DISABLE_COPY_MOVE(EntityPage)

    void refresh() override;
    void newItem() override;
    void deleteSelected() override;
    void focusFilter() override;
    void sessionReady() override;

    QTableView *view() const { return m_view; }
    QSplitter *splitter() const { return m_splitter; }
    Banner *banner() const { return m_banner; }

protected:
    void showEvent(QShowEvent *event) override; // made elsewhere meanwhile: read again, the selection kept

    // The page's fixed sentences (one entity's words: "thing", "channel").
    struct Texts
    {
        QString newItem;     // "New thing": the toolbar's and the empty state's button
        QString newItemTip;  // "Create a thing (Ctrl+N)"
        QString deleteTip;   // "Delete the selected things (Delete)"
        QString deleteTitle; // "Delete things": the confirmation's title
        QString selectHint;  // "Select a thing to see its details"
        QString unnamed;     // "(unnamed thing)"
        QString loadFailed;  // "Could not load things: %1" (%1: the server's message)
    };

    // `name` is the plural used in object names ("things": thingsPage, thingsView, thingsSplitter); the page takes
    // `model` over. The page builds its own parts between this constructor and finishToolbar(), sets the table's sort
    // indicator and column widths, then calls updateDetails() and updateEmptyState() (virtual: not callable here).
    EntityPage(Session *session, const QString &name, EntityDialog::Kind kind, PagedTableModel *model,
               const Texts &texts, QWidget *parent = nullptr);

    // New, Edit… and Delete are on the toolbar; the page adds its own actions, then calls this for Refresh, the
    // busy indicator and the filter (widgets after it, like the things' status filter, go at the right end).
    void finishToolbar();
    QToolBar *toolbar() const { return m_toolbar; }
    QFormLayout *detailsForm() const { return m_form; } // title and ID rows; the page adds its own
    QWidget *details() const { return m_details; }
    EmptyState *emptyState() const { return m_empty; }
    BusyIndicator *busy() const { return m_busy; }
    QLineEdit *filterEdit() const { return m_filter; }
    QList<int> selectedRows() const; // in table order
    QStringList selectedIds() const;

    // Enables the actions for the selection and fills the details pane (title, ID, then detailsShown()) when exactly
    // one row is selected and current; clears it (detailsCleared()) otherwise.
    virtual void updateDetails();
    // The table or the empty state (emptyTexts()), after every change of the model.
    virtual void updateEmptyState();
    void editSelected();

    // What the page adds to the selection's details: the row's own fields and what is loaded for it.
    virtual void detailsShown(int row) = 0;
    virtual void detailsCleared() = 0;
    // Enables the page's actions beyond Edit… and Delete for the `rows` selected.
    virtual void updateActions(const QList<int> &rows) { Q_UNUSED(rows) }
    // The empty state's title and hint: no entity at all, or none matching the filter.
    virtual std::pair<QString, QString> emptyTexts(const QString &filter) const = 0;
    // "%n things selected", the confirmation's question naming `names`, the outcome of a delete.
    virtual QString selectedCountText(int count) const = 0;
    virtual QString deleteQuestion(int count, const QString &names) const = 0;
    virtual QString deletedText(int count) const = 0;
    virtual QString deleteFailedText(int count, const QString &firstError) const = 0;
    virtual client::Pending<void> removeEntity(const QString &id) = 0;
    // The dialogs: fill the edit dialog from `row`; report a created entity; put a saved one into the model.
    virtual void prepareEdit(EntityDialog *dialog, int row) = 0;
    virtual void created(const EntityDialog *dialog) = 0;
    virtual void saved(const EntityDialog *dialog) = 0;

private:
    EntityDialog *openDialog();

    PagedTableModel *m_model;
    EntityDialog::Kind m_kind;
    Texts m_texts;
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
    QToolBar *m_toolbar;
    QFormLayout *m_form;
    QAction *m_edit;
    QAction *m_delete;
};

} // namespace mf::ui
