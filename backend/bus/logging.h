#pragma once

#include <QLoggingCategory>

// The one logging category of mf_bus (internal header).
Q_DECLARE_LOGGING_CATEGORY(lcBus)
