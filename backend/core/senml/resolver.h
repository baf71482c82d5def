#pragma once

#include "labels.h"
#include "senml.h"

#include <QList>
#include <QString>
#include <optional>

// Format-independent half of normalize(): the decoders fill one Fields per record, the Resolver applies the
// base fields (RFC 8428 §4.1, §4.5) and validates the result. Internal to mf_senml.
namespace mf::senml::detail {

// One record exactly as decoded: every field is either absent or of the right type and finite.
struct Fields
{
    std::optional<QString> baseName, baseUnit, name, unit, stringValue, dataValue;
    std::optional<double> baseTime, baseValue, baseSum, value, sum, time, updateTime;
    std::optional<bool> boolValue;
    std::optional<qint64> baseVersion;

    // The slot of a Text/Data or Number field; nullptr when the label is of another kind.
    std::optional<QString> *textSlot(Label label);
    std::optional<double> *numberSlot(Label label);
};

// "record <index>: <what>", the one shape of every per-record error.
mf::Error recordError(qsizetype index, const QString &what);

class Resolver final
{
public:
    explicit Resolver(double nowSeconds) : m_now(nowSeconds) {}

    void reserve(qsizetype records) { m_records.reserve(records); }
    // Resolves the next record of the pack; `index` is its zero-based position, for the error message.
    mf::Result<void> add(Fields &&fields, qsizetype index);
    // All records in chronological order; an empty pack is an error.
    mf::Result<QList<Record>> finish();

private:
    double m_now;
    QString m_baseName;
    QString m_baseUnit;
    double m_baseTime = 0;
    double m_baseValue = 0;
    std::optional<double> m_baseSum;
    std::optional<int> m_version; // fixed by the first record
    QList<Record> m_records;
};

} // namespace mf::senml::detail
