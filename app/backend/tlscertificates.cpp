#include "tlscertificates.h"

using namespace Qt::StringLiterals;

namespace mf::backend {

namespace {

struct OverrideSettings
{
    TlsProtocol protocol;
    QString cert;
    QString key;
};

const std::array<OverrideSettings, 4> &overrideSettings()
{
    static const std::array<OverrideSettings, 4> settings{{
        {TlsProtocol::Http, u"MF_HTTP_TLS_CERT"_s, u"MF_HTTP_TLS_KEY"_s},
        {TlsProtocol::Ws, u"MF_WS_TLS_CERT"_s, u"MF_WS_TLS_KEY"_s},
        {TlsProtocol::Mqtt, u"MF_MQTT_TLS_CERT"_s, u"MF_MQTT_TLS_KEY"_s},
        {TlsProtocol::Coap, u"MF_COAP_DTLS_CERT"_s, u"MF_COAP_DTLS_KEY"_s},
    }};
    return settings;
}

} // namespace

Result<std::optional<TlsCertificates>> TlsCertificates::load(const Config &config)
{
    if (config.value(u"MF_TLS_CERT"_s).trimmed().isEmpty()) return std::optional<TlsCertificates>();
    TlsCertificates certificates;
    auto base = api::loadServerTls(config.value(u"MF_TLS_CERT"_s), config.value(u"MF_TLS_KEY"_s));
    if (!base) return std::unexpected(base.error());
    certificates.m_base = std::move(*base);
    for (const OverrideSettings &setting : overrideSettings()) {
        if (config.value(setting.cert).trimmed().isEmpty() && config.value(setting.key).trimmed().isEmpty()) continue;
        auto own = api::loadServerTls(config.value(setting.cert), config.value(setting.key), setting.cert, setting.key);
        if (!own) return std::unexpected(own.error());
        certificates.m_overrides.at(index(setting.protocol)) = std::move(*own);
    }
    return std::optional<TlsCertificates>(std::move(certificates));
}

const api::ServerTls &TlsCertificates::serving(TlsProtocol protocol) const
{
    const auto &own = m_overrides.at(index(protocol));
    return own ? *own : m_base;
}

std::optional<TlsProtocol> TlsCertificates::protocolOfPort(const QString &portName)
{
    if (portName == "http"_L1 || portName == "http_adapter"_L1) return TlsProtocol::Http;
    if (portName == "ws"_L1) return TlsProtocol::Ws;
    if (portName == "mqtt_tls"_L1 || portName == "mqtt_ws"_L1) return TlsProtocol::Mqtt;
    if (portName == "coap_dtls"_L1) return TlsProtocol::Coap;
    return std::nullopt;
}

QJsonObject TlsCertificates::describe(const QJsonObject &ports) const
{
    const QByteArray rest = serving(TlsProtocol::Http).sha256;
    QJsonObject tls{{u"enabled"_s, true}, {u"sha256"_s, QString::fromLatin1(rest)}};
    QJsonObject differing;
    for (auto it = ports.constBegin(); it != ports.constEnd(); ++it)
        if (const auto protocol = protocolOfPort(it.key()))
            if (serving(*protocol).sha256 != rest)
                differing.insert(it.key(), QString::fromLatin1(serving(*protocol).sha256));
    if (!differing.isEmpty()) tls.insert(u"ports"_s, differing);
    return tls;
}

} // namespace mf::backend
