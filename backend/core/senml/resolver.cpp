#include "resolver.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace mf::senml::detail {

namespace {

// RFC 8428 §4.5.3: times below 2^28 are relative to "now".
constexpr double kRelativeTimeLimit = 268435456.0;
// The version this implementation understands (RFC 8428 §4.4).
constexpr int kMaxVersion = 10;

bool isAsciiAlnum(char16_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
}

bool isNameChar(char16_t c)
{
    return isAsciiAlnum(c) || c == u'-' || c == u':' || c == u'.' || c == u'/' || c == u'_';
}

// RFC 8428 §4.5.1. Returns the problem, or an empty string.
QString nameProblem(const QString &name)
{
    if (name.isEmpty()) return u"empty name (neither bn nor n given)"_s;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name.at(i).unicode();
        if (!isNameChar(c)) {
            // Show the whole code point, not half of a surrogate pair.
            const qsizetype len = (QChar::isHighSurrogate(c) && i + 1 < name.size()) ? 2 : 1;
            return u"name contains '%1'"_s.arg(name.mid(i, len));
        }
    }
    if (!isAsciiAlnum(name.front().unicode())) return u"name '%1' must start with a letter or digit"_s.arg(name);
    return {};
}

} // namespace

std::optional<QString> *Fields::textSlot(Label label)
{
    switch (label) {
    case Label::BaseName:
        return &baseName;
    case Label::BaseUnit:
        return &baseUnit;
    case Label::Name:
        return &name;
    case Label::Unit:
        return &unit;
    case Label::StringValue:
        return &stringValue;
    case Label::DataValue:
        return &dataValue;
    default:
        return nullptr;
    }
}

std::optional<double> *Fields::numberSlot(Label label)
{
    switch (label) {
    case Label::BaseTime:
        return &baseTime;
    case Label::BaseValue:
        return &baseValue;
    case Label::BaseSum:
        return &baseSum;
    case Label::Value:
        return &value;
    case Label::Sum:
        return &sum;
    case Label::Time:
        return &time;
    case Label::UpdateTime:
        return &updateTime;
    default:
        return nullptr;
    }
}

mf::Error recordError(qsizetype index, const QString &what)
{
    return mf::Error{mf::ErrorCode::Malformed, u"record %1: %2"_s.arg(index).arg(what)};
}

mf::Result<void> Resolver::add(Fields &&f, qsizetype index)
{
    // Version (§4.4): a positive integer this system understands, the same for every record of the pack.
    if (f.baseVersion) {
        const qint64 version = *f.baseVersion;
        if (version < 1)
            return std::unexpected(recordError(index, u"bver must be a positive integer, got %1"_s.arg(version)));
        if (version > kMaxVersion)
            return std::unexpected(recordError(
                index, u"unsupported SenML version %1 (up to %2 is understood)"_s.arg(version).arg(kMaxVersion)));
        if (m_version && *m_version != version)
            return std::unexpected(
                recordError(index, u"version changes from %1 to %2 within the pack"_s.arg(*m_version).arg(version)));
        m_version = int(version);
    }
    if (!m_version) m_version = kMaxVersion; // the default, now fixed for the rest of the pack

    // Base fields apply to this record and the following ones until changed (§4).
    if (f.baseName) m_baseName = std::move(*f.baseName);
    if (f.baseUnit) m_baseUnit = std::move(*f.baseUnit);
    if (f.baseTime) m_baseTime = *f.baseTime;
    if (f.baseValue) m_baseValue = *f.baseValue;
    if (f.baseSum) m_baseSum = *f.baseSum;

    Record r;
    if (!f.name || f.name->isEmpty())
        r.name = m_baseName;
    else if (m_baseName.isEmpty())
        r.name = std::move(*f.name);
    else
        r.name = m_baseName + *f.name;
    if (const QString problem = nameProblem(r.name); !problem.isEmpty())
        return std::unexpected(recordError(index, problem));

    // Exactly one value field, unless there is a sum (§4.2). A sum exists when s or a base sum is present (§4.5.4).
    const int values = int(f.value.has_value()) + int(f.stringValue.has_value()) + int(f.boolValue.has_value()) +
                       int(f.dataValue.has_value());
    const bool hasSum = f.sum || m_baseSum;
    if (values > 1) return std::unexpected(recordError(index, u"more than one of v, vs, vb, vd"_s));
    if (values == 0 && !hasSum)
        return std::unexpected(recordError(index, u"no value (v, vs, vb, vd) and no sum (s, bs)"_s));

    // The base value applies to a numeric value only: vs/vb/vd records are not turned into numbers.
    if (f.value) {
        r.value = m_baseValue + *f.value;
        if (!std::isfinite(*r.value)) return std::unexpected(recordError(index, u"bv + v is not a finite number"_s));
    }
    if (hasSum) {
        r.sum = m_baseSum.value_or(0) + f.sum.value_or(0);
        if (!std::isfinite(*r.sum)) return std::unexpected(recordError(index, u"bs + s is not a finite number"_s));
    }
    r.stringValue = std::move(f.stringValue);
    r.boolValue = f.boolValue;
    r.dataValue = std::move(f.dataValue);

    r.time = m_baseTime + f.time.value_or(0);
    if (r.time < kRelativeTimeLimit) r.time += m_now;
    if (!std::isfinite(r.time)) return std::unexpected(recordError(index, u"bt + t is not a finite number"_s));
    r.updateTime = f.updateTime.value_or(0);
    r.unit = f.unit ? std::move(*f.unit) : m_baseUnit;
    r.version = *m_version;

    m_records.append(std::move(r));
    return {};
}

mf::Result<QList<Record>> Resolver::finish()
{
    if (m_records.isEmpty())
        return mf::fail(mf::ErrorCode::Malformed, u"empty pack: a SenML pack needs at least one record"_s);
    // Resolved records are in chronological order (§4.6). Most packs already are: check in linear time first.
    const auto byTime = [](const Record &a, const Record &b) { return a.time < b.time; };
    if (!std::is_sorted(m_records.cbegin(), m_records.cend(), byTime))
        std::stable_sort(m_records.begin(), m_records.end(), byTime);
    return std::move(m_records);
}

} // namespace mf::senml::detail
