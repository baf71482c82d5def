#pragma once

#include <QDialog>

class QLineEdit;
class QTableView;

namespace mf::client {
class RestClient;
}

namespace mf::ui {

class ThingsModel;

// Picks things (multi-select, filtered, lazily loaded) to connect to one or more channels.
class ConnectDialog final : public QDialog
{
    Q_OBJECT

public:
    ConnectDialog(client::RestClient *client, const QStringList &channelNames, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ConnectDialog)

    QStringList selectedThingIds() const;

private:
    ThingsModel *m_model;
    QLineEdit *m_filter;
    QTableView *m_view;
};

} // namespace mf::ui
