#include "writegate.h"

#include <QHash>
#include <condition_variable>
#include <mutex>

using namespace Qt::StringLiterals;

namespace mf::storage {

namespace {

// A ticket lock: turns are served in the order they were asked for.
struct Gate
{
    std::mutex mutex;
    std::condition_variable turnChanged;
    quint64 nextTicket = 0, serving = 0;

    void enter()
    {
        std::unique_lock lock(mutex);
        const quint64 ticket = nextTicket++;
        turnChanged.wait(lock, [&] { return serving == ticket; });
    }
    void leave()
    {
        {
            std::lock_guard lock(mutex);
            ++serving;
        }
        turnChanged.notify_all();
    }
};

Gate *gateFor(const QString &file)
{
    static std::mutex registryMutex;
    static QHash<QString, Gate *> gates; // one per database file for the life of the process (a handful at most)
    std::lock_guard lock(registryMutex);
    Gate *&gate = gates[file];
    if (!gate) gate = new Gate;
    return gate;
}

thread_local Gate *heldByThisThread = nullptr;

} // namespace

WriteTurn::WriteTurn(const QSqlDatabase &db)
{
    if (db.driverName() != "QSQLITE"_L1) return;
    Gate *gate = gateFor(db.databaseName());
    if (heldByThisThread == gate) return;
    gate->enter();
    heldByThisThread = gate;
    m_gate = gate;
}

WriteTurn::~WriteTurn()
{
    if (!m_gate) return;
    heldByThisThread = nullptr;
    static_cast<Gate *>(m_gate)->leave();
}

bool isWriteStatement(const QString &sql)
{
    const QStringView head = QStringView(sql).trimmed().left(7);
    return head.startsWith(u"INSERT", Qt::CaseInsensitive) || head.startsWith(u"UPDATE", Qt::CaseInsensitive) ||
           head.startsWith(u"DELETE", Qt::CaseInsensitive);
}

} // namespace mf::storage
