#pragma once

#include <QtGlobal>

namespace mf::api {

// Bounds on what one client may make an HTTP-speaking port (REST, HTTP adapter, WebSocket gate) hold before a
// request is handled. The defaults are the MF_HTTP_* settings' (app/backend/config.cpp); each refusal is counted.
struct HttpLimits
{
    int maxRequestLine = 8 * 1024;        // longer: 414 and close
    int maxHeaderBytes = 16 * 1024;       // a longer head (request line + headers): 431 and close
    int maxHeaders = 100;                 // more header lines: 431 and close
    int headerTimeoutMs = 10'000;         // a head begun must be complete within this: 408 and close (slowloris)
    int idleTimeoutMs = 60'000;           // nothing received (between requests, or a stalled body): closed
    int maxConnectionsPerAddress = 256;   // one more from the same client address: 503 and close
    int maxConnections = 4096;            // one more on the port: 503 and close
};

} // namespace mf::api
