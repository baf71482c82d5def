#include "flushkicker.h"

namespace mf::bus {

FlushKicker::FlushKicker(std::function<void()> flush) : m_flush(std::move(flush)), m_thread([this] { run(); }) {}

FlushKicker::~FlushKicker()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void FlushKicker::kick()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_wanted) return; // the flush to come takes this publish too
        m_wanted = true;
    }
    m_wake.notify_one();
}

void FlushKicker::run()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_wanted || m_stopping; });
        if (m_stopping) return;
        m_wanted = false;
        lock.unlock();
        m_flush();
        lock.lock();
    }
}

} // namespace mf::bus
