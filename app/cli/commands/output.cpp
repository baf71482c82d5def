#include "output.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

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

QString recordTimeText(const QJsonValue &seconds)
{
    if (!seconds.isDouble()) return seconds.toString();
    const double ms = seconds.toDouble() * 1000;
    // Converting a double outside qint64 is undefined; such a time prints as empty rather than as garbage.
    if (!std::isfinite(ms) || std::abs(ms) > 9.0e15) return QString();
    return QDateTime::fromMSecsSinceEpoch(qint64(ms), Qt::UTC).toString(Qt::ISODateWithMs);
}

QString valueText(const QJsonObject &message)
{
    for (const auto field : {"value"_L1, "string_value"_L1, "bool_value"_L1, "data_value"_L1, "sum"_L1}) {
        const QJsonValue value = message.value(field);
        if (value.isUndefined() || value.isNull()) continue;
        if (value.isDouble()) return QString::number(value.toDouble(), 'g', 15);
        if (value.isBool()) return value.toBool() ? u"true"_s : u"false"_s;
        return value.toString();
    }
    return message.value("payload"_L1).toString();
}

QString agoText(qint64 msecsSinceEpoch, qint64 nowMs)
{
    if (msecsSinceEpoch <= 0) return u"never"_s;
    const qint64 s = std::max<qint64>(0, (nowMs - msecsSinceEpoch) / 1000);
    if (s < 60) return u"%1s ago"_s.arg(s);
    if (s < 3600) return u"%1m ago"_s.arg(s / 60);
    if (s < 86400) return u"%1h ago"_s.arg(s / 3600);
    return u"%1d ago"_s.arg(s / 86400);
}

QString statusText(const ThingStatus &status)
{
    return status.online ? u"online"_s : u"offline"_s;
}

void latestValues(QTextStream &out, const QJsonObject &body)
{
    QList<QStringList> rows;
    for (const QJsonValue &item : body.value("values"_L1).toArray()) {
        const QJsonObject m = item.toObject();
        rows.append({m.value("channel"_L1).toString(), m.value("publisher"_L1).toString(),
                     m.value("name"_L1).toString(), valueText(m), m.value("unit"_L1).toString(),
                     recordTimeText(m.value("time"_L1))});
    }
    table(out, {u"CHANNEL"_s, u"PUBLISHER"_s, u"NAME"_s, u"VALUE"_s, u"UNIT"_s, u"TIME"_s}, rows);
}

void refusals(QTextStream &out, const QJsonObject &body)
{
    QList<QStringList> rows;
    for (const QJsonValue &item : body.value("refusals"_L1).toArray()) {
        const QJsonObject r = item.toObject();
        const QString thing = r.value("thing"_L1).toString();
        QString payload = r.contains("payload"_L1) ? r.value("payload"_L1).toString()
                                                   : u"base64:"_s + r.value("payload_base64"_L1).toString();
        payload.replace(u'\n', u' ');
        if (r.value("payload_size"_L1).toInteger() > 64) payload += u"…"_s;
        rows.append({timeText(r.value("at"_L1).toInteger()), r.value("protocol"_L1).toString(),
                     thing.isEmpty() ? r.value("client"_L1).toString() : thing, r.value("reason"_L1).toString(),
                     payload});
    }
    table(out, {u"AT"_s, u"PROTOCOL"_s, u"FROM"_s, u"WHY"_s, u"PAYLOAD"_s}, rows);
}

void things(QTextStream &out, const QList<Thing> &things, bool showKeys)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QStringList headers{u"ID"_s, u"NAME"_s, u"TYPE"_s, u"STATUS"_s, u"LAST SEEN"_s};
    if (showKeys) headers << u"KEY"_s;
    headers << u"METADATA"_s;
    QList<QStringList> rows;
    for (const Thing &t : things) {
        QStringList row{t.id, t.name, t.type, statusText(t.status), agoText(t.status.lastSeen, now)};
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
    list.append({u"status"_s, statusText(t.status)});
    if (t.status.lastSeen > 0)
        list.append({u"last seen"_s, timeText(t.status.lastSeen) + u" over "_s + t.status.lastProtocol});
    if (t.status.connectedSince > 0) list.append({u"connected since"_s, timeText(t.status.connectedSince)});
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
