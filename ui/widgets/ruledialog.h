#pragma once

#include <QDialog>
#include <QJsonObject>

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace mf::client {
class RestClient;
}

namespace mf::ui {

// "New alert rule": a channel of the user's, the SenML name to watch (offered from the channel's last values), a
// condition (above, below, outside a band, no data), hold time, hysteresis, an optional channel to publish the
// alerts on. Creating sends POST /rules itself: a server refusal is shown in the dialog, which stays open with
// everything as typed. The Create button says inline why it is disabled.
class RuleDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit RuleDialog(client::RestClient *client, QWidget *parent = nullptr);

    // The rule as POST /rules takes it.
    QJsonObject rule() const;
    // Why Create is disabled; empty when the form is complete.
    QString problem() const;
    QJsonObject created() const { return m_created; } // the server's rule once created

    QComboBox *channelBox() const { return m_channel; }
    QComboBox *nameBox() const { return m_name; }
    QComboBox *conditionBox() const { return m_condition; }
    QDoubleSpinBox *thresholdBox() const { return m_threshold; }
    QDoubleSpinBox *lowBox() const { return m_low; }
    QSpinBox *holdBox() const { return m_hold; }
    QLabel *problemLabel() const { return m_problem; }
    QPushButton *createButton() const { return m_create; }
    // True once the channels (and the first channel's names) are loaded.
    bool isReady() const { return m_ready; }

private:
    void loadChannels();
    void loadNames();
    void updateForm();
    void submit();

    client::RestClient *m_client;
    QLineEdit *m_label;
    QComboBox *m_channel;
    QComboBox *m_name;
    QComboBox *m_condition;
    QDoubleSpinBox *m_threshold;
    QDoubleSpinBox *m_low;
    QDoubleSpinBox *m_high;
    QSpinBox *m_nodata;
    QSpinBox *m_hold;
    QDoubleSpinBox *m_hysteresis;
    QComboBox *m_notify;
    QFormLayout *m_form;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
    QPushButton *m_create = nullptr;
    QHash<QString, double> m_lastValues; // name → last value on the chosen channel
    QJsonObject m_created;
    bool m_ready = false;
};

} // namespace mf::ui
