#pragma once

#include "core/error.h"

#include <QEventLoop>
#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>
#include <optional>

namespace mf::client {

// The outcome of one asynchronous request, shared between the client (which completes it) and the caller (which
// either waits for it or registers a callback).
//
// Threading: a Pending belongs to the thread of the RestClient that made it. `wait()` spins a local QEventLoop, so
// other work of that thread (timers, sockets, even an in-process server) keeps running while it blocks; the GUI uses
// `then()` instead. Both may be used on the same Pending. Completing twice is ignored.
template <typename T>
class Pending final
{
public:
    using Callback = std::function<void(const Result<T> &)>;

    Pending() : m_state(std::make_shared<State>()) {}

    bool isFinished() const { return m_state->result.has_value(); }

    // Blocks (running a local event loop) until the request finishes; returns its result.
    Result<T> wait() const
    {
        if (!m_state->result) {
            QEventLoop loop;
            m_state->loops.append(&loop);
            loop.exec(QEventLoop::ExcludeUserInputEvents);
            m_state->loops.removeOne(&loop);
        }
        return *m_state->result;
    }

    // Calls `callback` once with the result, on `context`'s thread; never if `context` is destroyed first.
    // If the request already finished, the call is queued (never re-entrant into the caller).
    void then(QObject *context, Callback callback) const
    {
        if (m_state->result) {
            QMetaObject::invokeMethod(
                context, [state = m_state, callback] { callback(*state->result); }, Qt::QueuedConnection);
            return;
        }
        m_state->callbacks.append({QPointer<QObject>(context), std::move(callback)});
    }

    // For the client: sets the result, wakes waiters, runs callbacks.
    void finish(Result<T> result) const
    {
        if (m_state->result) return;
        m_state->result = std::move(result);
        for (QEventLoop *loop : std::as_const(m_state->loops))
            loop->quit();
        const auto callbacks = std::move(m_state->callbacks);
        for (const auto &[context, callback] : callbacks) {
            if (context) callback(*m_state->result);
        }
    }

private:
    struct State
    {
        std::optional<Result<T>> result;
        QList<QEventLoop *> loops;
        QList<std::pair<QPointer<QObject>, Callback>> callbacks;
    };
    std::shared_ptr<State> m_state;
};

} // namespace mf::client
