#include "simulatedialog.h"

#include "client/simulator.h"
#include "common.h"
#include "models/session.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

SimulateDialog::SimulateDialog(Session *session, QWidget *parent)
    : QDialog(parent), m_session(session), m_things(new QSpinBox(this)), m_rate(new QDoubleSpinBox(this)),
      m_protocol(new QComboBox(this)), m_pattern(new QComboBox(this)), m_dropout(new QDoubleSpinBox(this)),
      m_invalid(new QDoubleSpinBox(this)), m_count(new QSpinBox(this)), m_error(new Banner(this)),
      m_busy(new BusyIndicator(this)), m_status(new QLabel(this)), m_channel(new QLabel(this)),
      m_sent(new QLabel(this)), m_accepted(new QLabel(this)), m_refused(new QLabel(this)), m_failed(new QLabel(this)),
      m_hint(new QLabel(this)), m_start(new QPushButton(tr("Start"), this)), m_stop(new QPushButton(tr("Stop"), this)),
      m_live(new QPushButton(tr("Open live view"), this)), m_cleanUp(new QPushButton(this)), m_refresh(new QTimer(this))
{
    setObjectName(u"simulateDialog"_s);
    setWindowTitle(tr("Simulate devices"));
    m_things->setRange(1, 1000);
    m_things->setValue(5);
    m_things->setToolTip(tr("Each is a new thing named sim-1, sim-2, … connected to a new channel"));
    m_rate->setRange(0.1, 1000);
    m_rate->setDecimals(1);
    m_rate->setValue(10);
    m_rate->setSuffix(tr(" messages/s"));
    m_rate->setToolTip(tr("All things together"));
    m_protocol->addItem(u"HTTP"_s, u"http"_s);
    m_protocol->addItem(u"WebSocket"_s, u"ws"_s);
    m_protocol->addItem(u"MQTT"_s, u"mqtt"_s);
    m_protocol->addItem(u"CoAP"_s, u"coap"_s);
    m_protocol->setToolTip(tr("The adapter the things publish through, as devices of that protocol do"));
    m_pattern->addItem(tr("Sine wave"), u"sine"_s);
    m_pattern->addItem(tr("Random walk"), u"walk"_s);
    m_pattern->addItem(tr("Steps"), u"steps"_s);
    m_pattern->setToolTip(tr("How the temperature moves; the humidity follows a slow wave"));
    for (QDoubleSpinBox *share : {m_dropout, m_invalid}) {
        share->setRange(0, 100);
        share->setDecimals(0);
        share->setSuffix(u" %"_s);
    }
    m_dropout->setToolTip(tr("Chance per thing and 10 s to go silent for 30 to 90 s, so things go offline"));
    m_invalid->setToolTip(tr("Share of invalid SenML packs, refused by the adapter (to see refusals)"));
    m_count->setRange(0, 100'000'000);
    m_count->setSpecialValueText(tr("until stopped"));
    m_count->setSuffix(tr(" messages"));
    m_count->setToolTip(tr("Stop after this many messages"));
    m_hint->setWordWrap(true);
    m_hint->setObjectName(u"submitHint"_s);
    m_status->setWordWrap(true);
    m_channel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_live->setToolTip(tr("Watch the simulated things' messages arrive"));
    m_cleanUp->setObjectName(u"simulateCleanUp"_s);

    auto *form = new QFormLayout;
    form->addRow(tr("Things:"), m_things);
    form->addRow(tr("Rate:"), m_rate);
    form->addRow(tr("Over:"), m_protocol);
    form->addRow(tr("Pattern:"), m_pattern);
    form->addRow(tr("Dropouts:"), m_dropout);
    form->addRow(tr("Invalid packs:"), m_invalid);
    form->addRow(tr("Stop after:"), m_count);

    auto *run = new QGroupBox(tr("Run"), this);
    auto *grid = new QGridLayout(run);
    const std::pair<QString, QLabel *> counts[] = {
        {tr("Sent:"), m_sent}, {tr("Accepted:"), m_accepted}, {tr("Refused:"), m_refused}, {tr("Failed:"), m_failed}};
    int row = 0;
    for (const auto &[label, value] : counts) {
        value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        value->setMinimumWidth(80);
        grid->addWidget(new QLabel(label, run), row / 2, (row % 2) * 2);
        grid->addWidget(value, row / 2, (row % 2) * 2 + 1);
        ++row;
    }
    grid->addWidget(new QLabel(tr("Channel:"), run), 2, 0);
    grid->addWidget(m_channel, 2, 1, 1, 2);
    grid->addWidget(m_live, 2, 3);
    grid->addWidget(m_status, 3, 0, 1, 4);
    grid->addWidget(m_busy, 4, 0, 1, 4);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_cleanUp);
    buttons->addStretch();
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    auto *close = new QPushButton(tr("Close"), this);
    buttons->addWidget(close);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_error);
    layout->addLayout(form);
    layout->addWidget(run);
    layout->addWidget(m_hint);
    layout->addLayout(buttons);
    m_error->hide();
    m_start->setDefault(true);

    connect(m_start, &QPushButton::clicked, this, &SimulateDialog::start);
    connect(m_stop, &QPushButton::clicked, this, &SimulateDialog::stop);
    connect(m_cleanUp, &QPushButton::clicked, this, &SimulateDialog::cleanUp);
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    connect(m_live, &QPushButton::clicked, this, [this] {
        if (m_simulator && !m_simulator->channelId().isEmpty()) Q_EMIT openLive(m_simulator->channelId());
    });
    connect(m_protocol, &QComboBox::currentIndexChanged, this, &SimulateDialog::updateState);
    connect(m_refresh, &QTimer::timeout, this, &SimulateDialog::showCounts);
    m_refresh->setInterval(250);
    // Signed out, or another server: a run ends (its client goes away).
    connect(m_session, &Session::stateChanged, this, [this] {
        if (m_session->state() != Session::State::SignedIn) stop();
        updateState();
    });
    showCounts();
    updateState();
}

SimulateDialog::~SimulateDialog() = default;

QString SimulateDialog::hintText() const
{
    return m_hint->text();
}

QString SimulateDialog::statusText() const
{
    return m_status->text();
}

QString SimulateDialog::errorText() const
{
    return m_error->isVisible() ? m_error->text() : QString();
}

QString SimulateDialog::shownCount(const QString &which) const
{
    if (which == "sent"_L1) return m_sent->text();
    if (which == "accepted"_L1) return m_accepted->text();
    if (which == "refused"_L1) return m_refused->text();
    if (which == "failed"_L1) return m_failed->text();
    return {};
}

void SimulateDialog::updateState()
{
    const bool busy = m_phase == Phase::Provisioning || m_phase == Phase::Running || m_phase == Phase::Stopping ||
                      m_phase == Phase::CleaningUp;
    const QString protocol = m_protocol->currentData().toString();
    QString why;
    if (m_session->state() != Session::State::SignedIn)
        why = tr("Sign in to simulate devices.");
    else if (protocol != u"http"_s && m_session->devicePort(protocol) <= 0)
        why = tr("This backend runs without the %1 adapter.").arg(m_protocol->currentText());
    else if (protocol == u"mqtt"_s && m_session->devicesUseTls())
        why = tr("The simulator does not speak MQTT over TLS yet: choose HTTP, WebSocket or CoAP.");
    m_hint->setText(busy ? QString() : why);
    m_start->setEnabled(!busy && why.isEmpty());
    m_stop->setEnabled(m_phase == Phase::Provisioning || m_phase == Phase::Running);
    for (QWidget *field :
         std::initializer_list<QWidget *>{m_things, m_rate, m_protocol, m_pattern, m_dropout, m_invalid, m_count})
        field->setEnabled(!busy);
    const bool hasChannel = m_simulator && !m_simulator->channelId().isEmpty();
    m_live->setEnabled(hasChannel && m_phase != Phase::CleaningUp);
    const bool leftOver = m_simulator && m_phase == Phase::Finished && !m_simulator->thingIds().isEmpty();
    m_cleanUp->setVisible(leftOver);
    if (leftOver) {
        const int things = int(m_simulator->thingIds().size());
        m_cleanUp->setText(m_simulator->createdChannel()
                               ? tr("Delete the simulated things (%1) and the channel").arg(things)
                               : tr("Delete the simulated things (%1)").arg(things));
    }
    m_busy->setBusy(m_phase == Phase::Provisioning || m_phase == Phase::Stopping || m_phase == Phase::CleaningUp);
}

void SimulateDialog::showCounts()
{
    const client::SimulationReport report = m_simulator ? m_simulator->report() : client::SimulationReport{};
    const QLocale locale;
    m_sent->setText(locale.toString(report.sent));
    m_accepted->setText(locale.toString(report.accepted));
    m_refused->setText(locale.toString(report.refused));
    m_failed->setText(locale.toString(report.failed));
    const QString id = m_simulator ? m_simulator->channelId() : QString();
    const QString name = m_simulator ? m_simulator->channelName() : QString();
    m_channel->setText(id.isEmpty() ? tr("(none yet)") : name.isEmpty() ? id : name); // people read names
    m_channel->setToolTip(id.isEmpty() ? QString() : tr("Channel %1").arg(id));
}

void SimulateDialog::start()
{
    client::RestClient *client = m_session->client();
    if (!m_start->isEnabled() || !client) return;
    client::SimulationPlan plan;
    plan.things = m_things->value();
    plan.rate = m_rate->value();
    plan.protocol = m_protocol->currentData().toString();
    plan.pattern = m_pattern->currentData().toString();
    plan.dropout = m_dropout->value() / 100;
    plan.invalid = m_invalid->value() / 100;
    plan.count = m_count->value();
    const QString host = m_session->endpointHost();
    const bool tls = m_session->devicesUseTls();
    plan.mqttUrl = u"tcp://%1:%2"_s.arg(host).arg(m_session->devicePort(u"mqtt"_s));
    plan.wsUrl = u"%1://%2:%3"_s.arg(tls ? u"wss"_s : u"ws"_s, host).arg(m_session->devicePort(u"ws"_s));
    plan.coapUrl = u"%1://%2:%3"_s.arg(tls ? u"coaps"_s : u"coap"_s, host).arg(m_session->devicePort(u"coap"_s));
    plan.trust = m_session->deviceTrust(u"ws"_s); // wss: the WebSocket port's own certificate when it has one

    m_simulator = std::make_unique<client::Simulator>(*client, plan);
    connect(m_simulator.get(), &client::Simulator::finished, this, &SimulateDialog::onFinished);
    m_error->hide();
    m_phase = Phase::Provisioning;
    m_status->setText(tr("Creating the things and connecting them…"));
    showCounts();
    updateState();
    const client::Simulator *simulator = m_simulator.get();
    m_simulator->provision().then(this, [this, simulator](const Result<void> &provisioned) {
        if (simulator != m_simulator.get()) return;
        if (m_phase == Phase::Stopping) { // stopped while provisioning: what was created can be deleted
            m_phase = Phase::Finished;
            m_status->setText(tr("Stopped before it started."));
            updateState();
            return;
        }
        if (!provisioned) {
            m_error->showError(tr("The simulation could not start: %1").arg(provisioned.error().message));
            m_phase = Phase::Finished;
            m_status->setText(tr("Not started."));
            showCounts();
            updateState();
            return;
        }
        m_phase = Phase::Running;
        const client::SimulationPlan &plan = m_simulator->plan();
        m_status->setText(
            tr("Publishing over %1 at %2 messages/s.")
                .arg(m_protocol->itemText(m_protocol->findData(plan.protocol)), QLocale().toString(plan.rate)));
        m_simulator->start();
        m_refresh->start();
        showCounts();
        updateState();
    });
}

void SimulateDialog::stop()
{
    if (m_phase == Phase::Provisioning) { // the provisioning's answer ends it
        m_phase = Phase::Stopping;
        m_status->setText(tr("Stopping…"));
        updateState();
        return;
    }
    if (m_phase != Phase::Running || !m_simulator) return;
    m_phase = Phase::Stopping;
    m_status->setText(tr("Stopping…"));
    updateState();
    m_simulator->stop(); // finished() follows, at once or when the last answers came
}

void SimulateDialog::onFinished()
{
    m_refresh->stop();
    m_phase = Phase::Finished;
    showCounts();
    m_status->setText(tr("Stopped. The simulated things stay until you delete them."));
    updateState();
}

void SimulateDialog::cleanUp()
{
    if (!m_simulator || m_phase != Phase::Finished) return;
    m_phase = Phase::CleaningUp;
    m_status->setText(tr("Deleting the simulated things…"));
    updateState();
    const client::Simulator *simulator = m_simulator.get();
    m_simulator->cleanUp().then(this, [this, simulator](const Result<void> &cleaned) {
        if (simulator != m_simulator.get()) return;
        m_phase = Phase::Finished;
        if (!cleaned) {
            m_error->showError(tr("Not everything was deleted: %1").arg(cleaned.error().message));
            m_status->clear();
            updateState();
            return;
        }
        m_status->setText(tr("The simulated things were deleted."));
        m_simulator.reset();
        showCounts();
        updateState();
    });
}

void SimulateDialog::closeEvent(QCloseEvent *event)
{
    // The run ends with the dialog; nothing is left running (the simulator and its timers go with it).
    m_refresh->stop();
    if (m_simulator && (m_phase == Phase::Running || m_phase == Phase::Stopping)) m_simulator->stop();
    QDialog::closeEvent(event);
}

} // namespace mf::ui
