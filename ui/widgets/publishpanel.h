#pragma once

#include "core/entities.h"

#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace mf::ui {

class Session;

// "Send a message" beside the live table: as one of the channel's connected things (its key is used, never shown),
// to a subtopic, with a content type and a payload (a SenML template to start from), over HTTP, WebSocket, MQTT or
// CoAP (the adapters' ports as Session::devicePort tells them). The result appears
// inline; the message itself arrives in the table like any other. The Send button says next to it why it is
// disabled (no thing chosen, a payload that is not the JSON its content type needs).
class PublishPanel final : public QWidget
{
    Q_OBJECT

public:
    PublishPanel(Session *session, const QString &channelId, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(PublishPanel)

    // The channel's connected things (the ones that may publish to it).
    void setThings(const QList<Thing> &things);
    QComboBox *thingBox() const { return m_thing; }
    QLineEdit *subtopicEdit() const { return m_subtopic; }
    QComboBox *contentTypeBox() const { return m_contentType; }
    // "http", "ws", "mqtt" or "coap".
    QComboBox *protocolBox() const { return m_protocol; }
    QPlainTextEdit *payloadEdit() const { return m_payload; }
    QPushButton *sendButton() const { return m_send; }
    QString hintText() const;
    QString resultText() const;
    void fillSenmlTemplate();
    // What was last chosen and typed (thing id, subtopic, content type, payload; never the key), kept per channel
    // with the live tab's state.
    QJsonObject state() const;
    void restoreState(const QJsonObject &state);

Q_SIGNALS:
    void sent();

private:
    void updateState();
    void send();

    Session *m_session;
    QString m_channelId;
    QComboBox *m_thing;
    QLineEdit *m_subtopic;
    QComboBox *m_contentType;
    QComboBox *m_protocol;
    QPlainTextEdit *m_payload;
    QPushButton *m_send;
    QLabel *m_hint;
    QLabel *m_result;
    bool m_sending = false;
    QString m_wantedThing; // restored before the things were listed
};

} // namespace mf::ui
