#pragma once

// What a fuzz target asserts beyond "no crash": a property the code promises (a round trip, an error with a
// message). A broken one aborts, which libFuzzer reports as a crash and saves the input, and fails the replay.

#include <QByteArray>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <source_location>

namespace mf::fuzz {

inline void check(bool ok, const char *what, std::source_location where = std::source_location::current())
{
    if (ok) return;
    std::fprintf(stderr, "%s:%u: fuzz check failed: %s\n", where.file_name(), unsigned(where.line()), what);
    std::abort();
}

// The input as a QByteArray without a copy (valid during the call only).
inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
}

} // namespace mf::fuzz
