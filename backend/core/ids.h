#pragma once

#include <QString>

namespace mf {

// Random identifiers and secrets from libsodium's CSPRNG.
// newId(): UUIDv4 text (122 random bits), used for ids and, as in Mainflux, for thing keys.
QString newId();
// True when text is a canonical lower- or upper-case UUID (8-4-4-4-12 hex).
bool isUuid(const QString &text);
// Milliseconds since the Unix epoch.
qint64 nowMs();

} // namespace mf
