#include "postgresquery.h"

#include "libpqconnection.h"
#include "storage/sqlerror.h"

#include <QSqlResult>
#include <cmath>
#include <vector>

using namespace Qt::StringLiterals;

namespace mf::storage {

namespace {

// Type OIDs of pg_type.h (stable across PostgreSQL versions).
enum Oid : unsigned {
    BoolOid = 16,
    ByteaOid = 17,
    Int8Oid = 20,
    Int2Oid = 21,
    Int4Oid = 23,
    OidOid = 26,
    Float4Oid = 700,
    Float8Oid = 701,
    NumericOid = 1700
};

// A finished PGresult behind the QSqlResult interface, so repositories read it through QSqlQuery as before.
class LibpqSqlResult final : public QSqlResult
{
public:
    LibpqSqlResult(const QSqlDriver *driver, LibpqResult result)
        : QSqlResult(driver), m_result(std::move(result)), m_rows(PQntuples(m_result.get()))
    {
        setForwardOnly(true);
        setSelect(PQresultStatus(m_result.get()) == PGRES_TUPLES_OK);
        setActive(true);
        setAt(QSql::BeforeFirstRow);
    }

protected:
    QVariant data(int column) override
    {
        const int row = at();
        const char *text = PQgetvalue(m_result.get(), row, column);
        switch (PQftype(m_result.get(), column)) {
        case BoolOid:
            return text[0] == 't';
        case Int2Oid:
        case Int4Oid:
            return QByteArray(text).toInt();
        case Int8Oid:
        case OidOid:
            return QByteArray(text).toLongLong();
        case Float4Oid:
        case Float8Oid:
        case NumericOid:
            return QByteArray(text).toDouble(); // also "NaN", "Infinity", "-Infinity"
        case ByteaOid: {
            size_t length = 0;
            unsigned char *bytes = PQunescapeBytea(reinterpret_cast<const unsigned char *>(text), &length);
            QByteArray value(reinterpret_cast<const char *>(bytes), qsizetype(length));
            PQfreemem(bytes);
            return value;
        }
        default:
            return QString::fromUtf8(text, PQgetlength(m_result.get(), row, column));
        }
    }
    bool isNull(int column) override { return PQgetisnull(m_result.get(), at(), column) == 1; }
    bool fetch(int row) override
    {
        if (row < 0 || row >= m_rows) return false;
        setAt(row);
        return true;
    }
    bool fetchFirst() override { return fetch(0); }
    bool fetchLast() override { return fetch(m_rows - 1); }
    int size() override { return isSelect() ? m_rows : -1; }
    int numRowsAffected() override { return QByteArray(PQcmdTuples(m_result.get())).toInt(); }
    bool reset(const QString &) override { return false; } // runs nothing itself: runPostgresQuery did

private:
    LibpqResult m_result;
    int m_rows;
};

// `?` placeholders (outside quoted literals and identifiers) become $1, $2, ...
QByteArray numberedPlaceholders(const QString &sql)
{
    QByteArray out;
    out.reserve(sql.size() + 16);
    char quote = 0;
    int number = 0;
    for (const char c : sql.toUtf8()) {
        if (quote) {
            if (c == quote) quote = 0; // a doubled quote closes and opens again: same result
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '?') {
            out += '$' + QByteArray::number(++number);
            continue;
        }
        out += c;
    }
    return out;
}

// One bound value as a libpq parameter: its text (or bytes), format and type; SQL NULL is a null value.
struct Parameters
{
    std::vector<QByteArray> values;
    std::vector<const char *> pointers;
    std::vector<int> lengths;
    std::vector<int> formats;
    std::vector<unsigned> types;

    explicit Parameters(const QVariantList &binds)
    {
        for (const QVariant &bind : binds)
            add(bind);
        for (const QByteArray &v : values)
            pointers.push_back(v.isNull() ? nullptr : v.constData());
    }

private:
    void add(const QVariant &bind)
    {
        unsigned type = 0; // unknown: the server infers it from the use, as with a quoted literal
        int format = 0;
        QByteArray value;
        if (!bind.isNull()) {
            switch (bind.typeId()) {
            case QMetaType::Bool:
                type = BoolOid;
                value = bind.toBool() ? "t" : "f";
                break;
            case QMetaType::Int:
            case QMetaType::UInt:
            case QMetaType::Long:
            case QMetaType::LongLong:
            case QMetaType::ULongLong:
                type = Int8Oid;
                value = bind.toByteArray();
                break;
            case QMetaType::Double:
            case QMetaType::Float: {
                type = Float8Oid;
                const double d = bind.toDouble();
                value = std::isnan(d)   ? "NaN"
                        : std::isinf(d) ? (d > 0 ? "Infinity" : "-Infinity")
                                        : QByteArray::number(d, 'g', 17);
                break;
            }
            case QMetaType::QByteArray:
                type = ByteaOid;
                format = 1; // binary: the bytes as they are
                value = bind.toByteArray();
                if (value.isNull()) value = QByteArray("", 0);
                break;
            default:
                value = bind.toString().toUtf8();
                if (value.isNull()) value = QByteArray("", 0);
            }
        }
        types.push_back(type);
        formats.push_back(format);
        lengths.push_back(int(value.size()));
        values.push_back(std::move(value));
    }
};

} // namespace

Result<QSqlQuery> runPostgresQuery(const QSqlDatabase &db, const QString &sql, const QVariantList &binds,
                                   const QString &what)
{
    PGconn *conn = libpqConnection(db);
    if (!conn) return sqlFailure(QSqlError(u"libpq"_s, u"not connected"_s, QSqlError::ConnectionError), what);
    const Parameters params(binds);
    LibpqResult result(PQexecParams(conn, numberedPlaceholders(sql).constData(), int(params.values.size()),
                                    params.types.data(), params.pointers.data(), params.lengths.data(),
                                    params.formats.data(), 0),
                       &PQclear);
    const ExecStatusType status = PQresultStatus(result.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        const QSqlError error = libpqError(conn, result.get());
        if (PQstatus(conn) == CONNECTION_BAD)
            QSqlDatabase(db).close(); // as QPSQL does: Database::connection() opens it again
        return sqlFailure(error, what);
    }
    return QSqlQuery(new LibpqSqlResult(db.driver(), std::move(result)));
}

} // namespace mf::storage
