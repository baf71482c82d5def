#pragma once

#include "error.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace mf {

// A thing's or channel's metadata as its client gave it. Mainflux 0.7's SDK declares metadata a *string* holding a
// JSON document; later versions and our API send an object. Both are kept as given and returned the same way, so a
// 0.7 client reads back what it wrote; an entity created without metadata has none (the field is omitted).
// object() is the content in every form (what the LoRa routes and the search read).
class Metadata final
{
public:
    enum class Form { None, Object, String };

    Metadata() = default;
    Metadata(QJsonObject object) : m_form(Form::Object), m_object(std::move(object)) {} // NOLINT: implicit on purpose

    // As found in a request body: absent, null or {} → none; an object; or a string holding a JSON object (an empty
    // or blank string → none). Anything else is Malformed with the reason.
    static Result<Metadata> fromJson(const QJsonValue &value);
    // As stored in the metadata column: a JSON object, a JSON string (the 0.7 form), or JSON null; an empty object
    // (older rows' "none") is none.
    static Metadata fromStored(const QString &text);

    Form form() const { return m_form; }
    const QJsonObject &object() const { return m_object; }
    bool isEmpty() const { return m_object.isEmpty(); }
    // The string form's text exactly as given; empty otherwise.
    const QString &text() const { return m_text; }
    // For a response: Undefined for none (omit the field), the string, or the object.
    QJsonValue toJson() const;
    // For the metadata column (JSON text; PostgreSQL casts it to JSONB).
    QString storedText() const;
    // The content as compact JSON text for people (tables, logs): the string as given, or the object.
    QString display() const;

    bool operator==(const Metadata &other) const = default;

private:
    Form m_form = Form::None;
    QJsonObject m_object;
    QString m_text;
};

} // namespace mf
