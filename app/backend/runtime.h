#pragma once

#include <QObject>

namespace mf::backend {

// MF_LOG_LEVEL and MF_LOG_FORMAT applied to Qt logging (stderr, one line per event).
void setUpLogging(const QString &level, const QString &format);

// Turns SIGINT and SIGTERM into a Qt signal through a self-pipe, so shutdown runs on the event loop.
class UnixSignalWatcher final : public QObject
{
    Q_OBJECT

public:
    explicit UnixSignalWatcher(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(UnixSignalWatcher)

Q_SIGNALS:
    void terminationRequested(int signalNumber);
};

} // namespace mf::backend
