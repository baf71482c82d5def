#pragma once

#include <QSortFilterProxyModel>

namespace mf::ui {

// The live table's filters (UI.md: "name: […] pub: […]"): case-insensitive substrings of the record name and of the
// publisher (its thing name or its id), and the subtopic chosen in the tree (SubtopicTreeModel); an empty filter lets
// everything through. Sits on a LiveMessagesModel, whose order it keeps.
class LiveFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit LiveFilterModel(QObject *parent = nullptr);

    void setNameFilter(const QString &text);
    void setPublisherFilter(const QString &text);
    // A subtopic and everything below it ("room1" passes room1 and room1.boiler, not room10); empty: all.
    void setSubtopicFilter(const QString &path);
    QString subtopicFilter() const { return m_subtopic.join(u'.'); }
    bool acceptsSubtopic(const QString &subtopic) const;
    QString nameFilter() const { return m_name; }
    QString publisherFilter() const { return m_publisher; }
    // Whether a record of this name passes the name filter (the chart hides the other series).
    bool acceptsName(const QString &name) const;
    // Whether a publisher (thing id, and its name when known) passes the publisher filter (the chart follows it too).
    bool acceptsPublisher(const QString &id, const QString &name) const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_name;
    QString m_publisher;
    QStringList m_subtopic; // its segments
};

} // namespace mf::ui
