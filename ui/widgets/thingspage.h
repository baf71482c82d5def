#pragma once

#include "core/entities.h"
#include "entitypage.h"

class QComboBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;

namespace mf::client {
class LiveStream;
}

namespace mf::ui {

class SecretField;
class ThingHistory;
class ThingsModel;

// Things: the shared entity page (lazily loaded table with server-side filter and sort, create/edit, multi-delete
// with a confirmation naming what goes) plus the status filter and live status, CSV import, and a details pane
// (metadata, key with reveal/copy/rotate, channels, status, last values, refused messages, history).
class ThingsPage final : public EntityPage
{
    Q_OBJECT

public:
    explicit ThingsPage(Session *session, QWidget *parent = nullptr);
    ~ThingsPage() override;
    Q_DISABLE_COPY_MOVE(ThingsPage)

    QString title() const override { return tr("Things"); }

    // Reads a CSV (header: name[,type][,metadata][,key]) and creates the things in batches of 100 with a cancellable
    // progress dialog; returns a summary.
    void importCsv(const QString &path);

    // Selects the thing (from another page): at once when it is loaded, else after filtering the table by its name
    // (and showing every status).
    void showThing(const QString &id, const QString &name);

    ThingsModel *model() const { return m_model; }
    QListWidget *refusalsView() const { return m_refusals; }
    QListWidget *latestView() const { return m_latest; }
    ThingHistory *history() const { return m_history; }
    // The user's event stream (status changes as they happen); the page polls only while it is not open.
    client::LiveStream *events() const;

protected:
    void updateEmptyState() override;
    void detailsShown(int row) override;
    void detailsCleared() override;
    std::pair<QString, QString> emptyTexts(const QString &filter) const override;
    QString selectedCountText(int count) const override;
    QString deleteQuestion(int count, const QString &names) const override;
    QString deletedText(int count) const override;
    QString deleteFailedText(int count, const QString &firstError) const override;
    client::Pending<void> removeEntity(const QString &id) override;
    void prepareEdit(EntityDialog *dialog, int row) override;
    void created(const EntityDialog *dialog) override;
    void saved(const EntityDialog *dialog) override;

private:
    ThingsPage(Session *session, ThingsModel *model, QWidget *parent);
    static Texts texts();
    // The details pane's own rows (key, metadata, channels, status, last values, refused) and the history beside.
    void setUpDetails();
    void rotateKey();
    // The toolbar's "All / Online / Offline" choice, the half-minute refresh of "last seen" texts and the live status.
    void setUpStatusFilter();
    // The details pane's status line, the thing's last values (GET /things/{id}/latest) and its refused messages
    // (GET /things/{id}/refusals: why its messages do not arrive).
    void showStatus(const Thing &thing);
    void showChannels(const QString &thingId);
    void showRefusals(const QString &thingId);
    bool selectPendingThing();
    bool isShown(const QString &thingId) const; // the thing whose details are on screen now

    ThingsModel *m_model;
    QComboBox *m_statusFilter;
    SecretField *m_key;
    QPlainTextEdit *m_metadata;
    QListWidget *m_channels;
    QLabel *m_status;
    QListWidget *m_latest;
    QListWidget *m_refusals;
    QLabel *m_total;
    ThingHistory *m_history;
    QString m_pendingThing; // showThing() waits for the model to load it
};

} // namespace mf::ui
