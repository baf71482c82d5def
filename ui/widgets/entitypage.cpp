#include "entitypage.h"

#include "client/restclient.h"
#include "common.h"
#include "models/pagedtablemodel.h"
#include "models/session.h"

#include <QAction>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>
#include <memory>

using namespace Qt::StringLiterals;

namespace mf::ui {

EntityPage::EntityPage(Session *session, const QString &name, EntityDialog::Kind kind, PagedTableModel *model,
                       const Texts &texts, QWidget *parent)
    : DashboardPage(session, parent), m_model(model), m_kind(kind), m_texts(texts), m_filter(new QLineEdit(this)),
      m_busy(new BusyIndicator(this)), m_banner(new Banner(this)), m_stack(new QStackedWidget(this)),
      m_view(new QTableView(this)), m_empty(new EmptyState(this)), m_splitter(new QSplitter(Qt::Vertical, this)),
      m_details(new QWidget(this)), m_detailTitle(new QLabel(this)), m_id(new CopyField(this)),
      m_toolbar(new QToolBar(this)), m_form(new QFormLayout)
{
    m_model->setParent(this);
    setObjectName(name + u"Page"_s);
    m_toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolbar->addAction(style()->standardIcon(QStyle::SP_FileIcon), texts.newItem, this, &EntityPage::newItem)
        ->setToolTip(texts.newItemTip);
    m_edit = m_toolbar->addAction(tr("Edit…"), this, &EntityPage::editSelected);
    m_delete = m_toolbar->addAction(style()->standardIcon(QStyle::SP_TrashIcon), tr("Delete"), this,
                                    &EntityPage::deleteSelected);
    m_delete->setToolTip(texts.deleteTip);

    m_view->setObjectName(name + u"View"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSortingEnabled(true);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->verticalHeader()->hide();
    m_view->setAlternatingRowColors(true);
    connect(m_empty->addButton(texts.newItem), &QPushButton::clicked, this, &EntityPage::newItem);
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_empty);

    QFont bold = m_detailTitle->font();
    bold.setBold(true);
    m_detailTitle->setFont(bold);
    connect(m_id, &CopyField::copied, this, [this] { Q_EMIT statusMessage(tr("ID copied to the clipboard")); });
    m_form->addRow(m_detailTitle);
    m_form->addRow(tr("ID:"), m_id);

    m_splitter->addWidget(m_stack);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setObjectName(name + u"Splitter"_s);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_toolbar);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);

    auto *filterDelay = new QTimer(this);
    filterDelay->setSingleShot(true);
    filterDelay->setInterval(300);
    connect(m_filter, &QLineEdit::textChanged, filterDelay, qOverload<>(&QTimer::start));
    connect(filterDelay, &QTimer::timeout, this, [this] { m_model->setFilter(m_filter->text().trimmed()); });
    connect(m_model, &PagedTableModel::loadingChanged, m_busy, &BusyIndicator::setBusy);
    connect(m_model, &PagedTableModel::errorOccurred, this,
            [this](const QString &message) { m_banner->showError(m_texts.loadFailed.arg(message)); });
    connect(m_model, &PagedTableModel::totalChanged, this, &EntityPage::updateEmptyState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &EntityPage::updateEmptyState);
    connect(m_model, &PagedTableModel::loadingChanged, this, &EntityPage::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &EntityPage::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &EntityPage::updateEmptyState);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &EntityPage::updateDetails);
    connect(m_view, &QTableView::doubleClicked, this, &EntityPage::editSelected);
    setTabOrder(m_filter, m_view);
}

void EntityPage::finishToolbar()
{
    m_toolbar->addAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("Refresh"), this, &EntityPage::refresh)
        ->setToolTip(tr("Reload from the server (F5)"));
    auto *spacer = new QWidget(m_toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_toolbar->addWidget(spacer);
    m_toolbar->addWidget(m_busy);
    m_filter->setPlaceholderText(tr("Filter by name… (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaximumWidth(260);
    m_toolbar->addWidget(m_filter);
}

void EntityPage::sessionReady()
{
    m_model->setClient(session()->client());
}

void EntityPage::refresh()
{
    m_banner->hide();
    if (m_model->client() != session()->client())
        m_model->setClient(session()->client());
    else
        m_model->reload();
}

void EntityPage::showEvent(QShowEvent *event)
{
    DashboardPage::showEvent(event);
    // Things and channels made while the page was hidden (the simulator, mainflux-cli, curl) are listed when it is
    // shown again; it said "No things yet" beside five simulated things. The selected rows stay selected.
    if (session()->state() != Session::State::SignedIn || !m_model->client() || !m_model->hasLoaded()) return;
    const QStringList selected = selectedIds();
    m_model->reload();
    if (selected.isEmpty()) return;
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(m_model, &PagedTableModel::loadingChanged, this, [this, selected, connection](bool loading) {
        if (loading) return;
        disconnect(*connection);
        for (const QString &id : selected)
            if (const int row = m_model->rowOf(id); row >= 0)
                m_view->selectionModel()->select(m_model->index(row, 0),
                                                 QItemSelectionModel::Select | QItemSelectionModel::Rows);
    });
}

void EntityPage::focusFilter()
{
    m_filter->setFocus();
    m_filter->selectAll();
}

QList<int> EntityPage::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

QStringList EntityPage::selectedIds() const
{
    QStringList ids;
    for (int row : selectedRows())
        ids.append(m_model->index(row, 0).data(PagedTableModel::IdRole).toString());
    return ids;
}

void EntityPage::updateEmptyState()
{
    const bool empty = m_model->hasLoaded() && m_model->rowCount() == 0;
    const auto [title, hint] = emptyTexts(m_model->filter());
    m_empty->setText(title, hint);
    m_stack->setCurrentWidget(empty ? static_cast<QWidget *>(m_empty) : m_view);
}

void EntityPage::updateDetails()
{
    const QList<int> rows = selectedRows();
    m_edit->setEnabled(rows.size() == 1);
    m_delete->setEnabled(!rows.isEmpty());
    updateActions(rows);
    if (rows.size() != 1 || !m_view->currentIndex().isValid()) {
        m_details->setEnabled(false);
        m_detailTitle->setText(rows.size() > 1 ? selectedCountText(int(rows.size())) : m_texts.selectHint);
        m_id->setText({});
        detailsCleared();
        return;
    }
    const QString name = m_model->index(rows.first(), 0).data().toString(); // column 0 is the name on every page
    m_details->setEnabled(true);
    m_detailTitle->setText(name.isEmpty() ? m_texts.unnamed : name);
    m_id->setText(m_model->index(rows.first(), 0).data(PagedTableModel::IdRole).toString());
    detailsShown(rows.first());
}

EntityDialog *EntityPage::openDialog()
{
    auto *dialog = new EntityDialog(m_kind, session()->client(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    return dialog;
}

void EntityPage::newItem()
{
    if (!session()->client()) return;
    EntityDialog *dialog = openDialog();
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        created(dialog);
        m_model->reload();
    });
    dialog->open();
}

void EntityPage::editSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.size() != 1) return;
    EntityDialog *dialog = openDialog();
    prepareEdit(dialog, rows.first());
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        saved(dialog);
        updateDetails();
    });
    dialog->open();
}

void EntityPage::deleteSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.isEmpty()) return;
    QStringList ids, names;
    for (int row : rows) {
        const QModelIndex index = m_model->index(row, 0);
        ids.append(index.data(PagedTableModel::IdRole).toString());
        names.append(index.data().toString().isEmpty() ? ids.last() : index.data().toString());
    }
    QString list = names.mid(0, 10).join(u", "_s);
    if (names.size() > 10) list += tr(" and %n more", nullptr, int(names.size() - 10));
    auto *box = new QMessageBox(QMessageBox::Warning, m_texts.deleteTitle, deleteQuestion(int(ids.size()), list),
                                QMessageBox::Cancel, this);
    box->setObjectName(u"confirmDelete"_s);
    QPushButton *yes = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, yes, ids] {
        if (box->clickedButton() != yes) return;
        m_busy->setBusy(true);
        // One request per entity; the rows go once every answer is in.
        auto remaining = std::make_shared<int>(int(ids.size()));
        auto failures = std::make_shared<QStringList>();
        auto removed = std::make_shared<QStringList>();
        for (const QString &id : ids) {
            removeEntity(id).then(this, [=, this](const Result<void> &r) {
                if (r)
                    removed->append(id);
                else
                    failures->append(r.error().message);
                if (--*remaining > 0) return;
                m_busy->setBusy(false);
                m_model->removeIds(*removed);
                if (!failures->isEmpty())
                    m_banner->showError(deleteFailedText(int(failures->size()), failures->first()));
                Q_EMIT statusMessage(deletedText(int(removed->size())));
                updateDetails();
            });
        }
    });
    box->open();
}

} // namespace mf::ui
