#include "channelspage.h"

#include "client/restclient.h"
#include "common.h"
#include "connectdialog.h"
#include "models/channelsmodel.h"
#include "models/session.h"

#include <QAction>
#include <QFormLayout>
#include <QHeaderView>
#include <QListWidget>
#include <QStyle>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

ChannelsPage::ChannelsPage(Session *session, QWidget *parent) : ChannelsPage(session, new ChannelsModel, parent) {}

ChannelsPage::ChannelsPage(Session *session, ChannelsModel *model, QWidget *parent)
    : EntityPage(session, u"channels"_s, EntityDialog::Kind::Channel, model, texts(), parent), m_model(model),
      m_things(new QListWidget(this))
{
    m_connect = toolbar()->addAction(tr("Connect…"), this, &ChannelsPage::connectThings);
    m_connect->setToolTip(tr("Connect things to the selected channels"));
    m_live = toolbar()->addAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("Live"), this, [this] {
        if (!selectedChannelId().isEmpty()) Q_EMIT openLive(selectedChannelId());
    });
    m_live->setToolTip(tr("Watch the messages of the selected channel (Ctrl+L)"));
    finishToolbar();

    view()->horizontalHeader()->setSortIndicator(ChannelsModel::CreatedColumn, Qt::AscendingOrder);
    view()->horizontalHeader()->resizeSection(ChannelsModel::NameColumn, 200);
    view()->horizontalHeader()->resizeSection(ChannelsModel::IdColumn, 260);

    m_things->setSelectionMode(QAbstractItemView::ExtendedSelection);
    auto *thingsBar = new QToolBar(details());
    thingsBar->addAction(tr("Connect things…"), this, &ChannelsPage::connectThings);
    m_disconnect = thingsBar->addAction(tr("Disconnect selected"), this, &ChannelsPage::disconnectThings);
    connect(m_things, &QListWidget::itemSelectionChanged, this,
            [this] { m_disconnect->setEnabled(!m_things->selectedItems().isEmpty()); });
    detailsForm()->addRow(tr("Connected things:"), m_things);
    detailsForm()->addRow(QString(), thingsBar);
    auto *detailLayout = new QVBoxLayout(details());
    detailLayout->addLayout(detailsForm());
    updateDetails();
    updateEmptyState();
}

EntityPage::Texts ChannelsPage::texts()
{
    return {.newItem = tr("New channel"),
            .newItemTip = tr("Create a channel (Ctrl+N)"),
            .deleteTip = tr("Delete the selected channels (Delete)"),
            .deleteTitle = tr("Delete channels"),
            .selectHint = tr("Select a channel to see its connected things"),
            .unnamed = tr("(unnamed channel)"),
            .loadFailed = tr("Could not load channels: %1")};
}

QString ChannelsPage::selectedChannelId() const
{
    const QStringList ids = selectedIds();
    return ids.size() == 1 ? ids.first() : QString();
}

std::pair<QString, QString> ChannelsPage::emptyTexts(const QString &filter) const
{
    if (!filter.isEmpty())
        return {tr("No channel matches “%1”").arg(filter), tr("The filter matches parts of names, ignoring case.")};
    return {tr("No channels yet"),
            tr("Channels carry messages between things. Create one, then connect the things that may publish to it.")};
}

QString ChannelsPage::selectedCountText(int count) const
{
    return tr("%n channels selected", nullptr, count);
}

QString ChannelsPage::deleteQuestion(int count, const QString &names) const
{
    return tr("Delete %n channel(s)? %1 will be removed with their connections; stored messages stay readable only "
              "until the data is cleaned up. This cannot be undone.",
              nullptr, count)
        .arg(names);
}

QString ChannelsPage::deletedText(int count) const
{
    return tr("%n channel(s) deleted", nullptr, count);
}

QString ChannelsPage::deleteFailedText(int, const QString &firstError) const
{
    return firstError;
}

client::Pending<void> ChannelsPage::removeEntity(const QString &id)
{
    return session()->client()->removeChannel(id);
}

void ChannelsPage::prepareEdit(EntityDialog *dialog, int row)
{
    dialog->editChannel(m_model->channelAt(row));
}

void ChannelsPage::created(const EntityDialog *dialog)
{
    Q_EMIT statusMessage(tr("Channel %1 created").arg(dialog->channel().name));
}

void ChannelsPage::saved(const EntityDialog *dialog)
{
    m_model->replaceChannel(dialog->channel());
}

void ChannelsPage::updateActions(const QList<int> &rows)
{
    m_connect->setEnabled(!rows.isEmpty());
    m_live->setEnabled(rows.size() == 1);
}

void ChannelsPage::detailsCleared()
{
    m_things->clear();
    m_disconnect->setEnabled(false);
}

void ChannelsPage::detailsShown(int row)
{
    detailsCleared();
    m_things->addItem(tr("Loading…"));
    PageQuery query;
    query.limit = MaxPageLimit;
    const QString id = m_model->channelAt(row).id;
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
    busy()->setBusy(true);
    session()->client()->connectMany(channelIds, thingIds).then(this, [this, thingIds](const Result<void> &r) {
        busy()->setBusy(false);
        if (!r) {
            banner()->showError(tr("Could not connect: %1").arg(r.error().message));
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
            banner()->showError(tr("Could not disconnect: %1").arg(r.error().message));
            return;
        }
        Q_EMIT statusMessage(tr("%n thing(s) disconnected", nullptr, int(thingIds.size())));
        updateDetails();
    });
}

} // namespace mf::ui
