#include "postgrescopy.h"

#include "storage/sqlerror.h"

#include <QSqlDriver>
#include <QVariant>

#include <cmath>
#include <libpq-fe.h>
#include <memory>

using namespace Qt::StringLiterals;

namespace mf::storage {

namespace {

using PgResult = std::unique_ptr<PGresult, decltype(&PQclear)>;

// A libpq failure as the QSqlError QPSQL would have given, so sqlFailure() maps it the same way (SQLSTATE 08xxx or
// a lost connection: Unavailable).
QSqlError pgError(PGconn *conn, const PGresult *result)
{
    const char *state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const QString message = QString::fromUtf8(result ? PQresultErrorMessage(result) : PQerrorMessage(conn)).trimmed();
    const auto type = PQstatus(conn) == CONNECTION_BAD ? QSqlError::ConnectionError : QSqlError::StatementError;
    return QSqlError(u"libpq"_s, message, type, state ? QString::fromLatin1(state) : QString());
}

Result<PgResult> run(PGconn *conn, const QByteArray &sql, ExecStatusType expected, const QString &what)
{
    PgResult result(PQexec(conn, sql.constData()), &PQclear);
    if (PQresultStatus(result.get()) != expected)
        return sqlFailure(pgError(conn, result.get()), what);
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
    const QVariant handle = db.driver()->handle();
    if (qstrcmp(handle.typeName(), "pg_conn*") != 0 && qstrcmp(handle.typeName(), "PGconn*") != 0) // QPSQL 6.4: pg_conn*
        return fail(ErrorCode::Internal, u"not a PostgreSQL connection: "_s + QString::fromLatin1(handle.typeName()));
    PGconn *conn = *static_cast<PGconn *const *>(handle.constData());
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
        return sqlFailure(pgError(conn, nullptr), u"copy messages"_s);
    }
    PgResult copied(PQgetResult(conn), &PQclear);
    const bool copyOk = PQresultStatus(copied.get()) == PGRES_COMMAND_OK;
    const QSqlError copyError = copyOk ? QSqlError() : pgError(conn, copied.get());
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
