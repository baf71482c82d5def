#include "decoders.h"

#include <QCborStreamReader>
#include <QCborValue>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

// A streaming decoder: no CBOR tree is built, and every step checks the reader's error so that truncated or
// invalid input ends in a message, never in a type mismatch or an assertion.
namespace mf::senml::detail {

namespace {

constexpr qint64 kUnknownKey = std::numeric_limits<qint64>::min();

QString cborProblem(QCborStreamReader &r)
{
    return u"invalid CBOR at offset %1: %2"_s.arg(r.currentOffset()).arg(r.lastError().toString());
}

bool failed(QCborStreamReader &r)
{
    return r.lastError() != QCborError::NoError;
}

// The whole text string (it may come in chunks); nullopt when the reader fails.
std::optional<QString> readText(QCborStreamReader &r)
{
    QString text;
    auto chunk = r.readString();
    while (chunk.status == QCborStreamReader::Ok) {
        text += chunk.data;
        chunk = r.readString();
    }
    if (chunk.status == QCborStreamReader::Error) return std::nullopt;
    return text;
}

std::optional<QByteArray> readBytes(QCborStreamReader &r)
{
    QByteArray bytes;
    auto chunk = r.readByteArray();
    while (chunk.status == QCborStreamReader::Ok) {
        bytes += chunk.data;
        chunk = r.readByteArray();
    }
    if (chunk.status == QCborStreamReader::Error) return std::nullopt;
    return bytes;
}

// An integer of any size as a double; the reader must be on an integer.
double integerAsDouble(const QCborStreamReader &r)
{
    if (r.isUnsignedInteger()) return double(r.toUnsignedInteger());
    const quint64 magnitudeMinusOne = quint64(r.toNegativeInteger()) - 1; // -1 - magnitudeMinusOne
    return -1.0 - double(magnitudeMinusOne);
}

// The map key as a Table 4 integer label, kUnknownKey if out of any label's range.
qint64 integerKey(const QCborStreamReader &r)
{
    if (r.isUnsignedInteger()) return r.toUnsignedInteger() <= 64 ? qint64(r.toUnsignedInteger()) : kUnknownKey;
    const quint64 magnitudeMinusOne = quint64(r.toNegativeInteger()) - 1;
    return magnitudeMinusOne < 64 ? -1 - qint64(magnitudeMinusOne) : kUnknownKey;
}

// Tag 4 [exponent, mantissa] with integer parts (RFC 8949 §3.4.4), which RFC 8428 §6 allows for numbers.
// The reader is on the tagged array. Returns the problem, or an empty string.
QString readDecimalFraction(QCborStreamReader &r, double &out)
{
    if (!r.isArray() || !r.isLengthKnown() || r.length() != 2)
        return failed(r) ? cborProblem(r) : u"a decimal fraction (tag 4) must be [exponent, mantissa]"_s;
    if (!r.enterContainer()) return cborProblem(r);
    double parts[2] = {};
    for (double &part : parts) {
        if (!r.isInteger()) return failed(r) ? cborProblem(r) : u"a decimal fraction (tag 4) must hold two integers"_s;
        part = integerAsDouble(r);
        if (!r.next()) return cborProblem(r);
    }
    if (!r.leaveContainer()) return cborProblem(r);
    const double exponent = parts[0];
    const double mantissa = parts[1];
    if (std::abs(exponent) > 400) return u"decimal fraction exponent %1 is out of range"_s.arg(exponent);
    // Dividing by an exact power of ten rounds correctly where multiplying by 0.1... would not.
    out = exponent < 0 ? mantissa / std::pow(10.0, -exponent) : mantissa * std::pow(10.0, exponent);
    return {};
}

// Reads a number in any of its CBOR forms. Returns the problem, or an empty string.
QString readNumber(QCborStreamReader &r, const LabelInfo &info, double &out)
{
    switch (r.type()) {
    case QCborStreamReader::UnsignedInteger:
    case QCborStreamReader::NegativeInteger:
        out = integerAsDouble(r);
        break;
    case QCborStreamReader::Float16:
        out = double(float(r.toFloat16()));
        break;
    case QCborStreamReader::Float:
        out = double(r.toFloat());
        break;
    case QCborStreamReader::Double:
        out = r.toDouble();
        break;
    case QCborStreamReader::Tag:
        if (r.toTag() == QCborTag(QCborKnownTags::Decimal)) {
            if (!r.next()) return cborProblem(r);
            if (QString problem = readDecimalFraction(r, out); !problem.isEmpty())
                return u"field '%1': %2"_s.arg(info.text, problem);
            if (!std::isfinite(out)) return u"field '%1' must be a finite number"_s.arg(info.text);
            return {};
        }
        return u"field '%1' must be a number, not CBOR tag %2"_s.arg(info.text).arg(quint64(r.toTag()));
    case QCborStreamReader::Invalid:
        return cborProblem(r);
    default:
        return u"field '%1' must be a number"_s.arg(info.text);
    }
    if (!r.next()) return cborProblem(r);
    if (!std::isfinite(out)) return u"field '%1' must be a finite number"_s.arg(info.text);
    return {};
}

// Stores one known field, checking its CBOR type. Returns the problem, or an empty string.
QString readField(QCborStreamReader &r, const LabelInfo &info, Fields &f)
{
    if (failed(r) || r.isInvalid()) return cborProblem(r);
    const QString twice = u"field '%1' appears twice"_s;
    switch (info.kind) {
    case Kind::Text: {
        std::optional<QString> &slot = *f.textSlot(info.label);
        if (slot) return twice.arg(info.text);
        if (!r.isString()) return u"field '%1' must be a text string"_s.arg(info.text);
        slot = readText(r);
        return slot ? QString() : cborProblem(r);
    }
    case Kind::Data: {
        if (f.dataValue) return twice.arg(info.text);
        if (!r.isByteArray()) return u"field '%1' must be a byte string"_s.arg(info.text);
        const std::optional<QByteArray> bytes = readBytes(r);
        if (!bytes) return cborProblem(r);
        // The same text the JSON form carries (RFC 8428 §5: base64url, padding omitted).
        f.dataValue =
            QString::fromLatin1(bytes->toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        return {};
    }
    case Kind::Number: {
        std::optional<double> &slot = *f.numberSlot(info.label);
        if (slot) return twice.arg(info.text);
        double number = 0;
        if (QString problem = readNumber(r, info, number); !problem.isEmpty()) return problem;
        slot = number;
        return {};
    }
    case Kind::Boolean:
        if (f.boolValue) return twice.arg(info.text);
        if (!r.isBool()) return u"field '%1' must be true or false"_s.arg(info.text);
        f.boolValue = r.toBool();
        return r.next() ? QString() : cborProblem(r);
    case Kind::Version:
        if (f.baseVersion) return twice.arg(info.text);
        // RFC 8428 §6: "For the version number, only an unsigned integer is allowed."
        if (!r.isUnsignedInteger() || r.toUnsignedInteger() < 1)
            return u"field '%1' must be a positive integer"_s.arg(info.text);
        f.baseVersion = qint64(std::min<quint64>(r.toUnsignedInteger(), 1'000'000'000));
        return r.next() ? QString() : cborProblem(r);
    }
    return {};
}

mf::Result<void> readRecord(QCborStreamReader &r, qsizetype index, Fields &f)
{
    const auto problem = [index](const QString &what) { return std::unexpected(recordError(index, what)); };
    if (!r.enterContainer()) return problem(cborProblem(r));
    while (r.hasNext()) {
        const LabelInfo *info = nullptr;
        if (r.isInteger()) {
            info = labelForCborKey(integerKey(r)); // unknown integer labels are ignored (RFC 8428 §4.4)
            if (!r.next()) break;
        } else if (r.isString()) {
            const std::optional<QString> key = readText(r);
            if (!key) break;
            info = labelForText(*key);
            if (!info && isMustUnderstand(*key)) return problem(u"unsupported must-understand field '%1'"_s.arg(*key));
        } else {
            return problem(failed(r) ? cborProblem(r) : u"field labels must be integers or text strings"_s);
        }
        if (failed(r)) break;
        if (!info) {
            QCborValue::fromCbor(r); // skips the whole value, containers and tags included
            continue;
        }
        if (const QString what = readField(r, *info, f); !what.isEmpty()) return problem(what);
    }
    if (failed(r) || !r.leaveContainer()) return problem(cborProblem(r));
    return {};
}

} // namespace

mf::Result<void> decodeCbor(const QByteArray &payload, Resolver &resolver)
{
    if (payload.isEmpty())
        return mf::fail(mf::ErrorCode::Malformed, u"empty payload: a SenML pack must be a CBOR array"_s);
    QCborStreamReader r(payload);
    if (!r.isArray())
        return mf::fail(mf::ErrorCode::Malformed, failed(r) || r.isInvalid()
                                                      ? cborProblem(r)
                                                      : u"a SenML pack must be a CBOR array of records"_s);
    // Each record takes at least one byte: a forged length cannot make us reserve more than the payload.
    if (r.isLengthKnown()) resolver.reserve(qsizetype(std::min<quint64>(r.length(), quint64(payload.size()))));
    if (!r.enterContainer()) return mf::fail(mf::ErrorCode::Malformed, cborProblem(r));

    qsizetype index = 0;
    for (; r.hasNext(); ++index) {
        if (!r.isMap())
            return std::unexpected(
                recordError(index, failed(r) || r.isInvalid() ? cborProblem(r) : u"not a CBOR map"_s));
        Fields fields;
        if (auto ok = readRecord(r, index, fields); !ok) return ok;
        if (auto ok = resolver.add(std::move(fields), index); !ok) return ok;
    }
    if (failed(r)) return std::unexpected(recordError(index, cborProblem(r)));
    if (!r.leaveContainer()) return mf::fail(mf::ErrorCode::Malformed, cborProblem(r));
    if (r.currentOffset() != payload.size())
        return mf::fail(mf::ErrorCode::Malformed,
                        u"unexpected data after the CBOR array at offset %1"_s.arg(r.currentOffset()));
    return {};
}

} // namespace mf::senml::detail
