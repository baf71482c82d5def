#include "decoders.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>
#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace mf::senml::detail {

namespace {

// RFC 4648 §5 alphabet; RFC 8428 says padding is omitted, a trailing '=' padding is tolerated.
bool isBase64Url(const QString &text)
{
    qsizetype end = text.size();
    while (end > 0 && text.size() - end < 2 && text.at(end - 1) == u'=')
        --end;
    if (end % 4 == 1) return false; // no base64 text has this length
    for (qsizetype i = 0; i < end; ++i) {
        const char16_t c = text.at(i).unicode();
        const bool ok =
            (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-' || c == u'_';
        if (!ok) return false;
    }
    return true;
}

// QJsonDocument silently keeps the last of duplicate keys, while the CBOR decoder refuses them: to apply the one
// rule (refuse) to both, this scan counts the keys of each record object as written in the text (raw ':' at the
// record's own nesting level, outside strings). A record whose QJsonObject has fewer keys than that had a
// duplicate. Counting needs no unescaping ("v" and "\u0076" are told apart by QJsonObject, not here). Only called on
// text QJsonDocument accepted, so the structure is well-formed.
QList<qsizetype> keysPerRecord(const QByteArray &json)
{
    QList<qsizetype> counts;
    int depth = 0;
    bool inString = false, escaped = false;
    for (const char c : json) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"': inString = true; break;
        case '[':
        case '{':
            if (++depth == 2 && c == '{') counts.append(0);
            else if (depth == 2) counts.append(-1); // not an object: reported as such by the caller
            break;
        case ']':
        case '}': --depth; break;
        case ':':
            if (depth == 2) ++counts.last();
            break;
        default: break;
        }
    }
    return counts;
}

// The first key written twice in record `index` (slow path, only after keysPerRecord found one).
QString duplicateKey(const QByteArray &json, qsizetype index)
{
    QStringList seen;
    int depth = 0;
    qsizetype record = -1, keyStart = -1;
    bool inString = false, escaped = false;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json.at(i);
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = false;
                if (depth == 2 && record == index) {
                    // A key is a string followed by ':'; decode its escapes with the same JSON parser.
                    qsizetype j = i + 1;
                    while (j < json.size() && QChar::isSpace(uchar(json.at(j))))
                        ++j;
                    if (j < json.size() && json.at(j) == ':') {
                        const QString key =
                            QJsonDocument::fromJson('[' + json.mid(keyStart, i + 1 - keyStart) + ']').array().at(0).toString();
                        if (seen.contains(key)) return key;
                        seen.append(key);
                    }
                }
            }
            continue;
        }
        if (c == '"') {
            inString = true;
            keyStart = i;
        } else if (c == '[' || c == '{') {
            if (++depth == 2) ++record;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return {};
}

QString typeProblem(const LabelInfo &info, QLatin1StringView expected)
{
    return u"field '%1' must be %2"_s.arg(info.text, expected);
}

// Stores one known field, checking its JSON type. Returns the problem, or an empty string.
QString readField(const LabelInfo &info, const QJsonValue &value, Fields &f)
{
    switch (info.kind) {
    case Kind::Text: {
        if (!value.isString()) return typeProblem(info, "a string"_L1);
        QString text = value.toString();
        // JSON can spell an unpaired surrogate ("\ud800"), which no UTF-8 store can hold.
        if (!text.isValidUtf16()) return typeProblem(info, "valid Unicode text (it holds an unpaired surrogate)"_L1);
        *f.textSlot(info.label) = std::move(text);
        return {};
    }
    case Kind::Data: {
        if (!value.isString()) return typeProblem(info, "a base64url string"_L1);
        QString text = value.toString();
        if (!isBase64Url(text)) return typeProblem(info, "a base64url string"_L1);
        f.dataValue = std::move(text);
        return {};
    }
    case Kind::Number: {
        // QJsonDocument never produces NaN or infinity, but a number too large for a double would be one.
        if (!value.isDouble() || !std::isfinite(value.toDouble())) return typeProblem(info, "a finite number"_L1);
        *f.numberSlot(info.label) = value.toDouble();
        return {};
    }
    case Kind::Boolean:
        if (!value.isBool()) return typeProblem(info, "true or false"_L1);
        f.boolValue = value.toBool();
        return {};
    case Kind::Version: {
        const double number = value.toDouble();
        if (!value.isDouble() || number != std::trunc(number) || number < 1)
            return typeProblem(info, "a positive integer"_L1);
        f.baseVersion = qint64(std::min(number, 1e9)); // anything that large is an unsupported version anyway
        return {};
    }
    }
    return {};
}

mf::Result<void> readRecord(const QJsonObject &object, qsizetype index, Fields &f)
{
    // Duplicate keys were refused by decodeJson (QJsonDocument keeps only the last of them). Looking each label up is a binary search over the sorted keys and allocates nothing, where iterating the
    // object would make a QString of every key. Keys only need iterating when some are unknown.
    qsizetype known = 0;
    for (const LabelInfo &info : allLabels()) {
        const auto it = object.constFind(info.text);
        if (it == object.constEnd()) continue;
        ++known;
        if (const QString problem = readField(info, it.value(), f); !problem.isEmpty())
            return std::unexpected(recordError(index, problem));
    }
    if (known != object.size()) {
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            const QString key = it.key();
            if (isMustUnderstand(key) && !labelForText(key))
                return std::unexpected(recordError(index, u"unsupported must-understand field '%1'"_s.arg(key)));
        }
    }
    return {};
}

} // namespace

mf::Result<void> decodeJson(const QByteArray &payload, Resolver &resolver)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError)
        return mf::fail(mf::ErrorCode::Malformed,
                        u"invalid JSON at offset %1: %2"_s.arg(error.offset).arg(error.errorString()));
    if (!document.isArray())
        return mf::fail(mf::ErrorCode::Malformed, u"a SenML pack must be a JSON array of records"_s);

    const QJsonArray records = document.array();
    const QList<qsizetype> written = keysPerRecord(payload);
    resolver.reserve(records.size());
    for (qsizetype i = 0; i < records.size(); ++i) {
        const QJsonValue record = records.at(i);
        if (!record.isObject()) return std::unexpected(recordError(i, u"not a JSON object"_s));
        if (i < written.size() && written.at(i) != record.toObject().size())
            return std::unexpected(recordError(i, u"field '%1' appears twice"_s.arg(duplicateKey(payload, i))));
        Fields fields;
        if (auto ok = readRecord(record.toObject(), i, fields); !ok) return ok;
        if (auto ok = resolver.add(std::move(fields), i); !ok) return ok;
    }
    return {};
}

} // namespace mf::senml::detail
