#pragma once

#include "error.h"

#include <QJsonValue>
#include <QString>

namespace mf {

// A duration as people write it in a query or in metadata: "90" (seconds), "90s", "15m", "2h", "1d". Milliseconds,
// from 1 s to 366 days; Malformed otherwise, with the reason (prefixed by the caller's field name).
Result<qint64> parseDuration(const QString &text);
// The same from JSON: a positive number of seconds or such a string.
Result<qint64> durationFromJson(const QJsonValue &value);

} // namespace mf
