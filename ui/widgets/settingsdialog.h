#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;

namespace mf::ui {

// Ctrl+, : where tokens are kept (automatic / keychain / file), whether the bundled backend keeps running after the
// dashboard closes, its REST, WebSocket, MQTT, MQTT-over-WebSocket and CoAP ports, and the language. Values come in
// and go out; the caller stores them (the ports under backendPortKey).
class SettingsDialog final : public QDialog
{
    Q_OBJECT

public:
    struct Values
    {
        QString tokenStore = QStringLiteral("automatic"); // automatic | keychain | file
        bool keepBackendRunning = false;
        QString language; // empty: the system's
        int backendHttpPort = 8180; // the bundled backend's REST port (used from its next start)
        // Its adapters' ports (used from its next start; 0: any free port).
        int backendWsPort = 8186;
        int backendMqttPort = 1883;
        int backendCoapPort = 5683;
        int backendMqttWsPort = 8880;
    };

    explicit SettingsDialog(const Values &values, const QString &tokenNotice, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(SettingsDialog)
    Values values() const;

private:
    QComboBox *m_tokenStore;
    QCheckBox *m_keep;
    QComboBox *m_language;
    QSpinBox *m_port;
    QSpinBox *m_wsPort;
    QSpinBox *m_mqttPort;
    QSpinBox *m_coapPort;
    QSpinBox *m_mqttWsPort;
};

// Where the settings keep a port of the bundled backend (BackendProcess::portNames: "http", "mqtt_ws" …):
// "backend/httpPort", "backend/mqttWsPort" ….
QString backendPortKey(const QString &portName);

} // namespace mf::ui
