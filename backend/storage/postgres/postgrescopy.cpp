#include "postgrescopy.h"

#include "libpqconnection.h"
#include "storage/sqlerror.h"

#include <QList>
#include <cmath>

using namespace Qt::StringLiterals;

namespace mf::storage {

namespace {

Result<LibpqResult> run(PGconn *conn, const QByteArray &sql, ExecStatusType expected, const QString &what)
{
    LibpqResult result(PQexec(conn, sql.constData()), &PQclear);
    if (PQresultStatus(result.get()) != expected) return sqlFailure(libpqError(conn, result.get()), what);
    return result;
}

// COPY's text format: tab-separated, \N for NULL, backslash escapes for the characters that delimit.
void appendText(QByteArray &out, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    for (const char c : utf8) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        default: out += c;
        }
    }
}

void appendDouble(QByteArray &out, double value)
{
    if (std::isnan(value))
        out += "NaN";
    else if (std::isinf(value))
        out += value > 0 ? "Infinity" : "-Infinity";
    else
        out += QByteArray::number(value, 'g', 17); // round-trips every double
}

template <typename T, typename Append>
void appendOptional(QByteArray &out, const std::optional<T> &value, Append append)
{
    if (value)
        append(out, *value);
    else
        out += "\\N";
}

void appendRow(QByteArray &out, const StoredMessage &m)
{
    for (const QString *text : {&m.channel, &m.subtopic, &m.publisher, &m.protocol, &m.name, &m.unit}) {
        appendText(out, *text);
        out += '\t';
    }
    appendOptional(out, m.value, appendDouble);
    out += '\t';
    appendOptional(out, m.stringValue, appendText);
    out += '\t';
    appendOptional(out, m.boolValue, [](QByteArray &o, bool b) { o += b ? 't' : 'f'; });
    out += '\t';
    appendOptional(out, m.dataValue, appendText);
    out += '\t';
    appendOptional(out, m.sum, appendDouble);
    out += '\t';
    appendDouble(out, m.time);
    out += '\t';
    appendDouble(out, m.updateTime);
    out += '\t';
    appendText(out, m.contentType);
    out += '\t';
    // bytea's hex input form, its backslash escaped for COPY
    out += m.payload.isNull() ? QByteArray("\\N") : "\\\\x" + m.payload.toHex();
    out += '\t' + QByteArray::number(m.createdNs) + '\t' + QByteArray::number(qint64(m.sourceSequence)) + '\t' +
           QByteArray::number(m.sourceIndex) + '\n';
}

} // namespace

Result<qint64> copyMessages(const QSqlDatabase &db, const QString &columns, const QList<StoredMessage> &messages)
{
    PGconn *conn = libpqConnection(db);
    if (!conn)
        return sqlFailure(QSqlError(u"libpq"_s, u"not connected"_s, QSqlError::ConnectionError), u"store messages"_s);

    // Per session (a reconnect starts without it); emptied by every commit, dropped by a rollback that created it.
    const QByteArray cols = columns.toUtf8();
    if (auto r = run(conn,
                     "CREATE TEMP TABLE IF NOT EXISTS messages_staging ON COMMIT DELETE ROWS AS SELECT " + cols +
                         " FROM messages WITH NO DATA",
                     PGRES_COMMAND_OK, u"create the staging table"_s);
        !r)
        return std::unexpected(r.error());
    if (auto r = run(conn, "COPY messages_staging (" + cols + ") FROM STDIN", PGRES_COPY_IN, u"start copy"_s); !r)
        return std::unexpected(r.error());
    QByteArray data;
    data.reserve(messages.size() * 160);
    for (const StoredMessage &m : messages)
        appendRow(data, m);
    const bool sent = PQputCopyData(conn, data.constData(), int(data.size())) == 1;
    if (PQputCopyEnd(conn, sent ? nullptr : "cannot send the rows") != 1 || !sent) {
        while (PGresult *rest = PQgetResult(conn)) // leave the connection ready for the rollback
            PQclear(rest);
        return sqlFailure(libpqError(conn, nullptr), u"copy messages"_s);
    }
    LibpqResult copied(PQgetResult(conn), &PQclear);
    const bool copyOk = PQresultStatus(copied.get()) == PGRES_COMMAND_OK;
    const QSqlError copyError = copyOk ? QSqlError() : libpqError(conn, copied.get());
    while (PGresult *rest = PQgetResult(conn))
        PQclear(rest);
    if (!copyOk)
        return sqlFailure(copyError, u"copy messages"_s);

    // The staging table is filled in batch order, which a sequential scan returns: ids follow the batch.
    auto inserted = run(conn,
                        "INSERT INTO messages (" + cols + ") SELECT " + cols +
                            " FROM messages_staging ON CONFLICT (source_seq, source_idx, created) DO NOTHING",
                        PGRES_COMMAND_OK, u"insert messages"_s);
    if (!inserted)
        return std::unexpected(inserted.error());
    return QByteArray(PQcmdTuples(inserted->get())).toLongLong();
}

} // namespace mf::storage
