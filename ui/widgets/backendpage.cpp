#include "backendpage.h"

#include "client/backendprocess.h"
#include "common.h"
#include "models/session.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTableWidget>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

namespace {
constexpr qsizetype MaxLogLines = 5000;

QString stateText(client::BackendProcess::State state)
{
    switch (state) {
    case client::BackendProcess::State::Stopped:
        return BackendPage::tr("stopped");
    case client::BackendProcess::State::Starting:
        return BackendPage::tr("starting…");
    case client::BackendProcess::State::Running:
        return BackendPage::tr("running");
    case client::BackendProcess::State::Stopping:
        return BackendPage::tr("stopping…");
    case client::BackendProcess::State::Failed:
        return BackendPage::tr("failed");
    }
    return {};
}
} // namespace

BackendPage::BackendPage(Session *session, QWidget *parent)
    : DashboardPage(session, parent), m_state(new QLabel(this)), m_details(new QLabel(this)),
      m_dataDir(new CopyField(this)), m_start(new QPushButton(tr("Start"), this)),
      m_stop(new QPushButton(tr("Stop"), this)), m_restart(new QPushButton(tr("Restart"), this)),
      m_keep(new QCheckBox(tr("Keep running after the dashboard closes"), this)), m_level(new QComboBox(this)),
      m_log(new QPlainTextEdit(this)), m_processes(new QTableWidget(this)), m_localBox(new QWidget(this))
{
    setObjectName(u"backendPage"_s);
    QFont bold = m_state->font();
    bold.setBold(true);
    m_state->setFont(bold);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // A widget in a toolbar is shown and hidden through its action (QWidget::setVisible has no effect there).
    auto *toolbar = new QToolBar(this);
    m_localActions = {toolbar->addWidget(m_start), toolbar->addWidget(m_stop), toolbar->addWidget(m_restart),
                      toolbar->addSeparator(), toolbar->addWidget(m_keep)};

    m_level->addItem(tr("All levels"), u"debug"_s);
    m_level->addItem(tr("Info and above"), u"info"_s);
    m_level->addItem(tr("Warnings and errors"), u"warn"_s);
    m_level->addItem(tr("Errors only"), u"error"_s);
    m_level->setCurrentIndex(1);
    m_log->setReadOnly(true);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setObjectName(u"backendLog"_s);

    auto *info = m_info = new QFormLayout;
    info->addRow(tr("State:"), m_state);
    info->addRow(tr("Details:"), m_details);
    info->addRow(tr("Data directory:"), m_dataDir);
    auto *logBar = new QHBoxLayout;
    logBar->addWidget(new QLabel(tr("Log:"), this));
    logBar->addStretch();
    logBar->addWidget(new QLabel(tr("Show:"), this));
    logBar->addWidget(m_level);

    m_processes->setObjectName(u"clusterProcesses"_s);
    m_processes->setColumnCount(6);
    m_processes->setHorizontalHeaderLabels(
        {tr("Services"), tr("State"), tr("Host"), tr("Version"), tr("Ports"), tr("Messages/s (accepted / stored)")});
    m_processes->horizontalHeader()->setStretchLastSection(true);
    m_processes->verticalHeader()->hide();
    m_processes->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_processes->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_processes->setMaximumHeight(160);
    auto *processesBox = new QGroupBox(tr("Processes"), this);
    processesBox->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    auto *processesLayout = new QVBoxLayout(processesBox);
    processesLayout->addWidget(m_processes);

    auto *localLayout = new QVBoxLayout(m_localBox);
    localLayout->setContentsMargins(0, 0, 0, 0);
    localLayout->addLayout(logBar);
    localLayout->addWidget(m_log, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar);
    auto *body = new QVBoxLayout;
    body->setContentsMargins(8, 8, 8, 8);
    body->addLayout(info);
    body->addWidget(processesBox);
    body->addWidget(m_localBox, 1);
    body->addStretch(); // takes the room of the log when there is none (a remote server)
    layout->addLayout(body, 1);

    client::BackendProcess *backend = session->backend();
    if (backend) {
        m_keep->setChecked(backend->keepRunning());
        connect(m_start, &QPushButton::clicked, this, [this] {
            if (this->session()->profile().isLocal()) this->session()->open(this->session()->profile());
        });
        connect(m_stop, &QPushButton::clicked, backend, &client::BackendProcess::stop);
        connect(m_restart, &QPushButton::clicked, backend, &client::BackendProcess::restart);
        connect(m_keep, &QCheckBox::toggled, this, [this, backend](bool keep) {
            backend->setKeepRunning(keep);
            Q_EMIT keepRunningChanged(keep);
        });
        connect(backend, &client::BackendProcess::stateChanged, this, &BackendPage::refresh);
        connect(backend, &client::BackendProcess::logLines, this, &BackendPage::appendLog);
    }
    connect(session, &Session::healthChanged, this, &BackendPage::refresh);
    connect(session, &Session::clusterChanged, this, &BackendPage::showProcesses);
    connect(session, &Session::profileChanged, this, &BackendPage::refresh);
    connect(m_level, &QComboBox::currentIndexChanged, this, &BackendPage::renderLog);
    connect(m_dataDir, &CopyField::copied, this, [this] { Q_EMIT statusMessage(tr("Path copied to the clipboard")); });
    refresh();
}

bool BackendPage::controlsShown() const
{
    return !m_localActions.isEmpty() && m_localActions.first()->isVisible();
}

void BackendPage::showProcesses()
{
    const QJsonArray processes = session()->cluster().value("processes"_L1).toArray();
    m_processes->setRowCount(int(processes.size()));
    const QLocale locale;
    for (int row = 0; row < processes.size(); ++row) {
        const QJsonObject p = processes.at(row).toObject();
        const QString state = p.value("state"_L1).toString();
        const bool stopped = state == "stopped answering"_L1;
        QStringList ports;
        const QJsonObject portMap = p.value("ports"_L1).toObject();
        for (auto it = portMap.constBegin(); it != portMap.constEnd(); ++it)
            ports.append(u"%1 %2"_s.arg(it.key()).arg(it.value().toInt()));
        QString version = p.value("version"_L1).toString();
        if (p.value("version_differs"_L1).toBool()) version = tr("%1 (differs)").arg(version);
        const QStringList cells{
            p.value("services"_L1).toVariant().toStringList().join(u", "_s),
            stopped ? tr("stopped answering") : state == "pass"_L1 ? tr("running") : tr("degraded"),
            u"%1 (%2)"_s.arg(p.value("host"_L1).toString()).arg(p.value("pid"_L1).toInt()),
            version,
            ports.join(u", "_s),
            u"%1 / %2"_s.arg(locale.toString(p.value("accepted_per_s"_L1).toDouble(), 'f', 1),
                             locale.toString(p.value("stored_per_s"_L1).toDouble(), 'f', 1))};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            item->setToolTip(p.value("id"_L1).toString());
            if (stopped) item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
            m_processes->setItem(row, column, item);
        }
    }
    m_processes->resizeColumnsToContents();
}

void BackendPage::setLevelFilter(const QString &level)
{
    m_level->setCurrentIndex(std::max(0, m_level->findData(level)));
}

bool BackendPage::passes(const QString &line) const
{
    const QString level = m_level->currentData().toString();
    if (level == "debug"_L1) return true;
    // Lines look like "2024-01-01T12:00:00.000 warn mainflux.http: ..."; others (nats-server, stack traces) pass.
    const QString word = line.section(u' ', 1, 1);
    static const QStringList order{u"debug"_s, u"info"_s, u"warn"_s, u"error"_s, u"fatal"_s};
    const qsizetype at = order.indexOf(word);
    if (at < 0) return level != "error"_L1;
    return at >= order.indexOf(level);
}

void BackendPage::appendLog(const QStringList &lines)
{
    m_lines.append(lines);
    if (m_lines.size() > MaxLogLines) m_lines.remove(0, m_lines.size() - MaxLogLines);
    const bool atBottom = m_log->verticalScrollBar()->value() == m_log->verticalScrollBar()->maximum();
    for (const QString &line : lines)
        if (passes(line)) m_log->appendPlainText(line);
    if (atBottom) m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
}

void BackendPage::renderLog()
{
    QStringList shown;
    for (const QString &line : std::as_const(m_lines))
        if (passes(line)) shown.append(line);
    m_log->setPlainText(shown.join(u'\n'));
    m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
}

void BackendPage::refresh()
{
    Session *s = session();
    const bool local = s->profile().isLocal() && s->backend();
    for (QAction *action : std::as_const(m_localActions))
        action->setVisible(local);
    m_localBox->setVisible(local);
    m_info->setRowVisible(m_dataDir, local); // with its label
    if (!local) {
        m_state->setText(s->isHealthy() ? tr("remote server, healthy") : tr("remote server, not answering"));
        m_details->setText(tr("URL: %1\nVersion: %2\nHealth: %3")
                               .arg(s->serverUrl(), s->version(),
                                    QString::fromUtf8(QJsonDocument(s->health()).toJson(QJsonDocument::Compact))));
        return;
    }
    client::BackendProcess *b = s->backend();
    const auto state = b->state();
    m_state->setText(stateText(state) + (b->isAttached() ? tr(" (started earlier, kept running)") : QString()));
    m_start->setEnabled(state == client::BackendProcess::State::Stopped ||
                        state == client::BackendProcess::State::Failed);
    m_stop->setEnabled(state == client::BackendProcess::State::Running ||
                       state == client::BackendProcess::State::Starting);
    m_restart->setEnabled(state == client::BackendProcess::State::Running);
    QStringList details;
    if (state == client::BackendProcess::State::Failed) details.append(tr("Reason: %1").arg(b->failureReason()));
    if (b->pid() > 0 && state == client::BackendProcess::State::Running)
        details.append(tr("Process %1, version %2").arg(b->pid()).arg(b->readyInfo().value("version"_L1).toString()));
    QStringList ports;
    const QJsonObject portsObject = b->readyInfo().value("ports"_L1).toObject();
    for (auto it = portsObject.begin(); it != portsObject.end(); ++it)
        ports.append(u"%1 %2"_s.arg(it.key()).arg(it.value().toInt()));
    if (!ports.isEmpty()) details.append(tr("Ports: %1").arg(ports.join(u", "_s)));
    if (!b->readyInfo().value("database"_L1).toString().isEmpty())
        details.append(tr("Database: %1").arg(b->readyInfo().value("database"_L1).toString()));
    m_details->setText(details.join(u'\n'));
    m_dataDir->setText(b->dataDir());
}

} // namespace mf::ui
