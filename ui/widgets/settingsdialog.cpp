#include "settingsdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

SettingsDialog::SettingsDialog(const Values &values, const QString &tokenNotice, QWidget *parent)
    : QDialog(parent), m_tokenStore(new QComboBox(this)),
      m_keep(new QCheckBox(tr("Keep the bundled backend running after the dashboard closes"), this)),
      m_language(new QComboBox(this)), m_port(new QSpinBox(this)), m_wsPort(new QSpinBox(this)),
      m_mqttPort(new QSpinBox(this)), m_coapPort(new QSpinBox(this)), m_mqttWsPort(new QSpinBox(this))
{
    setWindowTitle(tr("Settings"));
    m_tokenStore->addItem(tr("System keychain, a private file when unavailable"), u"automatic"_s);
    m_tokenStore->addItem(tr("System keychain only"), u"keychain"_s);
    m_tokenStore->addItem(tr("Private file only (readable by you alone)"), u"file"_s);
    m_tokenStore->setCurrentIndex(std::max(0, m_tokenStore->findData(values.tokenStore)));
    m_keep->setChecked(values.keepBackendRunning);
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(u"English"_s, u"en"_s);
    m_language->addItem(u"Deutsch"_s, u"de"_s);
    m_language->setCurrentIndex(std::max(0, m_language->findData(values.language)));
    m_port->setObjectName(u"backendHttpPort"_s);
    m_port->setRange(1, 65535);
    m_port->setValue(values.backendHttpPort);
    m_port->setToolTip(tr("The REST API of the backend on this computer (http://127.0.0.1:port); used from its next "
                          "start"));
    const auto setUpPort = [](QSpinBox *box, const QString &name, int value, const QString &tip) {
        box->setObjectName(name);
        box->setRange(0, 65535);
        box->setSpecialValueText(tr("any free port"));
        box->setValue(value);
        box->setToolTip(tip);
    };
    setUpPort(m_wsPort, u"backendWsPort"_s, values.backendWsPort,
              tr("WebSocket adapter of the backend on this computer (ws://127.0.0.1:port); used from its next start"));
    setUpPort(m_mqttPort, u"backendMqttPort"_s, values.backendMqttPort,
              tr("MQTT broker of the backend on this computer (TCP); used from its next start"));
    setUpPort(m_coapPort, u"backendCoapPort"_s, values.backendCoapPort,
              tr("CoAP adapter of the backend on this computer (UDP); used from its next start"));
    setUpPort(m_mqttWsPort, u"backendMqttWsPort"_s, values.backendMqttWsPort,
              tr("MQTT over WebSocket of the backend on this computer (ws://127.0.0.1:port/mqtt); used from its next "
                 "start"));
    auto *notice = new QLabel(tokenNotice, this);
    notice->setWordWrap(true);
    notice->setVisible(!tokenNotice.isEmpty());
    auto *form = new QFormLayout;
    form->addRow(tr("Store sign-in tokens in:"), m_tokenStore);
    form->addRow(QString(), notice);
    form->addRow(QString(), m_keep);
    form->addRow(tr("REST port of the bundled backend:"), m_port);
    form->addRow(tr("WebSocket port:"), m_wsPort);
    form->addRow(tr("MQTT port:"), m_mqttPort);
    form->addRow(tr("MQTT over WebSocket port:"), m_mqttWsPort);
    form->addRow(tr("CoAP port (UDP):"), m_coapPort);
    form->addRow(tr("Language (after restart):"), m_language);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

SettingsDialog::Values SettingsDialog::values() const
{
    return Values{m_tokenStore->currentData().toString(),
                  m_keep->isChecked(),
                  m_language->currentData().toString(),
                  m_port->value(),
                  m_wsPort->value(),
                  m_mqttPort->value(),
                  m_coapPort->value(),
                  m_mqttWsPort->value()};
}

QString backendPortKey(const QString &portName)
{
    QString key = portName;
    for (qsizetype at = key.indexOf(u'_'); at >= 0 && at + 1 < key.size(); at = key.indexOf(u'_'))
        key.replace(at, 2, key.at(at + 1).toUpper());
    return u"backend/%1Port"_s.arg(key);
}

} // namespace mf::ui
