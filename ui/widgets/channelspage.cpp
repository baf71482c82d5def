#include "channelspage.h"

#include "client/restclient.h"
#include "common.h"
#include "connectdialog.h"
#include "entitydialog.h"
#include "models/channelsmodel.h"
#include "models/session.h"

#include <QAction>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

ChannelsPage::ChannelsPage(Session *session, QWidget *parent)
    : DashboardPage(session, parent), m_model(new ChannelsModel(this)), m_filter(new QLineEdit(this)),
      m_busy(new BusyIndicator(this)), m_banner(new Banner(this)), m_stack(new QStackedWidget(this)),
      m_view(new QTableView(this)), m_empty(new EmptyState(this)), m_splitter(new QSplitter(Qt::Vertical, this)),
      m_details(new QWidget(this)), m_detailTitle(new QLabel(this)), m_id(new CopyField(this)),
      m_things(new QListWidget(this))
{
    setObjectName(u"channelsPage"_s);
    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    QAction *create =
        toolbar->addAction(style()->standardIcon(QStyle::SP_FileIcon), tr("New channel"), this, &ChannelsPage::newItem);
    create->setToolTip(tr("Create a channel (Ctrl+N)"));
    m_edit = toolbar->addAction(tr("Edit…"), this, &ChannelsPage::editSelected);
    m_delete = toolbar->addAction(style()->standardIcon(QStyle::SP_TrashIcon), tr("Delete"), this,
                                  &ChannelsPage::deleteSelected);
    m_delete->setToolTip(tr("Delete the selected channels (Delete)"));
    m_connect = toolbar->addAction(tr("Connect…"), this, &ChannelsPage::connectThings);
    m_connect->setToolTip(tr("Connect things to the selected channels"));
    m_live = toolbar->addAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("Live"), this, [this] {
        if (!selectedChannelId().isEmpty()) Q_EMIT openLive(selectedChannelId());
    });
    m_live->setToolTip(tr("Watch the messages of the selected channel (Ctrl+L)"));
    toolbar->addAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("Refresh"), this, &ChannelsPage::refresh)
        ->setToolTip(tr("Reload from the server (F5)"));
    auto *spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    toolbar->addWidget(m_busy);
    m_filter->setPlaceholderText(tr("Filter by name… (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaximumWidth(260);
    toolbar->addWidget(m_filter);

    m_view->setObjectName(u"channelsView"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSortingEnabled(true);
    m_view->horizontalHeader()->setSortIndicator(ChannelsModel::CreatedColumn, Qt::AscendingOrder);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->resizeSection(ChannelsModel::NameColumn, 200);
    m_view->horizontalHeader()->resizeSection(ChannelsModel::IdColumn, 260);
    m_view->verticalHeader()->hide();
    m_view->setAlternatingRowColors(true);

    m_empty->setText(tr("No channels yet"), tr("Channels carry messages between things. Create one, then connect "
                                               "the things that may publish to it."));
    connect(m_empty->addButton(tr("New channel")), &QPushButton::clicked, this, &ChannelsPage::newItem);
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_empty);

    QFont bold = m_detailTitle->font();
    bold.setBold(true);
    m_detailTitle->setFont(bold);
    m_things->setSelectionMode(QAbstractItemView::ExtendedSelection);
    auto *thingsBar = new QToolBar(m_details);
    thingsBar->addAction(tr("Connect things…"), this, &ChannelsPage::connectThings);
    m_disconnect = thingsBar->addAction(tr("Disconnect selected"), this, &ChannelsPage::disconnectThings);
    connect(m_id, &CopyField::copied, this, [this] { Q_EMIT statusMessage(tr("ID copied to the clipboard")); });
    connect(m_things, &QListWidget::itemSelectionChanged, this,
            [this] { m_disconnect->setEnabled(!m_things->selectedItems().isEmpty()); });
    auto *form = new QFormLayout;
    form->addRow(m_detailTitle);
    form->addRow(tr("ID:"), m_id);
    form->addRow(tr("Connected things:"), m_things);
    form->addRow(QString(), thingsBar);
    auto *detailLayout = new QVBoxLayout(m_details);
    detailLayout->addLayout(form);

    m_splitter->addWidget(m_stack);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setObjectName(u"channelsSplitter"_s);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);

    auto *filterDelay = new QTimer(this);
    filterDelay->setSingleShot(true);
    filterDelay->setInterval(300);
    connect(m_filter, &QLineEdit::textChanged, filterDelay, qOverload<>(&QTimer::start));
    connect(filterDelay, &QTimer::timeout, this, [this] { m_model->setFilter(m_filter->text().trimmed()); });
    connect(m_model, &PagedTableModel::loadingChanged, m_busy, &BusyIndicator::setBusy);
    connect(m_model, &PagedTableModel::errorOccurred, this,
            [this](const QString &message) { m_banner->showError(tr("Could not load channels: %1").arg(message)); });
    connect(m_model, &QAbstractItemModel::modelReset, this, &ChannelsPage::updateEmptyState);
    connect(m_model, &PagedTableModel::loadingChanged, this, &ChannelsPage::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ChannelsPage::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ChannelsPage::updateEmptyState);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ChannelsPage::updateDetails);
    connect(m_view, &QTableView::doubleClicked, this, &ChannelsPage::editSelected);
    setTabOrder(m_filter, m_view);
    updateDetails();
}

void ChannelsPage::sessionReady()
{
    m_model->setClient(session()->client());
}

void ChannelsPage::refresh()
{
    m_banner->hide();
    if (m_model->client() != session()->client())
        m_model->setClient(session()->client());
    else
        m_model->reload();
}

void ChannelsPage::focusFilter()
{
    m_filter->setFocus();
    m_filter->selectAll();
}

QStringList ChannelsPage::selectedIds() const
{
    QStringList ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        ids.append(m_model->channelAt(index.row()).id);
    return ids;
}

QString ChannelsPage::selectedChannelId() const
{
    const QStringList ids = selectedIds();
    return ids.size() == 1 ? ids.first() : QString();
}

void ChannelsPage::updateEmptyState()
{
    const bool empty = m_model->hasLoaded() && m_model->rowCount() == 0;
    if (empty && !m_model->filter().isEmpty())
        m_empty->setText(tr("No channel matches “%1”").arg(m_model->filter()),
                         tr("The filter matches parts of names, ignoring case."));
    else if (empty)
        m_empty->setText(tr("No channels yet"), tr("Channels carry messages between things. Create one, then "
                                                   "connect the things that may publish to it."));
    m_stack->setCurrentWidget(empty ? static_cast<QWidget *>(m_empty) : m_view);
}

void ChannelsPage::updateDetails()
{
    const QStringList ids = selectedIds();
    m_edit->setEnabled(ids.size() == 1);
    m_delete->setEnabled(!ids.isEmpty());
    m_connect->setEnabled(!ids.isEmpty());
    m_live->setEnabled(ids.size() == 1);
    m_things->clear();
    m_disconnect->setEnabled(false);
    if (ids.size() != 1) {
        m_details->setEnabled(false);
        m_detailTitle->setText(ids.size() > 1 ? tr("%n channels selected", nullptr, int(ids.size()))
                                              : tr("Select a channel to see its connected things"));
        m_id->setText({});
        return;
    }
    const Channel channel = m_model->channelAt(m_model->rowOf(ids.first()));
    m_details->setEnabled(true);
    m_detailTitle->setText(channel.name.isEmpty() ? tr("(unnamed channel)") : channel.name);
    m_id->setText(channel.id);
    m_things->addItem(tr("Loading…"));
    PageQuery query;
    query.limit = MaxPageLimit;
    const QString id = channel.id;
    session()->client()->thingsOfChannel(id, query).then(this, [this, id](const Result<Page<Thing>> &page) {
        if (selectedChannelId() != id) return;
        m_things->clear();
        if (!page) {
            m_things->addItem(tr("Could not load things: %1").arg(page.error().message));
            return;
        }
        if (page->items.isEmpty()) {
            auto *item = new QListWidgetItem(tr("No things connected — use “Connect things…”"), m_things);
            item->setFlags(Qt::NoItemFlags);
        }
        for (const Thing &thing : page->items) {
            auto *item = new QListWidgetItem(thing.name.isEmpty() ? thing.id : thing.name, m_things);
            item->setData(Qt::UserRole, thing.id);
        }
        if (page->total > page->items.size()) {
            auto *item = new QListWidgetItem(tr("… and %1 more").arg(page->total - page->items.size()), m_things);
            item->setFlags(Qt::NoItemFlags);
        }
    });
}

void ChannelsPage::newItem()
{
    if (!session()->client()) return;
    auto *dialog = new EntityDialog(EntityDialog::Kind::Channel, session()->client(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        Q_EMIT statusMessage(tr("Channel %1 created").arg(dialog->channel().name));
        m_model->reload();
    });
    dialog->open();
}

void ChannelsPage::editSelected()
{
    const QString id = selectedChannelId();
    if (id.isEmpty()) return;
    auto *dialog = new EntityDialog(EntityDialog::Kind::Channel, session()->client(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->editChannel(m_model->channelAt(m_model->rowOf(id)));
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_model->replaceChannel(dialog->channel());
        updateDetails();
    });
    dialog->open();
}

void ChannelsPage::deleteSelected()
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty()) return;
    QStringList names;
    for (const QString &id : ids) {
        const Channel channel = m_model->channelAt(m_model->rowOf(id));
        names.append(channel.name.isEmpty() ? channel.id : channel.name);
    }
    QString list = names.mid(0, 10).join(u", "_s);
    if (names.size() > 10) list += tr(" and %n more", nullptr, int(names.size() - 10));
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Delete channels"),
                                tr("Delete %n channel(s)? %1 will be removed with their connections; stored "
                                   "messages stay readable only until the data is cleaned up. This cannot be undone.",
                                   nullptr, int(ids.size()))
                                    .arg(list),
                                QMessageBox::Cancel, this);
    box->setObjectName(u"confirmDelete"_s);
    QPushButton *yes = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, yes, ids] {
        if (box->clickedButton() != yes) return;
        auto remaining = std::make_shared<int>(int(ids.size()));
        auto removed = std::make_shared<QStringList>();
        auto failures = std::make_shared<QStringList>();
        for (const QString &id : ids) {
            session()->client()->removeChannel(id).then(this, [=, this](const Result<void> &r) {
                if (r)
                    removed->append(id);
                else
                    failures->append(r.error().message);
                if (--*remaining > 0) return;
                m_model->removeIds(*removed);
                if (!failures->isEmpty()) m_banner->showError(failures->first());
                Q_EMIT statusMessage(tr("%n channel(s) deleted", nullptr, int(removed->size())));
            });
        }
    });
    box->open();
}

void ChannelsPage::connectThings()
{
    const QStringList channelIds = selectedIds();
    if (channelIds.isEmpty()) return;
    QStringList names;
    for (const QString &id : channelIds)
        names.append(m_model->channelAt(m_model->rowOf(id)).name);
    ConnectDialog dialog(session()->client(), names, this);
    if (dialog.exec() != QDialog::Accepted) return;
    const QStringList thingIds = dialog.selectedThingIds();
    m_busy->setBusy(true);
    session()->client()->connectMany(channelIds, thingIds).then(this, [this, thingIds](const Result<void> &r) {
        m_busy->setBusy(false);
        if (!r) {
            m_banner->showError(tr("Could not connect: %1").arg(r.error().message));
            return;
        }
        Q_EMIT statusMessage(tr("%n thing(s) connected", nullptr, int(thingIds.size())));
        updateDetails();
    });
}

void ChannelsPage::disconnectThings()
{
    const QString channelId = selectedChannelId();
    QStringList thingIds;
    for (QListWidgetItem *item : m_things->selectedItems())
        if (!item->data(Qt::UserRole).toString().isEmpty()) thingIds.append(item->data(Qt::UserRole).toString());
    if (channelId.isEmpty() || thingIds.isEmpty()) return;
    session()->client()->disconnectMany({channelId}, thingIds).then(this, [this, thingIds](const Result<void> &r) {
        if (!r) {
            m_banner->showError(tr("Could not disconnect: %1").arg(r.error().message));
            return;
        }
        Q_EMIT statusMessage(tr("%n thing(s) disconnected", nullptr, int(thingIds.size())));
        updateDetails();
    });
}

} // namespace mf::ui
