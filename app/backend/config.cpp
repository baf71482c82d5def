#include "config.h"

#include <climits>

#include "core/duration.h"
#include "core/lora/lora.h"

#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>

#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace mf::backend {

QString SettingInfo::flag() const
{
    return env.mid(3).toLower().replace(u'_', u'-');
}

QString SettingInfo::fileKey() const
{
    return env.mid(3).toLower();
}

const QList<SettingInfo> &Config::settings()
{
    static const QList<SettingInfo> list{
        {u"MF_CONFIG"_s, {}, u"Optional config file: lines of `key = value` (keys as in this list without MF_, "
                             "lower-case: http_port = 8180); # starts a comment."_s},
        {u"MF_DATA_DIR"_s, QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/mainflux"_s,
         u"Data directory: SQLite database, generated JWT secret, logs, lock file."_s},
        {u"MF_HTTP_HOST"_s, u"127.0.0.1"_s, u"Address of the REST port (0.0.0.0 for every interface)."_s},
        {u"MF_HTTP_PORT"_s, u"8180"_s, u"The REST port (users, things, channels, HTTP messages); 0 = any free port."_s},
        {u"MF_HTTP_ADAPTER_PORT"_s, {}, u"Also serve the HTTP message adapter alone on this port, at "
                                        "/channels/{id}/messages (Mainflux's separate adapter); empty = only on the "
                                        "REST port under /http; 0 = any free port."_s},
        {u"MF_HTTP_MAX_BODY"_s, u"1048576"_s, u"Largest accepted request body in bytes (413 above); also the largest "
                                              "WebSocket message and CoAP payload (4.13)."_s},
        {u"MF_HTTP_MAX_REQUEST_LINE"_s, u"8192"_s, u"Longest request line in bytes on the REST, HTTP adapter and "
                                                   "WebSocket ports (414 and close above)."_s},
        {u"MF_HTTP_MAX_HEADER_BYTES"_s, u"16384"_s, u"Largest request head (request line and headers) in bytes on "
                                                    "those ports (431 and close above)."_s},
        {u"MF_HTTP_MAX_HEADERS"_s, u"100"_s, u"Most header lines in a request on those ports (431 and close above)."_s},
        {u"MF_HTTP_HEADER_TIMEOUT_MS"_s, u"10000"_s, u"A request head (or WebSocket upgrade request) begun must be "
                                                     "complete within this (408 and close after)."_s},
        {u"MF_HTTP_IDLE_TIMEOUT_MS"_s, u"60000"_s, u"A REST or HTTP adapter connection on which nothing arrives for "
                                                   "this long (keep-alive between requests, a stalled body) is "
                                                   "closed."_s},
        {u"MF_HTTP_MAX_CONNECTIONS_PER_ADDRESS"_s, u"256"_s, u"Most open connections from one client address on each "
                                                             "of those ports (503 and close above)."_s},
        {u"MF_HTTP_MAX_CONNECTIONS"_s, u"4096"_s, u"Most open connections on each of those ports (503 and close "
                                                  "above); keep below the process's open-file limit."_s},
        {u"MF_LOGIN_FAILURES"_s, u"10"_s, u"Failed sign-ins (POST /tokens) for one e-mail within MF_LOGIN_WINDOW after "
                                          "which its sign-ins get 429 with Retry-After until the window ends, even "
                                          "with the right password; a successful sign-in clears the count; 0 = no "
                                          "limit."_s},
        {u"MF_LOGIN_FAILURES_PER_ADDRESS"_s, u"50"_s, u"The same per client address (IPv6: per /64); 0 = no limit."_s},
        {u"MF_LOGIN_WINDOW"_s, u"5m"_s, u"The window of the sign-in limits (90s, 5m, 1h), counted from a key's first "
                                        "failure."_s},
        {u"MF_KEY_FAILURES"_s, u"1000"_s, u"Failed thing-key attempts from one client address (IPv6: per /64) within "
                                         "MF_KEY_WINDOW, over HTTP, WebSocket, CoAP and MQTT together in one process "
                                         "(MQTT counts in the broker), after which that address is refused until the "
                                         "window ends (HTTP and WebSocket 429 with Retry-After, CoAP 4.29 with "
                                         "Max-Age, MQTT CONNACK not authorised), even with a right key; 0 = no "
                                         "limit."_s},
        {u"MF_THING_RATE"_s, u"0"_s, u"Most messages a second one thing may publish, over every protocol of one process "
                                     "(MQTT counts in the broker), with bursts of one second's worth; more are "
                                     "refused and recorded as refusals \"rate limited\" (HTTP 429 with Retry-After, "
                                     "CoAP 4.29 with Max-Age, WebSocket an error frame, MQTT: QoS 0 dropped, MQTT 5 "
                                     "QoS 1/2 PUBACK 0x87, MQTT 3.1.1 QoS 1/2 disconnected); 0 = no limit."_s},
        {u"MF_KEY_WINDOW"_s, u"1m"_s, u"The window of MF_KEY_FAILURES, counted from an address's first failure."_s},
        {u"MF_WS_PORT"_s, u"8186"_s, u"The WebSocket adapter's port (ws://host:port/channels/{id}/messages, on "
                                     "MF_HTTP_HOST); 0 = any free port."_s},
        {u"MF_COAP_PORT"_s, u"5683"_s, u"UDP port of the CoAP adapter (on MF_HTTP_HOST); 0 = any free port."_s},
        {u"MF_COAP_UPLOAD_TIMEOUT_MS"_s, u"30000"_s, u"An unfinished CoAP block-wise upload (Block1) is dropped this "
                                                    "long after its last block; a later block gets 4.08."_s},
        {u"MF_COAP_MAX_UPLOADS"_s, u"4"_s, u"Unfinished CoAP block-wise uploads per client IP address; one more gets "
                                          "4.29 Too Many Requests."_s},
        {u"MF_COAP_UPLOAD_BUFFER"_s, u"67108864"_s, u"Bytes of unfinished CoAP block-wise uploads held at once over "
                                                   "all clients; a block beyond gets 5.03 and its upload is dropped."_s},
        {u"MF_COAP_MAX_SESSIONS"_s, u"10000"_s, u"CoAP client sessions (one per client address and port) kept while "
                                               "idle; one more removes the least recently used idle one, so a flood "
                                               "of source ports cannot grow memory without bound; 0 = no limit."_s},
        {u"MF_COAP_MAX_OBSERVERS"_s, u"64"_s, u"CoAP Observe registrations per client IP address; one more gets 4.29 "
                                             "Too Many Requests."_s},
        {u"MF_TLS_CERT"_s, {}, u"PEM certificate (then its chain) of this server. With MF_TLS_KEY it turns on TLS: "
                               "HTTPS on the REST and HTTP adapter ports, WSS on the WebSocket and MQTT-over-WebSocket "
                               "ports, MQTT over TLS on MF_MQTT_TLS_PORT, CoAP over DTLS on MF_COAP_DTLS_PORT. "
                               "mainflux-backend --make-dev-cert DIR makes a pair for labs."_s},
        {u"MF_TLS_KEY"_s, {}, u"PEM private key (unencrypted; keep it 0600) of MF_TLS_CERT."_s},
        {u"MF_TLS_PLAINTEXT"_s, u"true"_s, u"With TLS on: false = also no plaintext MQTT and CoAP listeners (MQTT keeps "
                                           "one on the loopback address for the broker's own use)."_s},
        {u"MF_HTTP_TLS_CERT"_s, {}, u"Optional: another PEM certificate for the REST and HTTP adapter ports only (with "
                                    "MF_HTTP_TLS_KEY; needs MF_TLS_CERT); empty = MF_TLS_CERT."_s},
        {u"MF_HTTP_TLS_KEY"_s, {}, u"PEM private key of MF_HTTP_TLS_CERT."_s},
        {u"MF_WS_TLS_CERT"_s, {}, u"Optional: another PEM certificate for the WebSocket adapter's port only (with "
                                  "MF_WS_TLS_KEY; needs MF_TLS_CERT); empty = MF_TLS_CERT."_s},
        {u"MF_WS_TLS_KEY"_s, {}, u"PEM private key of MF_WS_TLS_CERT."_s},
        {u"MF_MQTT_TLS_CERT"_s, {}, u"Optional: another PEM certificate for MQTT over TLS and MQTT over WebSocket only "
                                    "(with MF_MQTT_TLS_KEY; needs MF_TLS_CERT); empty = MF_TLS_CERT."_s},
        {u"MF_MQTT_TLS_KEY"_s, {}, u"PEM private key of MF_MQTT_TLS_CERT."_s},
        {u"MF_COAP_DTLS_CERT"_s, {}, u"Optional: another PEM certificate for CoAP over DTLS only (with "
                                     "MF_COAP_DTLS_KEY; needs MF_TLS_CERT); empty = MF_TLS_CERT."_s},
        {u"MF_COAP_DTLS_KEY"_s, {}, u"PEM private key of MF_COAP_DTLS_CERT."_s},
        {u"MF_MQTT_TLS_PORT"_s, u"8883"_s, u"MQTT over TLS port (with MF_TLS_CERT) on MF_HTTP_HOST; 0 = any free port."_s},
        {u"MF_COAP_DTLS_PORT"_s, u"5684"_s, u"UDP port of CoAP over DTLS (with MF_TLS_CERT) on MF_HTTP_HOST; 0 = any "
                                            "free port."_s},
        {u"MF_DB_URL"_s, {}, u"Empty = SQLite file in the data dir; sqlite:<path>; or "
                             "postgres://user:pass@host:port/db for PostgreSQL."_s},
        {u"MF_JWT_SECRET"_s, {}, u"Secret signing user tokens; empty = generated once into <data dir>/jwt-secret "
                                 "(0600). Give every process of a cluster the same one."_s},
        {u"MF_TOKEN_TTL"_s, u"36000"_s, u"Lifetime of user tokens in seconds."_s},
        {u"MF_OFFLINE_AFTER"_s, u"5m"_s, u"Silence after which a thing without an open MQTT connection counts as "
                                         "offline (90s, 15m, 2h, 1d; a thing's metadata offline_after overrides "
                                         "it)."_s},
        {u"MF_RULES_MAX"_s, u"1000"_s, u"Alert rules a user may have (POST /rules answers 409 beyond)."_s},
        {u"MF_ADMIN_EMAIL"_s, {}, u"This e-mail becomes an administrator when it signs up (the first user always "
                                  "does)."_s},
        {u"MF_ALLOW_SIGNUP"_s, u"true"_s, u"Whether anyone may create an account with POST /users (false: only the "
                                          "administrator; the first user may always sign up)."_s},
        {u"MF_NATS_URL"_s, {}, u"Empty = start a bundled nats-server (JetStream, data in the data dir); else "
                               "comma-separated nats:// URLs of an external server or cluster."_s},
        {u"MF_NATS_REPLICAS"_s, u"auto"_s, u"Copies of the message stream kept by a NATS JetStream cluster (1-5); auto = "
                                           "1 with the bundled nats-server, else the number of known servers, at "
                                           "most 3."_s},
        {u"MF_START_WAIT_S"_s, u"120"_s, u"How long a process waits at start for a NATS server or database that does "
                                        "not answer yet (retrying with backoff, each attempt logged) before it exits "
                                        "with status 1; 0 = fail at once. SIGTERM ends the wait."_s},
        {u"MF_NATS_PORT"_s, u"0"_s, u"Port of the bundled nats-server on 127.0.0.1; 0 = any free port."_s},
        {u"MF_MQTT_PORT"_s, u"1883"_s, u"MQTT port (a supervised mosquitto with the Mainflux plugin) on MF_HTTP_HOST; "
                                       "0 = any free port."_s},
        {u"MF_MQTT_WS_PORT"_s, u"8880"_s, u"MQTT over WebSocket port (path /mqtt) on MF_HTTP_HOST; 0 = any free port."_s},
        {u"MF_MQTT_MAX_CONNECTIONS"_s, u"4096"_s, u"Most MQTT clients connected at once (TCP, TLS and WebSocket "
                                                  "together); one more is closed without CONNACK (it retries later); "
                                                  "0 = no limit."_s},
        {u"MF_MQTT_AUTH_TIMEOUT_MS"_s, u"100"_s, u"How long the MQTT broker waits for the things service when a key or "
                                                 "connection is not cached yet; after it the client is disconnected "
                                                 "and retries."_s},
        {u"MF_MQTT_STORE_TIMEOUT_MS"_s, u"1000"_s, u"How long the MQTT broker waits for the message stream to store a "
                                                   "QoS 1/2 publish before refusing it (MQTT 5: PUBACK 0x87, MQTT 3.1.1: "
                                                   "disconnect); PUBACK is sent only after the stream stored it."_s},
        {u"MF_ACCESS_TIMEOUT_MS"_s, u"500"_s, u"A process that does not run `things` asks the process that does over "
                                              "the bus; how long it waits for an answer before refusing with 503 "
                                              "(answers are cached until a change is announced)."_s},
        {u"MF_MQTT_CONTENT_TYPE"_s, u"application/senml+json"_s, u"Content type of MQTT messages that carry no MQTT 5 "
                                                               "content-type property (all MQTT 3.1.1 messages)."_s},
        {u"MF_SERVICES"_s, u"all"_s, u"Comma-separated services this process runs: all, or any of %1."_s},
        {u"MF_LORA_MQTT_URL"_s, {}, u"MQTT broker of the LoRa network server (ChirpStack, LoRa Server): tcp://host:1883 "
                                    "or ssl://host:8883. Empty = no LoRa adapter in \"all\"; set = \"all\" "
                                    "includes lora."_s},
        {u"MF_LORA_MQTT_USER"_s, {}, u"User name on the LoRa broker (empty = anonymous)."_s},
        {u"MF_LORA_MQTT_PASSWORD"_s, {}, u"Password on the LoRa broker."_s},
        {u"MF_LORA_MQTT_CA"_s, {}, u"PEM file of the CA that signed the LoRa broker's certificate (ssl:// only); "
                                   "empty = the system's trust store."_s},
        {u"MF_LORA_CLIENT_ID"_s, u"mainflux-lora"_s, u"MQTT client id on the LoRa broker (a persistent session: the "
                                                     "broker keeps uplinks while the adapter restarts)."_s},
        {u"MF_LORA_TOPICS"_s, u"application/+/device/+/event/up,application/+/device/+/rx"_s,
         u"Comma-separated uplink topics: ChirpStack v4 and v3 (event/up) and LoRa Server (rx)."_s},
        {u"MF_LORA_GENERATION"_s, u"v4"_s, u"Network server the downlinks are written for: v4 (ChirpStack v4), v3 "
                                           "(ChirpStack v3) or loraserver (LoRa Server, .../tx). Uplinks of every "
                                           "generation are understood."_s},
        {u"MF_LORA_RADIO"_s, u"true"_s, u"Publish each uplink's radio metadata (RSSI, SNR, frame counter, port, "
                                        "gateway) as SenML on the channel's subtopic lora/rx."_s},
        {u"MF_LOG_LEVEL"_s, u"info"_s, u"debug, info, warn or error."_s},
        {u"MF_LOG_FORMAT"_s, u"text"_s, u"text or json (one JSON object per line)."_s},
    };
    return list;
}

const QStringList &Config::knownServices()
{
    static const QStringList services{u"users"_s,      u"things"_s, u"http"_s,   u"ws"_s,   u"coap"_s, u"mqtt"_s,
                                      u"normalizer"_s, u"writer"_s, u"reader"_s, u"lora"_s,
                                      u"rules"_s};
    return services;
}

Result<bool> parseBool(const QString &name, const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == "true"_L1 || t == "1"_L1 || t == "yes"_L1 || t == "on"_L1)
        return true;
    if (t == "false"_L1 || t == "0"_L1 || t == "no"_L1 || t == "off"_L1)
        return false;
    return fail(ErrorCode::Malformed, u"%1: \"%2\" is not a boolean (true or false)"_s.arg(name, text));
}

namespace {

const QStringList &httpLimitSettings()
{
    static const QStringList names{u"MF_HTTP_MAX_REQUEST_LINE"_s,  u"MF_HTTP_MAX_HEADER_BYTES"_s,
                                   u"MF_HTTP_MAX_HEADERS"_s,       u"MF_HTTP_HEADER_TIMEOUT_MS"_s,
                                   u"MF_HTTP_IDLE_TIMEOUT_MS"_s,   u"MF_HTTP_MAX_CONNECTIONS_PER_ADDRESS"_s,
                                   u"MF_HTTP_MAX_CONNECTIONS"_s};
    return names;
}

const SettingInfo *findByEnv(const QString &env)
{
    for (const SettingInfo &s : Config::settings())
        if (s.env == env)
            return &s;
    return nullptr;
}

Result<QHash<QString, QString>> readConfigFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return fail(ErrorCode::Malformed, u"config file %1: %2"_s.arg(path, file.errorString()));
    QHash<QString, QString> values;
    int lineNumber = 0;
    while (!file.atEnd()) {
        ++lineNumber;
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const qsizetype eq = line.indexOf(u'=');
        if (eq <= 0)
            return fail(ErrorCode::Malformed, u"config file %1 line %2: expected `key = value`"_s.arg(path).arg(lineNumber));
        const QString key = line.left(eq).trimmed().toLower();
        const QString env = u"MF_"_s + key.toUpper();
        if (!findByEnv(env) || env == "MF_CONFIG"_L1)
            return fail(ErrorCode::Malformed,
                        u"config file %1 line %2: unknown setting \"%3\""_s.arg(path).arg(lineNumber).arg(key));
        QString value = line.mid(eq + 1).trimmed();
        if (value.size() >= 2 && value.startsWith(u'"') && value.endsWith(u'"'))
            value = value.mid(1, value.size() - 2);
        values.insert(env, value);
    }
    return values;
}

} // namespace

Result<Config> Config::fromValues(const QHash<QString, QString> &values)
{
    Config config;
    for (const SettingInfo &s : settings())
        config.m_values.insert(s.env, s.defaultValue);
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        if (!findByEnv(it.key()))
            return fail(ErrorCode::Malformed, u"unknown setting %1"_s.arg(it.key()));
        config.m_values.insert(it.key(), it.value());
    }
    if (auto ok = config.validate(); !ok)
        return std::unexpected(ok.error());
    return config;
}

Result<Config> Config::load(const QStringList &args, const QHash<QString, QString> &env)
{
    // Flags: --name value or --name=value, for every setting.
    QHash<QString, QString> flags;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args[i];
        if (!arg.startsWith("--"_L1))
            return fail(ErrorCode::Malformed, u"unexpected argument \"%1\" (see --help)"_s.arg(arg));
        QString name = arg.mid(2), value;
        const qsizetype eq = name.indexOf(u'=');
        if (eq >= 0) {
            value = name.mid(eq + 1);
            name.truncate(eq);
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            return fail(ErrorCode::Malformed, u"--%1 needs a value"_s.arg(name));
        }
        const QString envName = u"MF_"_s + name.toUpper().replace(u'-', u'_');
        if (!findByEnv(envName))
            return fail(ErrorCode::Malformed, u"unknown option --%1 (see --help)"_s.arg(name));
        flags.insert(envName, value);
    }
    QHash<QString, QString> merged;
    const QString configPath = flags.value(u"MF_CONFIG"_s, env.value(u"MF_CONFIG"_s));
    if (!configPath.isEmpty()) {
        auto fileValues = readConfigFile(configPath);
        if (!fileValues)
            return std::unexpected(fileValues.error());
        merged = *fileValues;
    }
    for (const SettingInfo &s : settings())
        if (env.contains(s.env))
            merged.insert(s.env, env.value(s.env));
    for (auto it = flags.cbegin(); it != flags.cend(); ++it)
        merged.insert(it.key(), it.value());
    return fromValues(merged);
}

Result<void> Config::validate() const
{
    for (const SettingInfo &s : settings()) {
        const QString v = m_values.value(s.env);
        if (s.env.endsWith("_PORT"_L1) && !(v.isEmpty() && s.defaultValue.isEmpty())) {
            bool ok = false;
            const uint port = v.toUInt(&ok);
            if (!ok || port > 65535)
                return fail(ErrorCode::Malformed, u"%1: \"%2\" is not a port (0-65535; 0 = any free port)"_s.arg(s.env, v));
        }
    }
    // Positive integers; all but the two byte sizes must also fit an int.
    QStringList positive{u"MF_HTTP_MAX_BODY"_s,         u"MF_TOKEN_TTL"_s,          u"MF_MQTT_AUTH_TIMEOUT_MS"_s,
                         u"MF_ACCESS_TIMEOUT_MS"_s,     u"MF_COAP_UPLOAD_TIMEOUT_MS"_s, u"MF_COAP_MAX_UPLOADS"_s,
                         u"MF_COAP_MAX_OBSERVERS"_s,    u"MF_COAP_UPLOAD_BUFFER"_s, u"MF_MQTT_STORE_TIMEOUT_MS"_s,
                         u"MF_RULES_MAX"_s};
    positive += httpLimitSettings();
    for (const QString &name : std::as_const(positive)) {
        bool ok = false;
        const qint64 n = m_values.value(name).toLongLong(&ok);
        if (!ok || n <= 0 || (name != "MF_COAP_UPLOAD_BUFFER"_L1 && name != "MF_HTTP_MAX_BODY"_L1 && n > INT_MAX))
            return fail(ErrorCode::Malformed, u"%1: \"%2\" must be a positive integer"_s.arg(name, m_values.value(name)));
    }
    if (bool ok = false; m_values.value(u"MF_START_WAIT_S"_s).toInt(&ok) < 0 || !ok)
        return fail(ErrorCode::Malformed,
                    u"MF_START_WAIT_S: \"%1\" must be 0 or more seconds"_s.arg(m_values.value(u"MF_START_WAIT_S"_s)));
    if (const QString replicas = m_values.value(u"MF_NATS_REPLICAS"_s); replicas != "auto"_L1) {
        bool ok = false;
        const int n = replicas.toInt(&ok);
        if (!ok || n < 1 || n > 5)
            return fail(ErrorCode::Malformed, u"MF_NATS_REPLICAS: \"%1\" is not auto or 1-5"_s.arg(replicas));
    }
    if (bool ok = false; m_values.value(u"MF_THING_RATE"_s).toDouble(&ok) < 0 || !ok)
        return fail(ErrorCode::Malformed, u"MF_THING_RATE: \"%1\" must be 0 (no limit) or messages a second"_s.arg(
                                              m_values.value(u"MF_THING_RATE"_s)));
    for (const QString &name : {u"MF_OFFLINE_AFTER"_s, u"MF_LOGIN_WINDOW"_s, u"MF_KEY_WINDOW"_s})
        if (auto duration = parseDuration(m_values.value(name)); !duration)
            return fail(ErrorCode::Malformed, name + u": "_s + duration.error().message);
    for (const QString &name : {u"MF_LOGIN_FAILURES"_s, u"MF_LOGIN_FAILURES_PER_ADDRESS"_s, u"MF_KEY_FAILURES"_s,
                                u"MF_MQTT_MAX_CONNECTIONS"_s, u"MF_COAP_MAX_SESSIONS"_s}) {
        bool ok = false;
        const qint64 n = m_values.value(name).toLongLong(&ok);
        if (!ok || n < 0 || n > INT_MAX)
            return fail(ErrorCode::Malformed,
                        u"%1: \"%2\" must be 0 (no limit) or a positive integer"_s.arg(name, m_values.value(name)));
    }
    for (const QString &name : {u"MF_ALLOW_SIGNUP"_s, u"MF_LORA_RADIO"_s, u"MF_TLS_PLAINTEXT"_s})
        if (auto ok = parseBool(name, m_values.value(name)); !ok)
            return std::unexpected(ok.error());
    if (auto generation = lora::generationFromString(m_values.value(u"MF_LORA_GENERATION"_s)); !generation)
        return fail(ErrorCode::Malformed, u"MF_LORA_GENERATION: "_s + generation.error().message);
    const bool hasCert = !m_values.value(u"MF_TLS_CERT"_s).trimmed().isEmpty();
    const bool hasKey = !m_values.value(u"MF_TLS_KEY"_s).trimmed().isEmpty();
    if (hasCert != hasKey)
        return fail(ErrorCode::Malformed, hasCert ? u"MF_TLS_CERT is set but MF_TLS_KEY is not: give both"_s
                                                  : u"MF_TLS_KEY is set but MF_TLS_CERT is not: give both"_s);
    for (const auto &[certName, keyName] : {std::pair{u"MF_HTTP_TLS_CERT"_s, u"MF_HTTP_TLS_KEY"_s},
                                            std::pair{u"MF_WS_TLS_CERT"_s, u"MF_WS_TLS_KEY"_s},
                                            std::pair{u"MF_MQTT_TLS_CERT"_s, u"MF_MQTT_TLS_KEY"_s},
                                            std::pair{u"MF_COAP_DTLS_CERT"_s, u"MF_COAP_DTLS_KEY"_s}}) {
        const bool overrideCert = !m_values.value(certName).trimmed().isEmpty();
        const bool overrideKey = !m_values.value(keyName).trimmed().isEmpty();
        if (overrideCert != overrideKey)
            return fail(ErrorCode::Malformed, u"%1 is set but %2 is not: give both"_s.arg(
                                                  overrideCert ? certName : keyName, overrideCert ? keyName : certName));
        if (overrideCert && !hasCert)
            return fail(ErrorCode::Malformed, u"%1 needs MF_TLS_CERT and MF_TLS_KEY: an override replaces the "
                                              "certificate of one protocol of a TLS server"_s.arg(certName));
    }
    if (!hasCert && !enabled(u"MF_TLS_PLAINTEXT"_s))
        return fail(ErrorCode::Malformed, u"MF_TLS_PLAINTEXT=false needs MF_TLS_CERT and MF_TLS_KEY (there would be "
                                          "no listener left)"_s);
    const QString level = m_values.value(u"MF_LOG_LEVEL"_s);
    if (!QStringList{u"debug"_s, u"info"_s, u"warn"_s, u"error"_s}.contains(level))
        return fail(ErrorCode::Malformed, u"MF_LOG_LEVEL: \"%1\" is not one of debug, info, warn, error"_s.arg(level));
    const QString format = m_values.value(u"MF_LOG_FORMAT"_s);
    if (format != "text"_L1 && format != "json"_L1)
        return fail(ErrorCode::Malformed, u"MF_LOG_FORMAT: \"%1\" is not text or json"_s.arg(format));
    if (m_values.value(u"MF_DATA_DIR"_s).trimmed().isEmpty())
        return fail(ErrorCode::Malformed, u"MF_DATA_DIR: must not be empty"_s);
    const QStringList requested = m_values.value(u"MF_SERVICES"_s).split(u',', Qt::SkipEmptyParts);
    if (requested.isEmpty())
        return fail(ErrorCode::Malformed, u"MF_SERVICES: names no service"_s);
    for (const QString &service : requested) {
        const QString s = service.trimmed();
        if (s != "all"_L1 && !knownServices().contains(s))
            return fail(ErrorCode::Malformed, u"MF_SERVICES: unknown service \"%1\" (known: all, %2)"_s.arg(
                                                  s, knownServices().join(u", "_s)));
    }
    // A writer on a shared bus without the reader beside it and without MF_DB_URL would keep every message in this
    // process's own SQLite file, where no reader ever finds it: refuse rather than lose them quietly.
    if (runs(u"writer"_s) && !runs(u"reader"_s) && m_values.value(u"MF_DB_URL"_s).trimmed().isEmpty() &&
        !m_values.value(u"MF_NATS_URL"_s).trimmed().isEmpty())
        return fail(ErrorCode::Malformed, u"MF_SERVICES: a writer without the reader needs MF_DB_URL, the database "
                                          "the reader serves (postgres://... or sqlite:<path of its file>); without "
                                          "it, messages would be stored in this process's own SQLite file, where no "
                                          "reader finds them"_s);
    if (runs(u"lora"_s) && m_values.value(u"MF_LORA_MQTT_URL"_s).trimmed().isEmpty())
        return fail(ErrorCode::Malformed, u"MF_SERVICES: the lora service needs MF_LORA_MQTT_URL (the network "
                                          "server's MQTT broker, e.g. tcp://localhost:1883)"_s);
    const QString loraUrl = m_values.value(u"MF_LORA_MQTT_URL"_s).trimmed();
    if (!loraUrl.isEmpty() && !QRegularExpression(u"^(tcp|ssl|mqtt|mqtts)://[^/:]+(:[0-9]+)?$"_s).match(loraUrl).hasMatch())
        return fail(ErrorCode::Malformed, u"MF_LORA_MQTT_URL: \"%1\" is not tcp://host[:port] or "
                                          "ssl://host[:port]"_s.arg(loraUrl));
    return {};
}

bool Config::enabled(const QString &env) const
{
    return parseBool(env, m_values.value(env)).value_or(false);
}

QStringList Config::services() const
{
    QStringList out;
    for (const QString &service : m_values.value(u"MF_SERVICES"_s).split(u',', Qt::SkipEmptyParts)) {
        if (service.trimmed() == "all"_L1) {
            // The LoRa adapter needs a network server's broker: "all" includes it only when one is configured.
            if (!m_values.value(u"MF_LORA_MQTT_URL"_s).trimmed().isEmpty())
                return knownServices();
            QStringList all = knownServices();
            all.removeAll(u"lora"_s);
            return all;
        }
        out.append(service.trimmed());
    }
    return out;
}

QString Config::helpText()
{
    QString text = u"Settings (flag > environment variable > config file > default):\n\n"_s;
    for (const SettingInfo &s : settings()) {
        QString help = s.help;
        if (s.env == "MF_SERVICES"_L1)
            help = help.arg(knownServices().join(u", "_s));
        text += u"  --%1 <value>\n      %2   default: %3\n      %4\n"_s.arg(
            s.flag(), s.env, s.defaultValue.isEmpty() ? u"(empty)"_s : s.defaultValue, help);
    }
    return text;
}

} // namespace mf::backend
