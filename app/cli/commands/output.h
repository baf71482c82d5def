#pragma once

#include "core/entities.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>
#include <QTextStream>

// Human-readable output: aligned tables for lists, "field  value" blocks for one entity. Thing keys are secrets
// and appear in tables only with --show-keys (JSON output always carries them, as the server sends them).
namespace mf::cli::output {

void table(QTextStream &out, const QStringList &headers, const QList<QStringList> &rows);
void fields(QTextStream &out, const QList<std::pair<QString, QString>> &fields);

void things(QTextStream &out, const QList<Thing> &things, bool showKeys);
void channels(QTextStream &out, const QList<Channel> &channels);
void users(QTextStream &out, const QList<User> &users);
// "showing 1-10 of 42 (--offset/--limit for more)" when the page is not everything.
template <typename T>
void pageFooter(QTextStream &out, const Page<T> &page)
{
    if (page.items.size() < page.total)
        out << "showing " << (page.items.isEmpty() ? page.offset : page.offset + 1) << '-'
            << page.offset + page.items.size() << " of " << page.total << " (--offset/--limit for more)\n";
}

void thing(QTextStream &out, const Thing &thing, bool showKey);
void channel(QTextStream &out, const Channel &channel);
void user(QTextStream &out, const User &user);

QString metadataText(const Metadata &metadata);
QString timeText(qint64 msecsSinceEpoch);
// A stored record's time (SenML seconds, JSON number) as ISO 8601 with milliseconds; "" when out of range.
QString recordTimeText(const QJsonValue &seconds);
// A stored record's value (value, string_value, bool_value, data_value or sum), or a raw payload.
QString valueText(const QJsonObject &message);
QString statusText(const ThingStatus &status); // "online" or "offline"
// "12s ago", "3m ago", "2h ago", "4d ago"; "never" for 0.
QString agoText(qint64 msecsSinceEpoch, qint64 nowMs);
// The latest values of GET /things/{id}/latest or /channels/{id}/latest.
void latestValues(QTextStream &out, const QJsonObject &body);
// The refused messages of GET /things/{id}/refusals or /channels/{id}/refusals.
void refusals(QTextStream &out, const QJsonObject &body);

} // namespace mf::cli::output
