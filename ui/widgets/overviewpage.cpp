#include "overviewpage.h"

#include "client/backendprocess.h"
#include "client/restclient.h"
#include "common.h"
#include "models/session.h"

#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
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
    : DashboardPage(session, parent), m_things(bigNumber(this)), m_channels(bigNumber(this)),
      m_health(new QLabel(this)), m_services(new QLabel(this)), m_endpointsBox(new QGroupBox(tr("Endpoints"), this)),
      m_endpoints(new QFormLayout(m_endpointsBox))
{
    setObjectName(u"overviewPage"_s);
    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("Refresh"), this, &OverviewPage::refresh)
        ->setToolTip(tr("Reload (F5)"));

    auto *counts = new QGroupBox(tr("Your platform"), this);
    auto *grid = new QGridLayout(counts);
    grid->addWidget(m_things, 0, 0, Qt::AlignHCenter);
    grid->addWidget(m_channels, 0, 1, Qt::AlignHCenter);
    grid->addWidget(new QLabel(tr("things"), counts), 1, 0, Qt::AlignHCenter);
    grid->addWidget(new QLabel(tr("channels"), counts), 1, 1, Qt::AlignHCenter);

    auto *status = new QGroupBox(tr("Services"), this);
    auto *statusLayout = new QFormLayout(status);
    statusLayout->addRow(tr("Health:"), m_health);
    statusLayout->addRow(tr("Running:"), m_services);
    m_services->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar);
    auto *body = new QVBoxLayout;
    body->setContentsMargins(12, 12, 12, 12);
    body->addWidget(counts);
    body->addWidget(status);
    body->addWidget(m_endpointsBox);
    body->addStretch();
    layout->addLayout(body, 1);
    connect(session, &Session::healthChanged, this, &OverviewPage::refresh);
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

    while (m_endpoints->rowCount() > 0)
        m_endpoints->removeRow(0);
    if (s->client()) {
        const QString rest = s->client()->baseUrl().toString();
        addEndpoint(tr("REST API"), rest);
        addEndpoint(tr("HTTP publishing"), rest + u"/http/channels/<channel id>/messages"_s);
        const QString host = s->endpointHost();
        const auto port = [s](const char *name) { return s->endpointPort(QString::fromLatin1(name)); };
        // A remote server does not announce its ports: those are the protocols' defaults, and the label says so.
        const bool local = s->profile().isLocal();
        const auto label = [local](const QString &text, bool known = false) {
            return local || known ? text : tr("%1 (default port)").arg(text);
        };
        if (port("ws") > 0)
            addEndpoint(label(tr("WebSocket"), !s->profile().liveUrl.isEmpty()),
                        u"ws://%1:%2/channels/<channel id>/messages"_s.arg(host).arg(port("ws")));
        if (port("mqtt") > 0) addEndpoint(label(tr("MQTT")), u"mqtt://%1:%2"_s.arg(host).arg(port("mqtt")));
        if (port("mqtt_ws") > 0)
            addEndpoint(label(tr("MQTT over WebSocket")), u"ws://%1:%2/mqtt"_s.arg(host).arg(port("mqtt_ws")));
        if (port("coap") > 0)
            addEndpoint(label(tr("CoAP")),
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
    s->client()->channels(one).then(this, [this](const Result<Page<Channel>> &page) {
        m_channels->setText(page ? QLocale().toString(page->total) : u"?"_s);
        m_channels->setToolTip(page ? QString() : page.error().message);
    });
}

} // namespace mf::ui
