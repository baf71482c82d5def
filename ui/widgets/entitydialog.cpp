#include "entitydialog.h"

#include "client/restclient.h"
#include "common.h"
#include "core/mediatype.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

EntityDialog::EntityDialog(Kind kind, client::RestClient *client, QWidget *parent)
    : QDialog(parent), m_kind(kind), m_client(client), m_banner(new Banner(this)), m_name(new QLineEdit(this)),
      m_type(new QComboBox(this)), m_metadata(new QPlainTextEdit(this)), m_metadataStatus(new QLabel(this)),
      m_asString(new QCheckBox(tr("Send as a string (how Mainflux 0.7 clients read it)"), this)),
      m_contentType(new QComboBox(this)), m_contentTypeStatus(new QLabel(this)),
      m_ok(new QPushButton(this)), m_hint(new QLabel(this)), m_busy(new BusyIndicator(this))
{
    setObjectName(u"entityDialog"_s);
    setWindowTitle(kind == Kind::Thing ? tr("New thing") : tr("New channel"));
    m_ok->setText(tr("Create"));
    m_ok->setDefault(true);
    m_name->setPlaceholderText(kind == Kind::Thing ? tr("e.g. boiler-7") : tr("e.g. boiler-room"));
    m_type->addItem(tr("Device"), u"device"_s);
    m_type->addItem(tr("Application"), u"app"_s);
    m_metadata->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_metadata->setPlaceholderText(u"{ \"location\": \"boiler room\" }"_s);
    m_metadata->setTabChangesFocus(true);
    m_metadataStatus->setWordWrap(true);
    m_contentType->setEditable(true);
    m_contentType->addItem(QString());
    for (const char *type : {"application/json", "text/plain", "application/octet-stream", "application/senml+json"})
        m_contentType->addItem(QString::fromLatin1(type));
    m_contentType->lineEdit()->setPlaceholderText(tr("SenML (messages that are not SenML are refused)"));
    m_contentType->setToolTip(tr("How messages that do not name a content type are read: MQTT 3.1.1 publishes, CoAP "
                                 "without Content-Format, WebSocket without content-type. Devices that send their "
                                 "own JSON need application/json."));
    m_contentTypeStatus->setWordWrap(true);
    m_hint->setObjectName(u"submitHint"_s);
    m_hint->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    if (kind == Kind::Thing) {
        form->addRow(tr("&Type:"), m_type);
        m_contentType->hide();
        m_contentTypeStatus->hide();
    } else {
        m_type->hide();
        // The reason sits under the field and takes no room while there is none.
        auto *field = new QWidget(this);
        auto *column = new QVBoxLayout(field);
        column->setContentsMargins(0, 0, 0, 0);
        column->addWidget(m_contentType);
        column->addWidget(m_contentTypeStatus);
        auto *label = new QLabel(tr("&Content type:"), this);
        label->setBuddy(m_contentType);
        form->addRow(label, field);
    }
    form->addRow(tr("&Metadata (JSON):"), m_metadata);
    form->addRow(QString(), m_metadataStatus);
    form->addRow(QString(), m_asString);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_ok, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_ok, &QPushButton::clicked, this, &EntityDialog::submit);
    connect(m_metadata, &QPlainTextEdit::textChanged, this, &EntityDialog::validate);
    connect(m_name, &QLineEdit::textChanged, this, &EntityDialog::validate);
    connect(m_contentType, &QComboBox::currentTextChanged, this, &EntityDialog::validate);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(form);
    layout->addWidget(m_hint);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_busy);
    bottom->addWidget(buttons, 1);
    layout->addLayout(bottom);
    resize(480, 360);
    validate();
}

void EntityDialog::editThing(const Thing &thing)
{
    m_editId = thing.id;
    setWindowTitle(tr("Edit thing %1").arg(thing.name));
    m_ok->setText(tr("Save"));
    m_name->setText(thing.name);
    m_type->setCurrentIndex(thing.type == "app"_L1 ? 1 : 0);
    m_type->setEnabled(false); // the API does not change a thing's type
    showMetadata(thing.metadata);
}

void EntityDialog::showMetadata(const Metadata &metadata)
{
    m_asString->setChecked(metadata.form() == Metadata::Form::String);
    m_originalString = metadata.text();
    QJsonObject shown = metadata.object();
    if (m_kind == Kind::Channel) { // the content type has its own field
        m_contentType->setCurrentText(shown.take(ContentTypeKey).toString());
        if (shown != metadata.object()) m_originalString.clear(); // the 0.7 string is rebuilt with it on save
    }
    if (metadata.form() != Metadata::Form::None && !shown.isEmpty())
        m_metadata->setPlainText(QString::fromUtf8(QJsonDocument(shown).toJson(QJsonDocument::Indented)));
    m_shownText = m_metadata->toPlainText();
}

QString EntityDialog::contentType() const
{
    return m_kind == Kind::Channel ? m_contentType->currentText().trimmed() : QString();
}

void EntityDialog::editChannel(const Channel &channel)
{
    m_editId = channel.id;
    setWindowTitle(tr("Edit channel %1").arg(channel.name));
    m_ok->setText(tr("Save"));
    m_name->setText(channel.name);
    showMetadata(channel.metadata);
}

QString EntityDialog::metadataError() const
{
    QString error;
    parseMetadata(m_metadata->toPlainText(), &error);
    return error;
}

void EntityDialog::validate()
{
    QString error;
    const bool metadataOk = parseMetadata(m_metadata->toPlainText(), &error).has_value();
    QPalette p = m_metadataStatus->palette();
    p.setColor(QPalette::WindowText, metadataOk ? palette().color(QPalette::PlaceholderText) : QColor(0xb0, 0, 0x20));
    m_metadataStatus->setPalette(p);
    m_metadataStatus->setText(metadataOk ? tr("Valid JSON") : error);
    const auto typeOk = contentType().isEmpty() ? Result<void>() : checkMediaType(contentType());
    QPalette red = m_contentTypeStatus->palette();
    red.setColor(QPalette::WindowText, QColor(0xb0, 0, 0x20));
    m_contentTypeStatus->setPalette(red);
    m_contentTypeStatus->setText(typeOk ? QString()
                                        : tr("Not a media type: expected type/subtype, e.g. application/json"));
    m_contentTypeStatus->setVisible(m_kind == Kind::Channel && !typeOk);
    // Every disabled OK says why (the metadata's and content type's own errors are shown under their fields).
    QString why;
    if (m_name->text().trimmed().isEmpty())
        why = m_kind == Kind::Thing ? tr("Enter a name for the thing.") : tr("Enter a name for the channel.");
    else if (!metadataOk)
        why = tr("Correct the metadata first: the error is under it.");
    else if (!typeOk)
        why = tr("Correct the content type first: the error is under it.");
    m_hint->setText(why);
    m_hint->setVisible(!why.isEmpty());
    m_ok->setEnabled(why.isEmpty() && !m_busy->isBusy());
}

QString EntityDialog::hintText() const
{
    return m_hint->text();
}

void EntityDialog::submit()
{
    auto metadata = parseMetadata(m_metadata->toPlainText(), nullptr);
    if (!metadata || !m_client) return;
    if (!contentType().isEmpty()) metadata->insert(ContentTypeKey, contentType());
    QJsonObject body{{u"name"_s, m_name->text().trimmed()}};
    // Empty: no metadata (null removes it when editing). A string keeps the 0.7 form, unchanged if not edited.
    if (metadata->isEmpty())
        body.insert(u"metadata"_s, m_editId.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue());
    else if (m_asString->isChecked())
        body.insert(u"metadata"_s, !m_originalString.isEmpty() && m_metadata->toPlainText() == m_shownText &&
                                               contentType().isEmpty()
                                       ? m_originalString
                                       : QString::fromUtf8(QJsonDocument(*metadata).toJson(QJsonDocument::Compact)));
    else
        body.insert(u"metadata"_s, *metadata);
    m_banner->hide();
    m_busy->setBusy(true);
    m_ok->setEnabled(false);
    auto done = [this](const QString &error) {
        m_busy->setBusy(false);
        validate();
        if (error.isEmpty())
            accept();
        else
            m_banner->showError(error);
    };
    if (m_kind == Kind::Thing) {
        if (m_editId.isEmpty()) {
            body.insert(u"type"_s, m_type->currentData().toString());
            m_client->createThing(body).then(this, [this, done](const Result<Thing> &r) {
                if (r) m_thing = *r;
                done(r ? QString() : r.error().message);
            });
        } else {
            m_client->updateThing(m_editId, body).then(this, [this, done](const Result<Thing> &r) {
                if (r) m_thing = *r;
                done(r ? QString() : r.error().message);
            });
        }
    } else {
        auto pending = m_editId.isEmpty() ? m_client->createChannel(body) : m_client->updateChannel(m_editId, body);
        pending.then(this, [this, done](const Result<Channel> &r) {
            if (r) m_channel = *r;
            done(r ? QString() : r.error().message);
        });
    }
}

} // namespace mf::ui
