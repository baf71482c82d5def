#include "duration.h"

#include <QList>

#include <cmath>

using namespace Qt::StringLiterals;

namespace mf {

namespace {

constexpr qint64 maxMs = 366 * 86'400'000LL;

Error outOfRange()
{
    return Error{ErrorCode::Malformed, u"must be a duration from 1s to 366d such as 90s, 15m, 2h or 1d (a bare "
                                       "number is seconds)"_s};
}

} // namespace

Result<qint64> parseDuration(const QString &text)
{
    static const QList<std::pair<QChar, qint64>> units{{u's', 1000}, {u'm', 60'000}, {u'h', 3'600'000},
                                                      {u'd', 86'400'000}};
    qint64 unit = 1000;
    QString digits = text;
    for (const auto &[suffix, ms] : units)
        if (text.endsWith(suffix)) {
            unit = ms;
            digits.chop(1);
        }
    bool ok = false;
    const qint64 count = digits.toLongLong(&ok);
    if (!ok || count < 1 || count > maxMs / unit)
        return std::unexpected(outOfRange());
    return count * unit;
}

Result<qint64> durationFromJson(const QJsonValue &value)
{
    if (value.isString())
        return parseDuration(value.toString());
    const double seconds = value.toDouble(-1);
    if (!value.isDouble() || !std::isfinite(seconds) || seconds < 1 || seconds * 1000 > double(maxMs))
        return std::unexpected(outOfRange());
    return qint64(seconds * 1000);
}

} // namespace mf
