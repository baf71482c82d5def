#include "publishpanel.h"

#include "client/devicepublisher.h"
#include "client/restclient.h"
#include "models/session.h"

#include <QComboBox>
#include <QFormLayout>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTime>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

namespace {
constexpr int KeyRole = Qt::UserRole + 1; // the thing's key: used to send, never shown
}

PublishPanel::PublishPanel(Session *session, const QString &channelId, QWidget *parent)
    : QWidget(parent), m_session(session), m_channelId(channelId), m_thing(new QComboBox(this)),
      m_subtopic(new QLineEdit(this)), m_contentType(new QComboBox(this)), m_protocol(new QComboBox(this)),
      m_payload(new QPlainTextEdit(this)), m_send(new QPushButton(this)), m_hint(new QLabel(this)),
      m_result(new QLabel(this))
{
    setObjectName(u"publishPanel"_s);
    m_thing->setPlaceholderText(tr("Choose a connected thing"));
    m_subtopic->setPlaceholderText(tr("optional, e.g. room1/temp"));
    m_contentType->setEditable(true);
    m_contentType->addItems({u"application/senml+json"_s, u"application/json"_s, u"text/plain"_s});
    m_protocol->setObjectName(u"publishProtocol"_s);
    m_protocol->addItem(u"HTTP"_s, u"http"_s);
    m_protocol->addItem(u"WebSocket"_s, u"ws"_s);
    m_protocol->addItem(u"MQTT"_s, u"mqtt"_s);
    m_protocol->addItem(u"CoAP"_s, u"coap"_s);
    m_protocol->setToolTip(tr("The adapter the message goes through, as a device of that protocol would send it"));
    m_payload->setObjectName(u"publishPayload"_s);
    m_payload->setTabChangesFocus(true);
    auto *senml = new QPushButton(tr("SenML template"), this);
    senml->setToolTip(tr("A SenML record named after the chosen thing; the server adds the time"));
    m_hint->setWordWrap(true);
    m_hint->setObjectName(u"submitHint"_s);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    form->addRow(tr("As thing:"), m_thing);
    form->addRow(tr("Subtopic:"), m_subtopic);
    form->addRow(tr("Content type:"), m_contentType);
    form->addRow(tr("Over:"), m_protocol);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 0, 6, 6); // not flush with the window's edge
    layout->addWidget(new QLabel(tr("<b>Send a test message</b>"), this));
    layout->addLayout(form);
    layout->addWidget(m_payload, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(senml);
    buttons->addStretch();
    buttons->addWidget(m_send);
    // The texts above the buttons, so the buttons stay where they are when a text grows or shrinks (below them, a
    // two-line result moved Send away from under the pointer).
    layout->addWidget(m_hint);
    layout->addWidget(m_result);
    layout->addLayout(buttons);

    connect(senml, &QPushButton::clicked, this, &PublishPanel::fillSenmlTemplate);
    connect(m_send, &QPushButton::clicked, this, &PublishPanel::send);
    connect(m_thing, &QComboBox::currentIndexChanged, this, &PublishPanel::updateState);
    connect(m_contentType, &QComboBox::currentTextChanged, this, &PublishPanel::updateState);
    connect(m_protocol, &QComboBox::currentIndexChanged, this, &PublishPanel::updateState);
    connect(m_payload, &QPlainTextEdit::textChanged, this, &PublishPanel::updateState);
    updateState();
}

void PublishPanel::setThings(const QList<Thing> &things)
{
    const QString current = m_wantedThing.isEmpty() ? m_thing->currentData().toString() : m_wantedThing;
    m_thing->clear();
    for (const Thing &thing : things) {
        m_thing->addItem(thing.name.isEmpty() ? thing.id : thing.name, thing.id);
        m_thing->setItemData(m_thing->count() - 1, thing.key, KeyRole);
        m_thing->setItemData(m_thing->count() - 1, tr("Thing %1").arg(thing.id), Qt::ToolTipRole);
    }
    m_thing->setCurrentIndex(m_thing->findData(current));
    if (m_thing->currentIndex() >= 0) m_wantedThing.clear();
    if (m_thing->currentIndex() < 0 && m_thing->count() == 1) m_thing->setCurrentIndex(0);
    updateState();
}

QJsonObject PublishPanel::state() const
{
    const QString thing = m_thing->currentIndex() >= 0 ? m_thing->currentData().toString() : m_wantedThing;
    return QJsonObject{{u"thing"_s, thing},
                       {u"subtopic"_s, m_subtopic->text()},
                       {u"content_type"_s, m_contentType->currentText()},
                       {u"protocol"_s, m_protocol->currentData().toString()},
                       {u"payload"_s, m_payload->toPlainText()}};
}

void PublishPanel::restoreState(const QJsonObject &state)
{
    m_wantedThing = state.value("thing"_L1).toString();
    if (const int at = m_thing->findData(m_wantedThing); at >= 0) {
        m_thing->setCurrentIndex(at);
        m_wantedThing.clear();
    }
    m_subtopic->setText(state.value("subtopic"_L1).toString());
    if (state.contains("content_type"_L1)) m_contentType->setCurrentText(state.value("content_type"_L1).toString());
    m_payload->setPlainText(state.value("payload"_L1).toString());
    if (const int at = m_protocol->findData(state.value("protocol"_L1).toString()); at >= 0)
        m_protocol->setCurrentIndex(at);
}

QString PublishPanel::hintText() const
{
    return m_hint->text();
}

QString PublishPanel::resultText() const
{
    return m_result->text();
}

void PublishPanel::fillSenmlTemplate()
{
    const QString name = m_thing->currentIndex() >= 0 ? m_thing->currentText() : u"device"_s;
    m_contentType->setCurrentText(u"application/senml+json"_s);
    m_payload->setPlainText(u"[{\"bn\": \"%1:\", \"n\": \"temp\", \"u\": \"Cel\", \"v\": 21.5}]"_s.arg(name));
}

void PublishPanel::updateState()
{
    QString why;
    const QString type = m_contentType->currentText().trimmed();
    if (m_thing->count() == 0)
        why = tr("No thing is connected to this channel: connect one on the Channels page.");
    else if (m_thing->currentIndex() < 0)
        why = tr("Choose the thing to send as.");
    else if (type.isEmpty())
        why = tr("Enter a content type.");
    else if (m_payload->toPlainText().trimmed().isEmpty())
        why = tr("Enter a payload, or start from the SenML template.");
    else if (type.contains(u"json"_s)) {
        QJsonParseError error;
        QJsonDocument::fromJson(m_payload->toPlainText().toUtf8(), &error);
        if (error.error != QJsonParseError::NoError)
            why = tr("The payload is not valid JSON (%1 at character %2).").arg(error.errorString()).arg(error.offset);
    }
    const QString protocol = m_protocol->currentData().toString();
    if (why.isEmpty() && protocol != u"http"_s && m_session->devicePort(protocol) <= 0)
        why = tr("This backend runs without the %1 adapter.").arg(m_protocol->currentText());
    if (m_sending) why = tr("Sending…");
    m_send->setText(tr("Send over %1").arg(m_protocol->currentText()));
    m_hint->setText(why);
    m_send->setEnabled(why.isEmpty());
}

void PublishPanel::send()
{
    client::RestClient *client = m_session->client();
    if (!m_send->isEnabled() || !client) return;
    m_sending = true;
    m_result->clear();
    updateState();
    const QString thing = m_thing->currentText();
    const QString protocol = m_protocol->currentData().toString();
    const QString over = m_protocol->currentText();
    const QByteArray payload = m_payload->toPlainText().toUtf8();
    client::DeviceTarget target{m_session->endpointHost(),
                                m_session->devicePort(protocol),
                                m_channelId,
                                m_subtopic->text().trimmed(),
                                m_thing->currentData().toString(),
                                m_thing->currentData(KeyRole).toString(),
                                m_contentType->currentText().trimmed()};
    target.tls = m_session->devicesUseTls();
    target.trust = m_session->deviceTrust(protocol); // that port's own certificate when it has one
    client::Pending<void> pending;
    if (protocol == u"ws"_s)
        pending = client::publishOverWebSocket(target, payload);
    else if (protocol == u"mqtt"_s)
        pending = client::publishOverMqtt(target, payload);
    else if (protocol == u"coap"_s)
        pending = client::publishOverCoap(target, payload);
    else
        pending = client->sendMessage(m_channelId, target.subtopic, target.contentType, payload, target.thingKey);
    pending.then(this, [this, thing, over](const Result<void> &result) {
        m_sending = false;
        updateState();
        if (!result) {
            m_result->setText(tr("Not sent over %1: %2").arg(over, result.error().message));
            return;
        }
        m_result->setText(tr("Sent over %1 as %2 at %3.")
                              .arg(over, thing, QLocale().toString(QTime::currentTime(), QLocale::ShortFormat)));
        Q_EMIT sent();
    });
}

} // namespace mf::ui
