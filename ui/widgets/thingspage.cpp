#include "thingspage.h"

#include "client/livestream.h"
#include "client/restclient.h"
#include "common.h"
#include "core/messagejson.h"
#include "entitydialog.h"
#include "thinghistory.h"
#include "models/session.h"
#include "models/thingsmodel.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QFile>
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
#include <QProgressDialog>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

using namespace Qt::StringLiterals;

namespace mf::ui {

namespace {

// One CSV line split into fields (RFC 4180 quotes).
QStringList splitCsvLine(const QString &line)
{
    QStringList fields;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < line.size() && line.at(i + 1) == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            fields.append(field);
            field.clear();
        } else {
            field += c;
        }
    }
    fields.append(field);
    return fields;
}

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

ThingsPage::ThingsPage(Session *session, QWidget *parent)
    : DashboardPage(session, parent), m_model(new ThingsModel(this)), m_filter(new QLineEdit(this)),
      m_statusFilter(new QComboBox(this)), m_busy(new BusyIndicator(this)), m_banner(new Banner(this)), m_stack(new QStackedWidget(this)),
      m_view(new QTableView(this)), m_empty(new EmptyState(this)), m_splitter(new QSplitter(Qt::Vertical, this)),
      m_details(new QWidget(this)), m_detailTitle(new QLabel(this)), m_id(new CopyField(this)),
      m_key(new SecretField(this)), m_metadata(new QPlainTextEdit(this)), m_channels(new QListWidget(this)),
      m_status(new QLabel(this)), m_latest(new QListWidget(this)), m_refusals(new QListWidget(this)),
      m_total(new QLabel(this)), m_history(new ThingHistory(session, this))
{
    setObjectName(u"thingsPage"_s);
    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_new = toolbar->addAction(style()->standardIcon(QStyle::SP_FileIcon), tr("New thing"), this, &ThingsPage::newItem);
    m_new->setToolTip(tr("Create a thing (Ctrl+N)"));
    m_edit = toolbar->addAction(tr("Edit…"), this, &ThingsPage::editSelected);
    m_delete = toolbar->addAction(style()->standardIcon(QStyle::SP_TrashIcon), tr("Delete"), this,
                                  &ThingsPage::deleteSelected);
    m_delete->setToolTip(tr("Delete the selected things (Delete)"));
    m_import = toolbar->addAction(tr("Import CSV…"), this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Import things"), QString(), tr("CSV files (*.csv);;All files (*)"));
        if (!path.isEmpty()) importCsv(path);
    });
    m_refresh =
        toolbar->addAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("Refresh"), this, &ThingsPage::refresh);
    m_refresh->setToolTip(tr("Reload from the server (F5)"));
    auto *spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    toolbar->addWidget(m_busy);
    m_filter->setPlaceholderText(tr("Filter by name… (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaximumWidth(260);
    toolbar->addWidget(m_filter);
    toolbar->addWidget(m_statusFilter);

    m_view->setObjectName(u"thingsView"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSortingEnabled(true);
    m_view->horizontalHeader()->setSortIndicator(ThingsModel::CreatedColumn, Qt::AscendingOrder);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->resizeSection(ThingsModel::NameColumn, 200);
    m_view->horizontalHeader()->resizeSection(ThingsModel::IdColumn, 260);
    m_view->horizontalHeader()->resizeSection(ThingsModel::KeyColumn, 140);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);

    m_empty->setText(tr("No things yet"), tr("Things are the devices and applications that send messages. Create "
                                             "one, or import many from a CSV file (name,type,metadata)."));
    connect(m_empty->addButton(tr("New thing")), &QPushButton::clicked, this, &ThingsPage::newItem);
    connect(m_empty->addButton(tr("Import CSV…")), &QPushButton::clicked, m_import, &QAction::trigger);
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_empty);

    QFont bold = m_detailTitle->font();
    bold.setBold(true);
    m_detailTitle->setFont(bold);
    m_metadata->setReadOnly(true);
    m_metadata->setMaximumHeight(110);
    m_channels->setMaximumHeight(110);
    auto *rotate = new QToolButton(m_key);
    rotate->setText(tr("Rotate…"));
    rotate->setToolTip(tr("Give the thing a new key; the old one stops working at once"));
    m_key->layout()->addWidget(rotate);
    connect(rotate, &QToolButton::clicked, this, &ThingsPage::rotateKey);
    connect(m_key, &SecretField::copied, this, [this] {
        const int row = m_view->currentIndex().row();
        Q_EMIT statusMessage(tr("Key of %1 copied to the clipboard").arg(m_model->thingAt(row).name));
    });
    connect(m_key->revealButton(), &QToolButton::toggled, this, [this](bool on) {
        const QModelIndex current = m_view->currentIndex();
        if (current.isValid()) m_model->setKeyRevealed(m_model->thingAt(current.row()).id, on);
    });
    connect(m_id, &CopyField::copied, this, [this] { Q_EMIT statusMessage(tr("ID copied to the clipboard")); });
    auto *form = new QFormLayout;
    form->addRow(m_detailTitle);
    form->addRow(tr("ID:"), m_id);
    form->addRow(tr("Key:"), m_key);
    form->addRow(tr("Metadata:"), m_metadata);
    form->addRow(tr("Connected to:"), m_channels);
    form->addRow(tr("Status:"), m_status);
    form->addRow(tr("Last values:"), m_latest);
    form->addRow(tr("Refused:"), m_refusals);
    // The form at the left, the thing's history (status strip, a value's chart) at the right.
    auto *detailLayout = new QHBoxLayout(m_details);
    detailLayout->addLayout(form, 1);
    detailLayout->addWidget(m_history, 1);
    m_details->setEnabled(false);

    m_splitter->addWidget(m_stack);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setObjectName(u"thingsSplitter"_s);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);
    layout->addWidget(m_total);
    m_total->setContentsMargins(6, 0, 6, 2);

    auto *filterDelay = new QTimer(this);
    filterDelay->setSingleShot(true);
    filterDelay->setInterval(300);
    connect(m_filter, &QLineEdit::textChanged, filterDelay, qOverload<>(&QTimer::start));
    connect(filterDelay, &QTimer::timeout, this, [this] { m_model->setFilter(m_filter->text().trimmed()); });
    connect(m_model, &PagedTableModel::loadingChanged, m_busy, &BusyIndicator::setBusy);
    connect(m_model, &PagedTableModel::errorOccurred, this,
            [this](const QString &message) { m_banner->showError(tr("Could not load things: %1").arg(message)); });
    connect(m_model, &PagedTableModel::totalChanged, this, &ThingsPage::updateEmptyState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ThingsPage::updateEmptyState);
    connect(m_model, &PagedTableModel::loadingChanged, this, &ThingsPage::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ThingsPage::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        QTimer::singleShot(0, this, &ThingsPage::selectPendingThing); // after the view took the rows
    });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ThingsPage::updateEmptyState);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ThingsPage::updateDetails);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ThingsPage::updateDetails);
    connect(m_view, &QTableView::doubleClicked, this, &ThingsPage::editSelected);
    setTabOrder(m_filter, m_view);
    setUpStatusFilter();
    updateDetails();
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
        const QModelIndex now = m_view->currentIndex();
        if (!now.isValid() || m_model->thingAt(now.row()).id != id) return;
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
            auto *row = new QListWidgetItem(u"%1 = %2 %3"_s.arg(value.name, shownValue(value), value.unit).trimmed(),
                                            m_latest);
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
        const QModelIndex now = m_view->currentIndex();
        if (!now.isValid() || m_model->thingAt(now.row()).id != id) return;
        m_refusals->clear();
        if (!body) {
            m_refusals->addItem(tr("Could not load refused messages: %1").arg(body.error().message));
            return;
        }
        const QJsonArray refusals = body->value("refusals"_L1).toArray();
        if (refusals.isEmpty()) m_refusals->addItem(tr("None"));
        for (const QJsonValue &item : refusals) {
            const QJsonObject r = item.toObject();
            auto *row = new QListWidgetItem(
                tr("%1 · %2: %3").arg(formatTimestamp(r.value("at"_L1).toInteger()),
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
    m_filter->setText(name); // reloads after the filter delay; selectPendingThing() runs as rows arrive
}

bool ThingsPage::selectPendingThing()
{
    if (m_pendingThing.isEmpty()) return false;
    const int row = m_model->rowOf(m_pendingThing);
    if (row < 0) {
        if (m_model->hasLoaded() && !m_model->isLoading() && m_model->canFetchMore({}) &&
            m_model->filter() == m_filter->text().trimmed())
            m_model->fetchMore({});
        return false;
    }
    m_pendingThing.clear();
    m_view->selectRow(row);
    m_view->setCurrentIndex(m_model->index(row, ThingsModel::NameColumn));
    m_view->scrollTo(m_model->index(row, ThingsModel::NameColumn));
    m_view->setFocus();
    return true;
}

ThingsPage::~ThingsPage() = default;

void ThingsPage::sessionReady()
{
    m_model->setClient(session()->client());
}

void ThingsPage::refresh()
{
    m_banner->hide();
    if (m_model->client() != session()->client())
        m_model->setClient(session()->client());
    else
        m_model->reload();
}

void ThingsPage::focusFilter()
{
    m_filter->setFocus();
    m_filter->selectAll();
}

QList<int> ThingsPage::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

void ThingsPage::updateEmptyState()
{
    const bool empty = m_model->hasLoaded() && m_model->rowCount() == 0;
    if (empty && m_model->filter().isEmpty()) {
        m_empty->setText(tr("No things yet"), tr("Things are the devices and applications that send messages. "
                                                 "Create one, or import many from a CSV file (name,type,metadata)."));
    } else if (empty) {
        m_empty->setText(tr("No thing matches “%1”").arg(m_model->filter()),
                         tr("The filter matches parts of names, ignoring case. Clear it to see every thing."));
    }
    m_stack->setCurrentWidget(empty ? static_cast<QWidget *>(m_empty) : m_view);
    m_total->setText(m_model->hasLoaded() ? tr("%1 things, %2 loaded")
                                                .arg(QLocale().toString(m_model->total()))
                                                .arg(QLocale().toString(m_model->rowCount()))
                                          : QString());
}

void ThingsPage::updateDetails()
{
    const QList<int> rows = selectedRows();
    m_edit->setEnabled(rows.size() == 1);
    m_delete->setEnabled(!rows.isEmpty());
    const QModelIndex current = m_view->currentIndex();
    if (rows.size() != 1 || !current.isValid()) {
        m_details->setEnabled(false);
        m_detailTitle->setText(rows.size() > 1 ? tr("%n things selected", nullptr, int(rows.size()))
                                               : tr("Select a thing to see its details"));
        m_id->setText({});
        m_key->setSecret({});
        m_metadata->clear();
        m_channels->clear();
        m_status->clear();
        m_latest->clear();
        m_refusals->clear();
        m_history->clear();
        return;
    }
    const Thing thing = m_model->thingAt(rows.first());
    m_details->setEnabled(true);
    m_detailTitle->setText(thing.name.isEmpty() ? tr("(unnamed thing)") : thing.name);
    m_id->setText(thing.id);
    m_key->setSecret(thing.key);
    m_key->revealButton()->setChecked(m_model->isKeyRevealed(thing.id));
    m_metadata->setPlainText(thing.metadata.isEmpty() ? QString()
                             : QString::fromUtf8(QJsonDocument(thing.metadata.object()).toJson(QJsonDocument::Indented)) +
                                 (thing.metadata.form() == Metadata::Form::String ? tr("\n(stored as a string, the Mainflux 0.7 form)") : QString()));
    m_history->setThing(thing.id);
    showStatus(thing);
    m_channels->clear();
    m_channels->addItem(tr("Loading…"));
    const QString id = thing.id;
    PageQuery query;
    query.limit = MaxPageLimit;
    session()->client()->channelsOfThing(id, query).then(this, [this, id](const Result<Page<Channel>> &page) {
        const QModelIndex now = m_view->currentIndex();
        if (!now.isValid() || m_model->thingAt(now.row()).id != id) return;
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

void ThingsPage::newItem()
{
    if (!session()->client()) return;
    auto *dialog = new EntityDialog(EntityDialog::Kind::Thing, session()->client(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        Q_EMIT statusMessage(tr("Thing %1 created").arg(dialog->thing().name));
        m_model->reload();
    });
    dialog->open();
}

void ThingsPage::editSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.size() != 1) return;
    auto *dialog = new EntityDialog(EntityDialog::Kind::Thing, session()->client(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->editThing(m_model->thingAt(rows.first()));
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_model->replaceThing(dialog->thing());
        updateDetails();
        Q_EMIT statusMessage(tr("Thing %1 saved").arg(dialog->thing().name));
    });
    dialog->open();
}

void ThingsPage::deleteSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.isEmpty()) return;
    QStringList ids, names;
    for (int row : rows) {
        const Thing thing = m_model->thingAt(row);
        ids.append(thing.id);
        names.append(thing.name.isEmpty() ? thing.id : thing.name);
    }
    QString list = names.mid(0, 10).join(u", "_s);
    if (names.size() > 10) list += tr(" and %n more", nullptr, int(names.size() - 10));
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Delete things"),
                                tr("Delete %n thing(s)? %1 will be removed with their keys and connections. This "
                                   "cannot be undone.",
                                   nullptr, int(ids.size()))
                                    .arg(list),
                                QMessageBox::Cancel, this);
    box->setObjectName(u"confirmDelete"_s);
    QPushButton *yes = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, yes, ids] {
        if (box->clickedButton() != yes) return;
        m_busy->setBusy(true);
        auto remaining = std::make_shared<int>(int(ids.size()));
        auto failures = std::make_shared<QStringList>();
        auto removed = std::make_shared<QStringList>();
        for (const QString &id : ids) {
            session()->client()->removeThing(id).then(this, [=, this](const Result<void> &r) {
                if (r)
                    removed->append(id);
                else
                    failures->append(r.error().message);
                if (--*remaining > 0) return;
                m_busy->setBusy(false);
                m_model->removeIds(*removed);
                if (!failures->isEmpty())
                    m_banner->showError(tr("%n thing(s) could not be deleted: %1", nullptr, int(failures->size()))
                                            .arg(failures->first()));
                Q_EMIT statusMessage(tr("%n thing(s) deleted", nullptr, int(removed->size())));
                updateDetails();
            });
        }
    });
    box->open();
}

void ThingsPage::rotateKey()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid()) return;
    const Thing thing = m_model->thingAt(current.row());
    if (QMessageBox::question(
            this, tr("Rotate key"),
            tr("Give %1 a new key? Devices using the old key are refused from now on.").arg(thing.name)) !=
        QMessageBox::Yes)
        return;
    session()->client()->rotateThingKey(thing.id).then(this, [this, thing](const Result<QString> &key) {
        if (!key) {
            m_banner->showError(tr("Could not rotate the key of %1: %2").arg(thing.name, key.error().message));
            return;
        }
        Thing updated = thing;
        updated.key = *key;
        m_model->replaceThing(updated);
        updateDetails();
        Q_EMIT statusMessage(tr("New key for %1").arg(thing.name));
    });
}

void ThingsPage::importCsv(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        m_banner->showError(tr("Cannot read %1: %2").arg(path, file.errorString()));
        return;
    }
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
    if (lines.isEmpty()) {
        m_banner->showError(tr("%1 is empty").arg(path));
        return;
    }
    const QStringList header = splitCsvLine(lines.first().trimmed());
    const qsizetype nameAt = header.indexOf(u"name"_s);
    if (nameAt < 0) {
        m_banner->showError(tr("%1: the first line must name the columns, with at least \"name\" "
                               "(optional: type, metadata, key)")
                                .arg(path));
        return;
    }
    const qsizetype typeAt = header.indexOf(u"type"_s), metadataAt = header.indexOf(u"metadata"_s),
                    keyAt = header.indexOf(u"key"_s);
    QJsonArray things;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QStringList fields = splitCsvLine(lines.at(i).trimmed());
        QJsonObject thing{{u"name"_s, fields.value(nameAt)}, {u"type"_s, u"device"_s}};
        if (typeAt >= 0 && !fields.value(typeAt).isEmpty()) thing.insert(u"type"_s, fields.value(typeAt));
        if (keyAt >= 0 && !fields.value(keyAt).isEmpty()) thing.insert(u"key"_s, fields.value(keyAt));
        if (metadataAt >= 0 && !fields.value(metadataAt).isEmpty()) {
            QString error;
            const auto metadata = parseMetadata(fields.value(metadataAt), &error);
            if (!metadata) {
                m_banner->showError(tr("%1 line %2: metadata: %3").arg(path).arg(i + 1).arg(error));
                return;
            }
            thing.insert(u"metadata"_s, *metadata);
        }
        things.append(thing);
    }

    auto *progress = new QProgressDialog(tr("Importing %n thing(s)…", nullptr, int(things.size())), tr("Cancel"), 0,
                                         int(things.size()), this);
    progress->setObjectName(u"importProgress"_s);
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(200);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    auto created = std::make_shared<int>(0);
    auto next = std::make_shared<std::function<void(int)>>();
    *next = [this, things, progress, created, next](int offset) {
        if (progress->wasCanceled() || offset >= things.size()) {
            const bool cancelled = progress->wasCanceled();
            progress->close();
            m_model->reload();
            Q_EMIT statusMessage(cancelled ? tr("Import cancelled after %n thing(s)", nullptr, *created)
                                           : tr("%n thing(s) imported", nullptr, *created));
            *next = nullptr; // breaks the self-reference
            return;
        }
        QJsonArray batch;
        for (int i = offset; i < std::min<int>(offset + 100, int(things.size())); ++i)
            batch.append(things.at(i));
        session()->client()->createThings(batch).then(
            this, [this, progress, created, next, offset, batch](const Result<QList<Thing>> &r) {
                if (!r) {
                    progress->close();
                    m_banner->showError(tr("Import stopped at line %1 after %n thing(s): %2", nullptr, *created)
                                            .arg(offset + 2)
                                            .arg(r.error().message));
                    m_model->reload();
                    *next = nullptr;
                    return;
                }
                *created += int(r->size());
                progress->setValue(*created);
                (*next)(offset + int(batch.size()));
            });
    };
    (*next)(0);
}

} // namespace mf::ui
