#pragma once

#include "entitytablemodel.h"

#include <QJsonArray>
#include <QSet>

namespace mf::ui {

// Things of the signed-in user, loaded lazily (EntityTableModel). Keys are masked unless revealed.
class ThingsModel final : public EntityTableModel<Thing>
{
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        StatusColumn,   // a dot and "Online"/"Offline"
        LastSeenColumn, // "3 min ago"; the time and protocol on hover
        TypeColumn,
        IdColumn,
        KeyColumn,
        CreatedColumn,
        UpdatedColumn,
        ColumnCount
    };
    enum Role { KeyRole = EntityRole + 1 };

    explicit ThingsModel(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ThingsModel)

    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    Thing thingAt(int row) const { return at(row); }
    void setKeyRevealed(const QString &id, bool revealed);
    bool isKeyRevealed(const QString &id) const { return m_revealed.contains(id); }
    // "online", "offline" or "" (every thing); reloads. Served by the server (`status=`).
    QString statusFilter() const { return m_statusFilter; }
    void setStatusFilter(const QString &status);
    // Re-renders the relative "last seen" texts (the page calls it every half minute).
    void refreshAges();
    // Asks the server again for the loaded rows (up to the first 100) and updates their status in place: no reload,
    // no reordering, the selection stays (the page calls it every 10 s).
    void refreshStatuses();
    // The changes of a status event from the user's event stream ({"thing","online","last_seen","last_protocol"}),
    // applied in place to the loaded rows. With a status filter a changed row may no longer belong: reloads then.
    // Returns the ids of the loaded things that changed.
    QStringList applyStatusChanges(const QJsonArray &changes);
    // A local update after a successful request, so the table does not reload.
    void replaceThing(const Thing &thing) { replace(thing); }

protected:
    client::Pending<Page<Thing>> fetchPage(const PageQuery &query) override;
    QVariant entityData(const Thing &thing, int column, int role) const override;
    QString sortKey(int column) const override;

private:
    QSet<QString> m_revealed;
    QString m_statusFilter;
};

// "just now", "3 min ago", "2 h ago", "4 days ago" (translated); "never" for 0.
QString formatAgo(qint64 msecs, qint64 nowMsecs);

// Masks a secret for display: "••••••••" plus its last four characters.
QString maskedSecret(const QString &secret);
// A timestamp (ms since the epoch) in the user's locale, short format.
QString formatTimestamp(qint64 msecs);

} // namespace mf::ui
