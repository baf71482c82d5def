#pragma once

#include <QJsonObject>
#include <QString>
#include <optional>

namespace mf::ui {

// Parses metadata text: an empty text is {}; otherwise a JSON object. On error, `error` says where and why (the line
// and column of a JSON error). Shared by the entity dialog and the CSV import.
std::optional<QJsonObject> parseMetadata(const QString &text, QString *error);

} // namespace mf::ui
