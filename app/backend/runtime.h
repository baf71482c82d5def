#pragma once

#include <QObject>

namespace mf::backend {

// MF_LOG_LEVEL and MF_LOG_FORMAT applied to Qt logging (stderr, one line per event).
void setUpLogging(const QString &level, const QString &format);

} // namespace mf::backend
