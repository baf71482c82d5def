#pragma once

#include <QDialog>
#include <QPointer>
#include <memory>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTimer;

namespace mf::client {
class Simulator;
}

namespace mf::ui {

class Banner;
class BusyIndicator;
class Session;

// "Simulate devices…": virtual things that publish realistic SenML on a new channel, for labs and demos (the
// dashboard's face of client::Simulator, the core of `mainflux-cli simulate`). The operator picks how many things,
// the rate, the protocol (over the adapters' ports as Session::devicePort tells them), the pattern, dropouts and a
// share of invalid packs, and an optional count. Start provisions without blocking (a busy indicator, then the
// counts of sent / accepted / refused / failed messages live, four times a second, and the channel with a button to
// its live view); Stop ends the run, and then the things and the channel can be deleted with one button.
//
// Closing the dialog (or the window, or signing out) stops a run: the simulator and its timers go with the dialog;
// things not deleted stay as ordinary things. Ownership: the simulator is owned by the dialog.
class SimulateDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit SimulateDialog(Session *session, QWidget *parent = nullptr);
    ~SimulateDialog() override;
    Q_DISABLE_COPY_MOVE(SimulateDialog)

    QSpinBox *thingsBox() const { return m_things; }
    QDoubleSpinBox *rateBox() const { return m_rate; }
    // "http", "ws", "mqtt" or "coap" as item data.
    QComboBox *protocolBox() const { return m_protocol; }
    // "sine", "walk" or "steps" as item data.
    QComboBox *patternBox() const { return m_pattern; }
    QDoubleSpinBox *dropoutBox() const { return m_dropout; } // percent
    QDoubleSpinBox *invalidBox() const { return m_invalid; } // percent
    QSpinBox *countBox() const { return m_count; }           // 0: until stopped
    QPushButton *startButton() const { return m_start; }
    QPushButton *stopButton() const { return m_stop; }
    QPushButton *liveButton() const { return m_live; }
    QPushButton *cleanUpButton() const { return m_cleanUp; }
    QString hintText() const;
    QString statusText() const;
    QString errorText() const;
    // The counts as shown: "sent", "accepted", "refused", "failed".
    QString shownCount(const QString &which) const;
    // The run's simulator (null before the first Start and after clean-up).
    const client::Simulator *simulator() const { return m_simulator.get(); }

    void start();
    void stop();
    void cleanUp();

Q_SIGNALS:
    // "Open live view": the main window shows the channel on the Live page.
    void openLive(const QString &channelId);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void updateState();
    void showCounts();
    void onFinished();

    Session *m_session;
    QSpinBox *m_things;
    QDoubleSpinBox *m_rate;
    QComboBox *m_protocol;
    QComboBox *m_pattern;
    QDoubleSpinBox *m_dropout;
    QDoubleSpinBox *m_invalid;
    QSpinBox *m_count;
    Banner *m_error;
    BusyIndicator *m_busy;
    QLabel *m_status;
    QLabel *m_channel;
    QLabel *m_sent, *m_accepted, *m_refused, *m_failed;
    QLabel *m_hint;
    QPushButton *m_start, *m_stop, *m_live, *m_cleanUp;
    QTimer *m_refresh;
    std::unique_ptr<client::Simulator> m_simulator;
    enum class Phase { Idle, Provisioning, Running, Stopping, Finished, CleaningUp } m_phase = Phase::Idle;
};

} // namespace mf::ui
