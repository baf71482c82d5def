#include "output.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace mf::cli::output {

void table(QTextStream &out, const QStringList &headers, const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (const QString &h : headers)
        widths.append(h.size());
    for (const QStringList &row : rows)
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    const auto line = [&](const QStringList &cells) {
        QString text;
        for (qsizetype i = 0; i < cells.size(); ++i) {
            if (i + 1 < cells.size())
                text += cells[i].leftJustified(widths[i]) + u"  "_s;
            else
                text += cells[i]; // no trailing blanks
        }
        while (text.endsWith(u' ')) // an empty last cell leaves padding behind
            text.chop(1);
        out << text << '\n';
    };
    line(headers);
    for (const QStringList &row : rows)
        line(row);
}

void fields(QTextStream &out, const QList<std::pair<QString, QString>> &fields)
{
    qsizetype width = 0;
    for (const auto &[name, value] : fields)
        width = std::max(width, name.size());
    for (const auto &[name, value] : fields)
        out << name.leftJustified(width + 2) << value << '\n';
}

// Metadata as given: an object as compact JSON, the Mainflux 0.7 string form as the string, quoted.
QString metadataText(const Metadata &metadata)
{
    if (metadata.form() == Metadata::Form::String)
        return QString::fromUtf8(QJsonDocument(QJsonArray{metadata.text()}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
    return metadata.display();
}

QString timeText(qint64 msecsSinceEpoch)
{
    if (msecsSinceEpoch <= 0) return QString();
    return QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::UTC).toString(Qt::ISODate);
}

void things(QTextStream &out, const QList<Thing> &things, bool showKeys)
{
    QStringList headers{u"ID"_s, u"NAME"_s, u"TYPE"_s};
    if (showKeys) headers << u"KEY"_s;
    headers << u"METADATA"_s;
    QList<QStringList> rows;
    for (const Thing &t : things) {
        QStringList row{t.id, t.name, t.type};
        if (showKeys) row << t.key;
        row << metadataText(t.metadata);
        rows.append(row);
    }
    table(out, headers, rows);
}

void channels(QTextStream &out, const QList<Channel> &channels)
{
    QList<QStringList> rows;
    for (const Channel &c : channels)
        rows.append({c.id, c.name, metadataText(c.metadata)});
    table(out, {u"ID"_s, u"NAME"_s, u"METADATA"_s}, rows);
}

void users(QTextStream &out, const QList<User> &users)
{
    QList<QStringList> rows;
    for (const User &u : users)
        rows.append({u.id, u.email, u.admin ? u"yes"_s : u"no"_s, u.enabled ? u"yes"_s : u"no"_s});
    table(out, {u"ID"_s, u"EMAIL"_s, u"ADMIN"_s, u"ENABLED"_s}, rows);
}

void thing(QTextStream &out, const Thing &t, bool showKey)
{
    QList<std::pair<QString, QString>> list{{u"id"_s, t.id}, {u"name"_s, t.name}, {u"type"_s, t.type}};
    list.append({u"key"_s, showKey ? t.key : u"(hidden; --show-keys)"_s});
    list.append({u"metadata"_s, metadataText(t.metadata)});
    list.append({u"created"_s, timeText(t.createdAt)});
    list.append({u"updated"_s, timeText(t.updatedAt)});
    fields(out, list);
}

void channel(QTextStream &out, const Channel &c)
{
    fields(out, {{u"id"_s, c.id},
                 {u"name"_s, c.name},
                 {u"metadata"_s, metadataText(c.metadata)},
                 {u"created"_s, timeText(c.createdAt)},
                 {u"updated"_s, timeText(c.updatedAt)}});
}

void user(QTextStream &out, const User &u)
{
    fields(out, {{u"id"_s, u.id},
                 {u"email"_s, u.email},
                 {u"admin"_s, u.admin ? u"yes"_s : u"no"_s},
                 {u"enabled"_s, u.enabled ? u"yes"_s : u"no"_s},
                 {u"created"_s, timeText(u.createdAt)}});
}

} // namespace mf::cli::output
