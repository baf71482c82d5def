#pragma once

#include <QJsonArray>
#include <QStringList>

namespace mf::ui {

// One CSV line split into fields (RFC 4180 quotes: "a,b" is one field, "" inside quotes is a quote).
QStringList splitCsvLine(const QString &line);

// The things of a CSV file for POST /things/bulk (the Things page's import). The first line names the columns:
// "name" at least, optionally "type" (default device), "metadata" (a JSON object) and "key"; every further non-empty
// line is one thing. Every line is checked before anything is sent, so a bad line creates nothing.
struct ThingsCsv
{
    enum class Problem { None, Empty, NoNameColumn, BadMetadata };
    Problem problem = Problem::None;
    int line = 0;      // BadMetadata: which (1 = the header; blank lines are not counted)
    QString detail;    // BadMetadata: parseMetadata's message
    QJsonArray things; // Problem::None: one object per line
};
ThingsCsv parseThingsCsv(const QString &text);

} // namespace mf::ui
