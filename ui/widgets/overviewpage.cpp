#include "overviewpage.h"

#include "attentionlists.h"
#include "client/backendprocess.h"
#include "client/livestream.h"
#include "client/restclient.h"
#include "common.h"
#include "models/session.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QFormLayout>
#include <QLineSeries>
#include <QTimer>
#include <QValueAxis>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QGroupBox>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QStyle>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

namespace {
QLabel *bigNumber(QWidget *parent)
{
    auto *label = new QLabel(u"–"_s, parent);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 2.2);
    font.setBold(true);
    label->setFont(font);
    return label;
}
} // namespace

OverviewPage::OverviewPage(Session *session, QWidget *parent)
    : DashboardPage(session, parent), m_things(bigNumber(this)), m_online(bigNumber(this)),
      m_channels(bigNumber(this)),
      m_connections(bigNumber(this)), m_rateLabel(bigNumber(this)), m_rateSeries(new QLineSeries(this)),
      m_sampleTimer(new QTimer(this)),
      m_health(new QLabel(this)), m_services(new QLabel(this)), m_endpointsBox(new QGroupBox(tr("Endpoints"), this)),
      m_endpoints(new QFormLayout(m_endpointsBox)), m_offline(new RecentlyOfflineBox(session, this)),
      m_alerts(new ActiveAlertsBox(session, this)), m_statusDelay(new QTimer(this))
{
    setObjectName(u"overviewPage"_s);
    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("Refresh"), this, &OverviewPage::refresh)
        ->setToolTip(tr("Reload (F5)"));

    auto *counts = new QGroupBox(tr("Your platform"), this);
    auto *grid = new QGridLayout(counts);
    const std::pair<QLabel *, QString> numbers[] = {{m_things, tr("things")},
                                                    {m_online, tr("online")},
                                                    {m_channels, tr("channels")},
                                                    {m_connections, tr("connections")},
                                                    {m_rateLabel, tr("messages/s")}};
    for (int column = 0; column < int(std::size(numbers)); ++column) {
        grid->addWidget(numbers[column].first, 0, column, Qt::AlignHCenter);
        grid->addWidget(new QLabel(numbers[column].second, counts), 1, column, Qt::AlignHCenter);
    }
    m_online->setObjectName(u"onlineCount"_s);
    // The last two minutes of messages per second, sampled every 2 s from /health.
    auto *chart = new QChart;
    chart->legend()->hide();
    chart->setMargins(QMargins(0, 0, 0, 0));
    chart->setBackgroundRoundness(0);
    chart->addSeries(m_rateSeries);
    auto *xAxis = new QValueAxis(chart);
    xAxis->setRange(0, 60);
    xAxis->setVisible(false);
    auto *yAxis = new QValueAxis(chart);
    yAxis->setRange(0, 10);
    yAxis->setLabelFormat(u"%.0f"_s);
    yAxis->setTickCount(3);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    m_rateSeries->attachAxis(xAxis);
    m_rateSeries->attachAxis(yAxis);
    auto *chartView = new QChartView(chart, counts);
    chartView->setObjectName(u"rateChart"_s);
    chartView->setMinimumHeight(120); // shorter, and the value labels are elided to "…"
    chartView->setRenderHint(QPainter::Antialiasing);
    grid->addWidget(chartView, 2, 0, 1, int(std::size(numbers)));
    m_sampleTimer->setInterval(2000);
    connect(m_sampleTimer, &QTimer::timeout, this, &OverviewPage::sample);

    auto *status = new QGroupBox(tr("Services"), this);
    auto *statusLayout = new QFormLayout(status);
    statusLayout->addRow(tr("Health:"), m_health);
    statusLayout->addRow(tr("Running:"), m_services);
    m_services->setWordWrap(true);
    m_health->setWordWrap(true);
    statusLayout->setRowWrapPolicy(QFormLayout::WrapLongRows);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar);
    // What needs attention and whether the services answer side by side; the page scrolls rather than forcing the
    // window taller than the screen.
    auto *content = new QWidget;
    auto *body = new QVBoxLayout(content);
    body->setContentsMargins(12, 12, 12, 12);
    body->addWidget(counts);
    auto *attention = new QHBoxLayout;
    attention->addWidget(m_offline, 3);
    attention->addWidget(m_alerts, 3);
    attention->addWidget(status, 2);
    body->addLayout(attention);
    body->addWidget(m_endpointsBox);
    body->addStretch();
    auto *scroll = new QScrollArea(this);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(content);
    layout->addWidget(scroll, 1);
    connect(session, &Session::healthChanged, this, &OverviewPage::refreshCounts);
    connect(session, &Session::clusterChanged, this, &OverviewPage::refreshCounts); // announced ports

    // What needs attention follows the event stream; while it is closed, a visible page asks every 10 s.
    connect(m_offline, &RecentlyOfflineBox::thingActivated, this, &OverviewPage::openThing);
    connect(m_alerts, &ActiveAlertsBox::alertActivated, this, &OverviewPage::openAlert);
    m_statusDelay->setSingleShot(true);
    m_statusDelay->setInterval(300);
    connect(m_statusDelay, &QTimer::timeout, m_offline, &RecentlyOfflineBox::reload);
    connect(session->events(), &client::LiveStream::frameReceived, this, &OverviewPage::onEvent);
    connect(session->events(), &client::LiveStream::stateChanged, this, [this](client::LiveStream::State state) {
        if (state != client::LiveStream::State::Open) return;
        m_offline->reload(); // what changed while it was closed
        m_alerts->reload();
    });
    auto *poll = new QTimer(this);
    poll->setInterval(10'000);
    connect(poll, &QTimer::timeout, this, [this] {
        if (!isVisible() || this->session()->events()->state() == client::LiveStream::State::Open) return;
        m_offline->reload();
        m_alerts->reload();
    });
    poll->start();
}

void OverviewPage::onEvent(const QJsonObject &event)
{
    const QString type = event.value("type"_L1).toString();
    if (type == "status"_L1) {
        m_statusDelay->start();
        // The online count moves with it, and so may the things' (a new thing's first message: the simulator's
        // five things came online beside "0 things").
        if (session()->client()) {
            PageQuery online;
            online.limit = 1;
            PageQuery all = online;
            online.status = u"online"_s;
            session()->client()->things(online).then(this, [this](const Result<Page<Thing>> &page) {
                if (page) m_online->setText(QLocale().toString(page->total));
            });
            session()->client()->things(all).then(this, [this](const Result<Page<Thing>> &page) {
                if (page) m_things->setText(QLocale().toString(page->total));
            });
        }
    } else if (type == "alerts"_L1) {
        m_alerts->reload();
    }
}

QStringList OverviewPage::endpoints() const
{
    QStringList out;
    for (int row = 0; row < m_endpoints->rowCount(); ++row) {
        auto *label = qobject_cast<QLabel *>(m_endpoints->itemAt(row, QFormLayout::LabelRole)
                                                 ? m_endpoints->itemAt(row, QFormLayout::LabelRole)->widget()
                                                 : nullptr);
        auto *field = qobject_cast<CopyField *>(m_endpoints->itemAt(row, QFormLayout::FieldRole)
                                                    ? m_endpoints->itemAt(row, QFormLayout::FieldRole)->widget()
                                                    : nullptr);
        out.append((label ? label->text() : QString()) + u' ' + (field ? field->text() : QString()));
    }
    return out;
}

QString OverviewPage::thingsCount() const
{
    return m_things->text();
}

QString OverviewPage::onlineCount() const
{
    return m_online->text();
}

QString OverviewPage::connectionsCount() const
{
    return m_connections->text();
}

QString OverviewPage::servicesText() const
{
    return m_services->text();
}

void OverviewPage::showEvent(QShowEvent *event)
{
    DashboardPage::showEvent(event);
    m_alerts->reload(); // acknowledged on the Alerts page meanwhile (no event tells)
    refreshCounts();    // things and channels made meanwhile (no event tells either)
    m_sampleTimer->start();
    sample();
}

void OverviewPage::hideEvent(QHideEvent *event)
{
    DashboardPage::hideEvent(event);
    m_sampleTimer->stop();
}

void OverviewPage::sample()
{
    if (!session()->client())
        return;
    session()->client()->health().then(this, [this](const Result<QJsonObject> &health) {
        if (health)
            showHealth(*health, true);
    });
}

void OverviewPage::showHealth(const QJsonObject &health, bool fresh)
{
    // Every part the backend reports, the children it supervises included.
    const QJsonObject services = health.value("services"_L1).toObject();
    if (!services.isEmpty()) {
        QStringList parts;
        for (auto it = services.constBegin(); it != services.constEnd(); ++it)
            parts.append(it.key() + (it.value().toString() == "pass"_L1 ? u" ✔"_s : u" ✘"_s));
        m_services->setText(parts.join(u", "_s));
    }
    const QJsonValue accepted = health.value("messages"_L1).toObject().value("accepted"_L1);
    if (!fresh || !accepted.isDouble())
        return; // an older or foreign server: no counter to derive a rate from
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_lastAccepted >= 0 && now > m_lastSampleMs && accepted.toDouble() >= m_lastAccepted) {
        m_rate = (accepted.toDouble() - m_lastAccepted) * 1000.0 / double(now - m_lastSampleMs);
        m_rateLabel->setText(QLocale().toString(m_rate, 'f', m_rate < 10 ? 1 : 0));
        m_rateSeries->append(m_samples++, m_rate);
        if (m_rateSeries->count() > 60)
            m_rateSeries->remove(0);
        auto *x = qobject_cast<QValueAxis *>(m_rateSeries->attachedAxes().value(0));
        auto *y = qobject_cast<QValueAxis *>(m_rateSeries->attachedAxes().value(1));
        double top = 10;
        for (const QPointF &p : m_rateSeries->points())
            top = qMax(top, p.y() * 1.2);
        if (x)
            x->setRange(qMax(0, m_samples - 60), qMax(60, m_samples));
        if (y)
            y->setRange(0, top);
    }
    m_lastAccepted = accepted.toDouble();
    m_lastSampleMs = now;
}

void OverviewPage::addEndpoint(const QString &label, const QString &value)
{
    auto *field = new CopyField(m_endpointsBox);
    field->setText(value);
    connect(field, &CopyField::copied, this,
            [this, label](const QString &) { Q_EMIT statusMessage(tr("%1 copied to the clipboard").arg(label)); });
    m_endpoints->addRow(label + u':', field);
}

void OverviewPage::refresh()
{
    refreshCounts();
    if (!session()->client() || session()->state() != Session::State::SignedIn) return;
    m_offline->reload();
    m_alerts->reload();
}

void OverviewPage::refreshCounts()
{
    Session *s = session();
    const bool healthy = s->isHealthy();
    m_health->setText(
        healthy
            ? tr("✔ all services answer (version %1)").arg(s->version())
            : tr("✘ not answering: %1")
                  .arg(s->health().value("error"_L1).toString(s->failure().isEmpty() ? tr("unknown") : s->failure())));
    QStringList services;
    if (s->backend() && s->profile().isLocal())
        for (const QJsonValue &v : s->backend()->readyInfo().value("services"_L1).toArray())
            services.append(v.toString());
    m_services->setText(services.isEmpty() ? tr("as reported by the server") : services.join(u", "_s));
    showHealth(s->health(), false); // the session's sample may be old: services only, no rate

    while (m_endpoints->rowCount() > 0)
        m_endpoints->removeRow(0);
    if (s->client()) {
        const QString rest = s->client()->baseUrl().toString();
        addEndpoint(tr("REST API"), rest);
        addEndpoint(tr("HTTP publishing"), rest + u"/http/channels/<channel id>/messages"_s);
        const QString host = s->endpointHost();
        const auto port = [s](const char *name) { return s->endpointPort(QString::fromLatin1(name)); };
        // A remote server announces its ports in /cluster; one that does not (Mainflux 0.7) gets the protocols'
        // defaults, and the label says so.
        const auto label = [s](const QString &text, const char *name, bool known = false) {
            return known || s->endpointKnown(QString::fromLatin1(name)) ? text : tr("%1 (default port)").arg(text);
        };
        if (port("ws") > 0)
            addEndpoint(label(tr("WebSocket"), "ws", !s->profile().liveUrl.isEmpty()),
                        u"ws://%1:%2/channels/<channel id>/messages"_s.arg(host).arg(port("ws")));
        if (port("mqtt") > 0) addEndpoint(label(tr("MQTT"), "mqtt"), u"mqtt://%1:%2"_s.arg(host).arg(port("mqtt")));
        if (port("mqtt_ws") > 0)
            addEndpoint(label(tr("MQTT over WebSocket"), "mqtt_ws"),
                        u"ws://%1:%2/mqtt"_s.arg(host).arg(port("mqtt_ws")));
        if (port("coap") > 0)
            addEndpoint(label(tr("CoAP"), "coap"),
                        u"coap://%1:%2/channels/<channel id>/messages"_s.arg(host).arg(port("coap")));
        if (s->profile().isLocal() && port("nats") > 0) addEndpoint(tr("NATS"), u"nats://127.0.0.1:%1"_s.arg(port("nats")));
    }

    if (!s->client() || s->state() != Session::State::SignedIn) return;
    PageQuery one;
    one.limit = 1;
    s->client()->things(one).then(this, [this](const Result<Page<Thing>> &page) {
        m_things->setText(page ? QLocale().toString(page->total) : u"?"_s);
        m_things->setToolTip(page ? QString() : page.error().message);
    });
    PageQuery online = one;
    online.status = u"online"_s;
    s->client()->things(online).then(this, [this](const Result<Page<Thing>> &page) {
        m_online->setText(page ? QLocale().toString(page->total) : u"?"_s);
        m_online->setToolTip(page ? tr("Things with an MQTT connection or a message within their offline-after time")
                                  : page.error().message);
    });
    s->client()->channels(one).then(this, [this](const Result<Page<Channel>> &page) {
        m_channels->setText(page ? QLocale().toString(page->total) : u"?"_s);
        m_channels->setToolTip(page ? QString() : page.error().message);
    });
    s->client()->stats().then(this, [this](const Result<QJsonObject> &stats) {
        m_connections->setText(stats ? QLocale().toString(stats->value("connections"_L1).toInteger()) : u"?"_s);
        m_connections->setToolTip(stats ? QString() : stats.error().message);
    });
}

} // namespace mf::ui
