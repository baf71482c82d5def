#include "thingspage.h"

#include "client/livestream.h"
#include "client/restclient.h"
#include "common.h"
#include "core/messagejson.h"
#include "entitydialog.h"
#include "models/session.h"
#include "models/thingsmodel.h"
#include "thinghistory.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <cmath>

using namespace Qt::StringLiterals;

namespace mf::ui {

namespace {

// A stored record's value as people read it (numbers in the user's locale, shortest form).
QString shownValue(const StoredMessage &record)
{
    if (record.value) return QLocale().toString(*record.value, 'g', QLocale::FloatingPointShortest);
    if (record.boolValue) return *record.boolValue ? u"true"_s : u"false"_s;
    if (record.stringValue) return *record.stringValue;
    if (record.dataValue) return *record.dataValue;
    if (record.sum) return QLocale().toString(*record.sum, 'g', QLocale::FloatingPointShortest);
    return {};
}

} // namespace

ThingsPage::ThingsPage(Session *session, QWidget *parent) : ThingsPage(session, new ThingsModel, parent) {}

ThingsPage::ThingsPage(Session *session, ThingsModel *model, QWidget *parent)
    : EntityPage(session, u"things"_s, EntityDialog::Kind::Thing, model, texts(), parent), m_model(model),
      m_statusFilter(new QComboBox(this)), m_key(new SecretField(this)), m_metadata(new QPlainTextEdit(this)),
      m_channels(new QListWidget(this)), m_status(new QLabel(this)), m_latest(new QListWidget(this)),
      m_refusals(new QListWidget(this)), m_total(new QLabel(this)), m_history(new ThingHistory(session, this))
{
    QAction *import = toolbar()->addAction(tr("Import CSV…"), this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Import things"), QString(), tr("CSV files (*.csv);;All files (*)"));
        if (!path.isEmpty()) importCsv(path);
    });
    finishToolbar();
    toolbar()->addWidget(m_statusFilter);

    view()->horizontalHeader()->setSortIndicator(ThingsModel::CreatedColumn, Qt::AscendingOrder);
    view()->horizontalHeader()->resizeSection(ThingsModel::NameColumn, 200);
    view()->horizontalHeader()->resizeSection(ThingsModel::IdColumn, 260);
    view()->horizontalHeader()->resizeSection(ThingsModel::KeyColumn, 140);
    view()->verticalHeader()->setDefaultSectionSize(view()->fontMetrics().height() + 8);
    view()->setWordWrap(false);
    connect(emptyState()->addButton(tr("Import CSV…")), &QPushButton::clicked, import, &QAction::trigger);

    setUpDetails();
    layout()->addWidget(m_total);
    m_total->setContentsMargins(6, 0, 6, 2);

    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        QTimer::singleShot(0, this, &ThingsPage::selectPendingThing); // after the view took the rows
    });
    // The details show the current row (EntityPage::updateDetails): follow it also when the selection stays.
    connect(view()->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ThingsPage::updateDetails);
    setUpStatusFilter();
    updateDetails();
    updateEmptyState();
}

EntityPage::Texts ThingsPage::texts()
{
    return {.newItem = tr("New thing"),
            .newItemTip = tr("Create a thing (Ctrl+N)"),
            .deleteTip = tr("Delete the selected things (Delete)"),
            .deleteTitle = tr("Delete things"),
            .selectHint = tr("Select a thing to see its details"),
            .unnamed = tr("(unnamed thing)"),
            .loadFailed = tr("Could not load things: %1")};
}

void ThingsPage::setUpDetails()
{
    m_metadata->setReadOnly(true);
    m_metadata->setMaximumHeight(110);
    m_channels->setMaximumHeight(110);
    auto *rotate = new QToolButton(m_key);
    rotate->setText(tr("Rotate…"));
    rotate->setToolTip(tr("Give the thing a new key; the old one stops working at once"));
    m_key->layout()->addWidget(rotate);
    connect(rotate, &QToolButton::clicked, this, &ThingsPage::rotateKey);
    connect(m_key, &SecretField::copied, this, [this] {
        const int row = view()->currentIndex().row();
        Q_EMIT statusMessage(tr("Key of %1 copied to the clipboard").arg(m_model->thingAt(row).name));
    });
    connect(m_key->revealButton(), &QToolButton::toggled, this, [this](bool on) {
        const QModelIndex current = view()->currentIndex();
        if (current.isValid()) m_model->setKeyRevealed(m_model->thingAt(current.row()).id, on);
    });
    QFormLayout *form = detailsForm();
    form->addRow(tr("Key:"), m_key);
    form->addRow(tr("Metadata:"), m_metadata);
    form->addRow(tr("Connected to:"), m_channels);
    form->addRow(tr("Status:"), m_status);
    form->addRow(tr("Last values:"), m_latest);
    form->addRow(tr("Refused:"), m_refusals);
    // The form at the left, the thing's history (status strip, a value's chart) at the right.
    auto *detailLayout = new QHBoxLayout(details());
    detailLayout->addLayout(form, 1);
    detailLayout->addWidget(m_history, 1);
}

void ThingsPage::setUpStatusFilter()
{
    m_statusFilter->setObjectName(u"statusFilter"_s);
    m_statusFilter->addItem(tr("All things"), QString());
    m_statusFilter->addItem(tr("Online"), u"online"_s);
    m_statusFilter->addItem(tr("Offline"), u"offline"_s);
    m_statusFilter->setToolTip(tr("A thing is online while it has an MQTT connection or sent a message within its "
                                  "offline-after time (5 minutes unless its metadata says offline_after)"));
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_model->setStatusFilter(m_statusFilter->currentData().toString()); });
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_latest->setObjectName(u"latestValues"_s);
    m_latest->setMaximumHeight(130);
    m_refusals->setObjectName(u"refusals"_s);
    m_refusals->setMaximumHeight(110);
    m_refusals->setToolTip(tr("Messages of this thing the backend refused, newest first, with the reason"));
    auto *ages = new QTimer(this);
    ages->setInterval(30'000);
    connect(ages, &QTimer::timeout, m_model, &ThingsModel::refreshAges);
    ages->start();
    // Status changes come from the user's event stream; while it is not open (an older backend, a process without
    // the WebSocket adapter, a reconnect) the visible statuses are asked for again every 10 s.
    auto *statuses = new QTimer(this);
    statuses->setInterval(10'000);
    connect(statuses, &QTimer::timeout, this, [this] {
        if (isVisible() && events()->state() != client::LiveStream::State::Open) m_model->refreshStatuses();
    });
    statuses->start();
    client::LiveStream *events = session()->events();
    connect(events, &client::LiveStream::frameReceived, this, [this](const QJsonObject &event) {
        if (event.value("type"_L1).toString() != "status"_L1) return;
        const QStringList changed = m_model->applyStatusChanges(event.value("changes"_L1).toArray());
        const QList<int> rows = selectedRows();
        if (rows.size() == 1 && changed.contains(m_model->thingAt(rows.first()).id)) updateDetails();
    });
    connect(events, &client::LiveStream::stateChanged, this, [this](client::LiveStream::State state) {
        if (state == client::LiveStream::State::Open) m_model->refreshStatuses(); // what changed while it was closed
    });
}

client::LiveStream *ThingsPage::events() const
{
    return session()->events();
}

void ThingsPage::showStatus(const Thing &thing)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QString text = thing.status.online ? tr("Online") : tr("Offline");
    if (thing.status.connectedSince > 0)
        text += tr(", connected over MQTT since %1").arg(formatTimestamp(thing.status.connectedSince));
    if (thing.status.lastSeen > 0)
        text += tr(" — last seen %1 over %2").arg(formatAgo(thing.status.lastSeen, now), thing.status.lastProtocol);
    else
        text += tr(" — never heard from");
    m_status->setText(text);
    m_latest->clear();
    m_latest->addItem(tr("Loading…"));
    const QString id = thing.id;
    session()->client()->latestOfThing(id).then(this, [this, id](const Result<QJsonObject> &body) {
        if (!isShown(id)) return;
        m_latest->clear();
        if (!body) {
            m_latest->addItem(tr("Could not load last values: %1").arg(body.error().message));
            return;
        }
        const QJsonArray values = body->value("values"_L1).toArray();
        m_history->setValues(values);
        if (values.isEmpty()) m_latest->addItem(tr("No SenML values yet"));
        for (const QJsonValue &item : values) {
            const StoredMessage value = json::messageFromJson(item.toObject());
            auto *row =
                new QListWidgetItem(u"%1 = %2 %3"_s.arg(value.name, shownValue(value), value.unit).trimmed(), m_latest);
            if (std::isfinite(value.time) && std::abs(value.time) < 9e12) // ms within qint64 and QDateTime
                row->setToolTip(tr("at %1").arg(formatTimestamp(qint64(value.time * 1000))));
        }
    });
    showRefusals(id);
}

void ThingsPage::showRefusals(const QString &id)
{
    m_refusals->clear();
    session()->client()->refusalsOfThing(id).then(this, [this, id](const Result<QJsonObject> &body) {
        if (!isShown(id)) return;
        m_refusals->clear();
        if (!body) {
            m_refusals->addItem(tr("Could not load refused messages: %1").arg(body.error().message));
            return;
        }
        const QJsonArray refusals = body->value("refusals"_L1).toArray();
        if (refusals.isEmpty()) m_refusals->addItem(tr("None"));
        for (const QJsonValue &item : refusals) {
            const QJsonObject r = item.toObject();
            auto *row =
                new QListWidgetItem(tr("%1 · %2: %3")
                                        .arg(formatTimestamp(r.value("at"_L1).toInteger()),
                                             r.value("protocol"_L1).toString(), r.value("reason"_L1).toString()),
                                    m_refusals);
            row->setForeground(QColor(0xc6, 0x28, 0x28)); // refused: in red
            const QString payload = r.contains("payload"_L1) ? r.value("payload"_L1).toString()
                                                             : tr("(binary, %n bytes)", nullptr,
                                                                  int(r.value("payload_size"_L1).toInteger()));
            row->setToolTip(tr("Payload: %1\nFrom: %2").arg(payload, r.value("client"_L1).toString()));
        }
    });
}

void ThingsPage::showThing(const QString &id, const QString &name)
{
    m_pendingThing = id;
    if (selectPendingThing()) return;
    // Not loaded (further down, or hidden by the filters): narrow the table to its name.
    m_statusFilter->setCurrentIndex(0);
    filterEdit()->setText(name); // reloads after the filter delay; selectPendingThing() runs as rows arrive
}

bool ThingsPage::selectPendingThing()
{
    if (m_pendingThing.isEmpty()) return false;
    const int row = m_model->rowOf(m_pendingThing);
    if (row < 0) {
        if (m_model->hasLoaded() && !m_model->isLoading() && m_model->canFetchMore({}) &&
            m_model->filter() == filterEdit()->text().trimmed())
            m_model->fetchMore({});
        return false;
    }
    m_pendingThing.clear();
    view()->selectRow(row);
    view()->setCurrentIndex(m_model->index(row, ThingsModel::NameColumn));
    view()->scrollTo(m_model->index(row, ThingsModel::NameColumn));
    view()->setFocus();
    return true;
}

ThingsPage::~ThingsPage() = default;

void ThingsPage::updateEmptyState()
{
    EntityPage::updateEmptyState();
    m_total->setText(m_model->hasLoaded() ? tr("Things: %1 · loaded: %2") // no "1 things"
                                                .arg(QLocale().toString(m_model->total()))
                                                .arg(QLocale().toString(m_model->rowCount()))
                                          : QString());
}

std::pair<QString, QString> ThingsPage::emptyTexts(const QString &filter) const
{
    if (filter.isEmpty())
        return {tr("No things yet"), tr("Things are the devices and applications that send messages. Create one, or "
                                        "import many from a CSV file (name,type,metadata).")};
    return {tr("No thing matches “%1”").arg(filter),
            tr("The filter matches parts of names, ignoring case. Clear it to see every thing.")};
}

QString ThingsPage::selectedCountText(int count) const
{
    return tr("%n things selected", nullptr, count);
}

void ThingsPage::detailsCleared()
{
    m_key->setSecret({});
    m_metadata->clear();
    m_channels->clear();
    m_status->clear();
    m_latest->clear();
    m_refusals->clear();
    m_history->clear();
}

void ThingsPage::detailsShown(int row)
{
    const Thing thing = m_model->thingAt(row);
    m_key->setSecret(thing.key);
    m_key->revealButton()->setChecked(m_model->isKeyRevealed(thing.id));
    m_metadata->setPlainText(
        thing.metadata.isEmpty()
            ? QString()
            : QString::fromUtf8(QJsonDocument(thing.metadata.object()).toJson(QJsonDocument::Indented)) +
                  (thing.metadata.form() == Metadata::Form::String ? tr("\n(stored as a string, the Mainflux 0.7 form)")
                                                                   : QString()));
    m_history->setThing(thing.id);
    showStatus(thing);
    showChannels(thing.id);
}

bool ThingsPage::isShown(const QString &thingId) const
{
    const QModelIndex now = view()->currentIndex();
    return now.isValid() && m_model->thingAt(now.row()).id == thingId;
}

void ThingsPage::showChannels(const QString &id)
{
    m_channels->clear();
    m_channels->addItem(tr("Loading…"));
    PageQuery query;
    query.limit = MaxPageLimit;
    session()->client()->channelsOfThing(id, query).then(this, [this, id](const Result<Page<Channel>> &page) {
        if (!isShown(id)) return;
        m_channels->clear();
        if (!page) {
            m_channels->addItem(tr("Could not load channels: %1").arg(page.error().message));
            return;
        }
        if (page->items.isEmpty()) m_channels->addItem(tr("Not connected to any channel"));
        for (const Channel &channel : page->items)
            m_channels->addItem(channel.name.isEmpty() ? channel.id : channel.name);
        if (page->total > page->items.size())
            m_channels->addItem(tr("… and %1 more").arg(page->total - page->items.size()));
    });
}

void ThingsPage::created(const EntityDialog *dialog)
{
    Q_EMIT statusMessage(tr("Thing %1 created").arg(dialog->thing().name));
}

void ThingsPage::prepareEdit(EntityDialog *dialog, int row)
{
    dialog->editThing(m_model->thingAt(row));
}

void ThingsPage::saved(const EntityDialog *dialog)
{
    m_model->replaceThing(dialog->thing());
    Q_EMIT statusMessage(tr("Thing %1 saved").arg(dialog->thing().name));
}

QString ThingsPage::deleteQuestion(int count, const QString &names) const
{
    return tr("Delete %n thing(s)? %1 will be removed with their keys and connections. This cannot be undone.", nullptr,
              count)
        .arg(names);
}

QString ThingsPage::deletedText(int count) const
{
    return tr("%n thing(s) deleted", nullptr, count);
}

QString ThingsPage::deleteFailedText(int count, const QString &firstError) const
{
    return tr("%n thing(s) could not be deleted: %1", nullptr, count).arg(firstError);
}

client::Pending<void> ThingsPage::removeEntity(const QString &id)
{
    return session()->client()->removeThing(id);
}

void ThingsPage::rotateKey()
{
    const QModelIndex current = view()->currentIndex();
    if (!current.isValid()) return;
    const Thing thing = m_model->thingAt(current.row());
    if (QMessageBox::question(
            this, tr("Rotate key"),
            tr("Give %1 a new key? Devices using the old key are refused from now on.").arg(thing.name)) !=
        QMessageBox::Yes)
        return;
    session()->client()->rotateThingKey(thing.id).then(this, [this, thing](const Result<QString> &key) {
        if (!key) {
            banner()->showError(tr("Could not rotate the key of %1: %2").arg(thing.name, key.error().message));
            return;
        }
        Thing updated = thing;
        updated.key = *key;
        m_model->replaceThing(updated);
        updateDetails();
        Q_EMIT statusMessage(tr("New key for %1").arg(thing.name));
    });
}

} // namespace mf::ui
