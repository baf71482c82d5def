#pragma once

#include "core/entities.h"
#include "models/metadatatext.h"

#include <QDialog>
#include <QJsonObject>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace mf::client {
class RestClient;
}

namespace mf::ui {

class Banner;
class BusyIndicator;

// Create or edit a thing or a channel: name, type (things), a channel's content type for messages that name none
// (its metadata's "content_type", edited in its own field), and metadata as JSON checked while typing (the line and
// column of the first error are shown, OK stays disabled). The request runs from the dialog; a server error stays
// in the dialog with the server's message.
class EntityDialog final : public QDialog
{
    Q_OBJECT

public:
    enum class Kind { Thing, Channel };
    EntityDialog(Kind kind, client::RestClient *client, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(EntityDialog)

    void editThing(const Thing &thing);
    void editChannel(const Channel &channel);

    QLineEdit *nameEdit() const { return m_name; }
    QPlainTextEdit *metadataEdit() const { return m_metadata; }
    // Metadata sent as a string holding JSON (how Mainflux 0.7 clients write and read it); checked for such entities.
    QCheckBox *metadataAsStringBox() const { return m_asString; }
    // Channels: the content type of messages that name none (metadata "content_type"); empty = SenML, strict.
    QComboBox *contentTypeBox() const { return m_contentType; }
    QPushButton *okButton() const { return m_ok; }
    QString hintText() const; // why the OK button is disabled, shown above it; empty when it is enabled
    QString metadataError() const;

    Thing thing() const { return m_thing; }       // the saved thing after accept()
    Channel channel() const { return m_channel; } // the saved channel after accept()

private:
    void validate();
    void submit();
    void showMetadata(const Metadata &metadata);
    QString contentType() const;

    Kind m_kind;
    client::RestClient *m_client;
    QString m_editId;
    Banner *m_banner;
    QLineEdit *m_name;
    QComboBox *m_type;
    QPlainTextEdit *m_metadata;
    QLabel *m_metadataStatus;
    QCheckBox *m_asString;
    QComboBox *m_contentType; // channels only; editable: any media type
    QLabel *m_contentTypeStatus;
    QString m_shownText, m_originalString; // to send a 0.7 string back unchanged when it was not edited
    QPushButton *m_ok;
    QLabel *m_hint;
    BusyIndicator *m_busy;
    Thing m_thing;
    Channel m_channel;
};

} // namespace mf::ui
