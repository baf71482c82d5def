#include "ruledialog.h"

#include "client/restclient.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

namespace {

QDoubleSpinBox *valueBox(QWidget *parent)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setRange(-1e9, 1e9);
    box->setDecimals(3);
    return box;
}

QSpinBox *secondsBox(QWidget *parent, int minimum)
{
    auto *box = new QSpinBox(parent);
    box->setRange(minimum, 86'400); // the server refuses more than a day
    box->setSuffix(QObject::tr(" s"));
    return box;
}

} // namespace

RuleDialog::RuleDialog(client::RestClient *client, QWidget *parent)
    : QDialog(parent), m_client(client), m_label(new QLineEdit(this)), m_channel(new QComboBox(this)),
      m_name(new QComboBox(this)), m_condition(new QComboBox(this)), m_threshold(valueBox(this)),
      m_low(valueBox(this)), m_high(valueBox(this)), m_nodata(secondsBox(this, 1)), m_hold(secondsBox(this, 0)),
      m_hysteresis(valueBox(this)), m_notify(new QComboBox(this)), m_form(new QFormLayout), m_problem(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("New alert rule"));
    m_name->setEditable(true);
    m_name->setToolTip(tr("The SenML name to watch (base name and name together, e.g. boiler:temp)"));
    m_condition->addItem(tr("above"), u"above"_s);
    m_condition->addItem(tr("below"), u"below"_s);
    m_condition->addItem(tr("outside a band"), u"outside"_s);
    m_condition->addItem(tr("no data for"), u"nodata"_s);
    m_high->setValue(100);
    m_nodata->setValue(300);
    m_hysteresis->setMinimum(0);
    m_hysteresis->setToolTip(tr("How far the value must come back before the alert clears (stops flapping)"));
    m_hold->setToolTip(tr("How long the condition must hold before the alert fires"));
    m_label->setPlaceholderText(tr("e.g. boiler too hot"));
    m_notify->setToolTip(tr("Alerts are also published on this channel as SenML (subtopic \"alerts\"), so devices "
                            "and apps receive them over any protocol"));
    m_problem->setObjectName(u"ruleProblem"_s);
    m_problem->setWordWrap(true);

    m_form->addRow(tr("Channel:"), m_channel);
    m_form->addRow(tr("Value:"), m_name);
    m_form->addRow(tr("Condition:"), m_condition);
    m_form->addRow(tr("Threshold:"), m_threshold);
    m_form->addRow(tr("Low:"), m_low);
    m_form->addRow(tr("High:"), m_high);
    m_form->addRow(tr("No data for:"), m_nodata);
    m_form->addRow(tr("Hold:"), m_hold);
    m_form->addRow(tr("Hysteresis:"), m_hysteresis);
    m_form->addRow(tr("Publish alerts on:"), m_notify);
    m_form->addRow(tr("Rule name:"), m_label);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    m_create = m_buttons->addButton(tr("Create"), QDialogButtonBox::AcceptRole);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &RuleDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(m_channel, &QComboBox::currentIndexChanged, this, &RuleDialog::loadNames);
    connect(m_name, &QComboBox::currentTextChanged, this, [this](const QString &name) {
        // The value the device sent last is a starting point for the threshold.
        if (m_lastValues.contains(name)) m_threshold->setValue(m_lastValues.value(name));
        updateForm();
    });
    connect(m_condition, &QComboBox::currentIndexChanged, this, &RuleDialog::updateForm);
    for (QDoubleSpinBox *box : {m_low, m_high, m_hysteresis})
        connect(box, &QDoubleSpinBox::valueChanged, this, &RuleDialog::updateForm);
    updateForm();
    loadChannels();
}

void RuleDialog::loadChannels()
{
    PageQuery query;
    query.limit = 100;
    query.order = u"name"_s;
    m_client->channels(query).then(this, [this](const Result<Page<Channel>> &page) {
        if (!page) {
            m_problem->setText(tr("Channels could not be read: %1").arg(page.error().message));
            return;
        }
        m_notify->addItem(tr("(none)"), QString());
        for (const Channel &channel : page->items) {
            const QString label = channel.name.isEmpty() ? channel.id : channel.name;
            m_channel->addItem(label, channel.id);
            m_notify->addItem(label, channel.id);
        }
        if (page->items.isEmpty()) m_ready = true;
        updateForm();
    });
}

void RuleDialog::loadNames()
{
    const QString channelId = m_channel->currentData().toString();
    m_name->clear();
    m_lastValues.clear();
    if (channelId.isEmpty()) return;
    m_client->latestOfChannel(channelId).then(this, [this, channelId](const Result<QJsonObject> &latest) {
        if (m_channel->currentData().toString() != channelId) return; // another channel was chosen meanwhile
        if (latest) {
            for (const QJsonValue &v : latest->value("values"_L1).toArray()) {
                const QJsonObject record = v.toObject();
                const QString name = record.value("name"_L1).toString();
                if (name.isEmpty() || m_lastValues.contains(name) || !record.value("value"_L1).isDouble()) continue;
                m_lastValues.insert(name, record.value("value"_L1).toDouble());
                m_name->addItem(name);
            }
        }
        m_ready = true;
        updateForm();
    });
}

QJsonObject RuleDialog::rule() const
{
    const QString condition = m_condition->currentData().toString();
    QJsonObject rule{{u"channel"_s, m_channel->currentData().toString()},
                     {u"senml_name"_s, m_name->currentText().trimmed()},
                     {u"condition"_s, condition},
                     {u"hold_seconds"_s, m_hold->value()}};
    if (condition == "above"_L1 || condition == "below"_L1) rule.insert(u"threshold"_s, m_threshold->value());
    if (condition == "outside"_L1) {
        rule.insert(u"low"_s, m_low->value());
        rule.insert(u"high"_s, m_high->value());
    }
    if (condition == "nodata"_L1) rule.insert(u"nodata_seconds"_s, m_nodata->value());
    else if (m_hysteresis->value() > 0) rule.insert(u"hysteresis"_s, m_hysteresis->value());
    if (const QString notify = m_notify->currentData().toString(); !notify.isEmpty())
        rule.insert(u"notify_channel"_s, notify);
    if (const QString label = m_label->text().trimmed(); !label.isEmpty()) rule.insert(u"name"_s, label);
    return rule;
}

QString RuleDialog::problem() const
{
    const QString condition = m_condition->currentData().toString();
    if (m_channel->count() == 0) return tr("Create a channel first: a rule watches the values of one channel.");
    if (m_name->currentText().trimmed().isEmpty())
        return m_name->count() == 0 ? tr("Enter the name of the value to watch (nothing was sent on this channel yet).")
                                    : tr("Choose the value to watch.");
    if (condition == "outside"_L1 && m_low->value() >= m_high->value()) return tr("Low must be below high.");
    if (condition == "outside"_L1 && m_hysteresis->value() * 2 >= m_high->value() - m_low->value())
        return tr("The hysteresis must be less than half the band.");
    return {};
}

void RuleDialog::updateForm()
{
    const QString condition = m_condition->currentData().toString();
    m_form->setRowVisible(m_threshold, condition == "above"_L1 || condition == "below"_L1);
    m_form->setRowVisible(m_low, condition == "outside"_L1);
    m_form->setRowVisible(m_high, condition == "outside"_L1);
    m_form->setRowVisible(m_nodata, condition == "nodata"_L1);
    m_form->setRowVisible(m_hysteresis, condition != "nodata"_L1);
    const QString why = problem();
    createButton()->setEnabled(why.isEmpty());
    createButton()->setToolTip(why);
    m_problem->setText(why);
}

void RuleDialog::submit()
{
    if (!problem().isEmpty()) return;
    createButton()->setEnabled(false);
    m_problem->setText(tr("Creating…"));
    m_client->createRule(rule()).then(this, [this](const Result<QJsonObject> &created) {
        if (!created) {
            // Everything stays as typed: the user fixes what the server named.
            m_problem->setText(tr("The server refused the rule: %1").arg(created.error().message));
            createButton()->setEnabled(true);
            return;
        }
        m_created = *created;
        accept();
    });
}

} // namespace mf::ui
