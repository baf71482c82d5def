#pragma once

#include "api/servertls.h"
#include "config.h"

#include <QJsonObject>
#include <array>
#include <optional>

namespace mf::backend {

// The protocols that may serve a certificate of their own (docs/security.md, "One certificate per protocol").
enum class TlsProtocol {
    Http, // the REST port and the HTTP adapter port (MF_HTTP_TLS_CERT / MF_HTTP_TLS_KEY)
    Ws,   // the WebSocket adapter (MF_WS_TLS_CERT / MF_WS_TLS_KEY)
    Mqtt, // MQTT over TLS (Mosquitto's listener) and MQTT over WebSocket (MF_MQTT_TLS_CERT / MF_MQTT_TLS_KEY)
    Coap, // CoAP over DTLS (MF_COAP_DTLS_CERT / MF_COAP_DTLS_KEY)
};

// What every TLS port serves: MF_TLS_CERT / MF_TLS_KEY, unless its protocol has an override. Every file is read and
// checked once at start (api::loadServerTls), so a bad override stops the backend with a message naming the
// setting and the file, as a bad MF_TLS_CERT does.
class TlsCertificates final
{
public:
    // std::nullopt without MF_TLS_CERT (no TLS; Config already refused an override without it).
    static Result<std::optional<TlsCertificates>> load(const Config &config);

    const api::ServerTls &serving(TlsProtocol protocol) const;
    bool overridden(TlsProtocol protocol) const { return m_overrides.at(index(protocol)).has_value(); }

    // The ready line's "tls" object: {"enabled": true, "sha256": <the REST port's certificate>} and, only when some
    // port (a name of `ports`, the ready line's port map) serves another certificate than the REST port,
    // "ports": {name: sha256} for exactly those ports. One certificate for all: the object has no "ports" key, as
    // before the overrides existed.
    QJsonObject describe(const QJsonObject &ports) const;

    // Which protocol's certificate a port of the ready line serves; std::nullopt for a plaintext port.
    static std::optional<TlsProtocol> protocolOfPort(const QString &portName);

private:
    static std::size_t index(TlsProtocol protocol) { return std::size_t(protocol); }

    api::ServerTls m_base;
    std::array<std::optional<api::ServerTls>, 4> m_overrides;
};

} // namespace mf::backend
