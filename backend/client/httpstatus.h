#pragma once

#include "core/error.h"

namespace mf::client {

// The inverse of the server's one switch (mf::api::httpStatus): an HTTP status code back to the error code, so the
// GUI and the CLI report what the server meant. Codes the server never sends map to the nearest meaning.
ErrorCode errorCodeForStatus(int status);

} // namespace mf::client
