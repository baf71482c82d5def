#pragma once

#include "entitypage.h"

class QAction;
class QListWidget;

namespace mf::ui {

class ChannelsModel;

// Channels: the shared entity page (lazily loaded table, create/edit/delete) plus connecting and disconnecting many
// things at once (POST /connect, /disconnect) and the connected things of the selected channel in the details pane.
// Ctrl+L opens its live view.
class ChannelsPage final : public EntityPage
{
    Q_OBJECT

public:
    explicit ChannelsPage(Session *session, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ChannelsPage)

    QString title() const override { return tr("Channels"); }
    QString selectedChannelId() const override;

    ChannelsModel *model() const { return m_model; }

protected:
    void detailsShown(int row) override;
    void detailsCleared() override;
    void updateActions(const QList<int> &rows) override;
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
    ChannelsPage(Session *session, ChannelsModel *model, QWidget *parent);
    static Texts texts();
    void connectThings();
    void disconnectThings();

    ChannelsModel *m_model;
    QAction *m_connect;
    QAction *m_live;
    QListWidget *m_things;
    QAction *m_disconnect;
};

} // namespace mf::ui
