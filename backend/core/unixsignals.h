#pragma once

#include <QObject>

namespace mf {

// Turns SIGINT and SIGTERM into a Qt signal through a self-pipe, so shutdown runs on the event loop (the backend
// and the dashboard both stop cleanly: children stopped, files flushed). One per process.
class UnixSignalWatcher final : public QObject
{
    Q_OBJECT

public:
    explicit UnixSignalWatcher(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(UnixSignalWatcher)

Q_SIGNALS:
    void terminationRequested(int signalNumber);
};

} // namespace mf
