#pragma once

#include "api/httplimits.h"
#include "api/router.h"
#include "api/servertls.h"
#include "config.h"
#include "tlscertificates.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <memory>
#include <optional>

class QEventLoop;
class QHostAddress;
class QLockFile;
class QThread;

namespace mf::storage {
class Database;
class SqlUserRepository;
class SqlThingRepository;
class SqlChannelRepository;
class SqlThingStatusRepository;
class SqlLatestValueRepository;
class SqlRefusalRepository;
class SqlRuleRepository;
} // namespace mf::storage
namespace mf::rules {
class RulesService;
}
namespace mf::status {
class StatusService;
}
namespace mf::users {
class UsersService;
class SignInLimits;
}
namespace mf::things {
class ThingsService;
class CachedAccessControl;
class ThingsRpcServer;
class ThingsRpcClient;
class ThingsEventListener;
} // namespace mf::things
namespace mf::bus {
class NatsConnection;
class NatsServerProcess;
} // namespace mf::bus
namespace mf::cluster {
class ClusterView;
}
namespace mf::writer {
class MessageWriter;
}
namespace mf::normalizer {
class Normalizer;
}
namespace mf::adapters {
class Ingest;
class HttpAdapter;
class WsAdapter;
class CoapAdapter;
class LoraAdapter;
class MqttAdapter;
} // namespace mf::adapters
namespace mf::storage {
class SqlMessageRepository;
}
namespace mf::api {
class HttpServer;
class KeyFailureLimits;
class Metrics;
class Router;
} // namespace mf::api

namespace mf::backend {

// The composition root of mainflux-backend: the only place that knows the concrete storage, services and
// adapters. Tests run it in-process on port 0.
class Backend final : public QObject
{
    Q_OBJECT

public:
    explicit Backend(Config config, QObject *parent = nullptr);
    ~Backend() override;
    Q_DISABLE_COPY_MOVE(Backend)

    // Locks the data dir, opens storage, starts the services and listeners. On failure nothing stays running.
    // A NATS server or database that does not answer yet is retried with backoff (logged each time) for up to
    // MF_START_WAIT_S, or until stop(): in a cluster, processes and servers start in no particular order.
    Result<void> start();
    // Ends a wait of start() for NATS or the database (SIGTERM while starting); start() then fails.
    void stop();
    bool stopRequested() const { return m_stopRequested; }
    // What the ready line prints: version, pid, data dir, database, every bound port.
    QJsonObject readyInfo() const;
    quint16 httpPort() const { return m_httpPort; }
    quint16 httpAdapterPort() const { return m_httpAdapterPort; }
    quint16 wsPort() const; // 0 when the ws service does not run here
    quint16 coapPort() const;
    quint16 coapDtlsPort() const;
    bool isTls() const { return m_tls.has_value(); }
    // Every (method, pattern) the REST port serves, in registration order (tests compare it with the OpenAPI doc).
    QList<api::Router::RouteInfo> routes() const;

    // Null in a process that runs none of users, things, reader, lora (it opens no database).
    things::ThingsService *thingsService() const { return m_things.get(); }
    things::CachedAccessControl *accessControl() const { return m_access.get(); }
    api::Metrics &metrics() const { return *m_metrics; }
    adapters::WsAdapter *wsAdapter() const { return m_wsAdapter.get(); }
    bus::NatsServerProcess *natsServer() const { return m_natsServer.get(); }
    quint64 storedMessages() const;
    adapters::LoraAdapter *loraAdapter() const { return m_lora.get(); }
    adapters::MqttAdapter *mqttAdapter() const { return m_mqtt.get(); }
    rules::RulesService *rulesService() const { return m_rules.get(); } // null unless `rules` runs here
    QString instanceId() const { return m_instanceId; }

private:
    Result<QByteArray> jwtSecret() const;
    // The steps of start(), in its order.
    Result<void> prepareDataDir();
    Result<void> startBusServices();
    void addServiceRoutes();
    Result<void> startEdgeAdapters(const QHostAddress &host);
    void addReaderRoutes();
    Result<void> startPipeline();
    Result<void> listenHttp(const QHostAddress &host);
    Result<void> startBus();
    template <typename Attempt>
    auto retryAtStart(const QString &what, Attempt attempt) -> decltype(attempt());
    bool waitUnlessStopped(int ms);
    Result<void> startWsAdapter(const QHostAddress &host);
    Result<void> startCoap();
    Result<void> beginMqtt(); // starts mosquitto without waiting; start() waits for it (MqttAdapter::finish) last
    bool needsBus() const;
    QJsonObject health() const;
    QJsonObject announcement() const;
    bool needsDatabase() const;
    Result<void> openStorage(const QByteArray &jwtSecret);
    void addOperationalRoutes();
    Result<void> startStatus();
    Result<void> startRules();
    Result<void> startLora();
    api::HttpLimits httpLimits() const; // the MF_HTTP_* bounds shared by the REST, HTTP adapter and WS ports

    std::optional<QSslConfiguration> tlsConfiguration(TlsProtocol protocol) const;
    void logTlsCertificates() const; // which certificate each protocol serves (fingerprints only)
    QString scheme(const char *plain) const; // "http" → "https" with TLS on

    Config m_config;
    std::optional<TlsCertificates> m_tls; // MF_TLS_CERT / MF_TLS_KEY and per-protocol overrides, checked at start
    QString m_dataDir;
    std::unique_ptr<QLockFile> m_lock;
    std::unique_ptr<api::Metrics> m_metrics;
    std::unique_ptr<api::KeyFailureLimits> m_keyFailures; // MF_KEY_*: shared by the HTTP, WS and CoAP adapters
    std::unique_ptr<api::Router> m_router;
    std::unique_ptr<storage::Database> m_db;
    std::unique_ptr<storage::SqlUserRepository> m_userRepo;
    std::unique_ptr<storage::SqlThingRepository> m_thingRepo;
    std::unique_ptr<storage::SqlChannelRepository> m_channelRepo;
    std::unique_ptr<users::UsersService> m_users;
    std::unique_ptr<users::SignInLimits> m_signInLimits; // MF_LOGIN_*
    std::unique_ptr<things::ThingsService> m_things;
    std::unique_ptr<things::ThingsRpcClient> m_thingsClient; // the things service of another process
    std::unique_ptr<things::CachedAccessControl> m_access;
    std::unique_ptr<storage::SqlMessageRepository> m_messageRepo;
    std::unique_ptr<bus::NatsServerProcess> m_natsServer;
    std::unique_ptr<bus::NatsConnection> m_nats;
    std::unique_ptr<writer::MessageWriter> m_writer;
    std::unique_ptr<things::ThingsRpcServer> m_thingsRpc;
    std::unique_ptr<storage::SqlThingStatusRepository> m_statusRepo;
    std::unique_ptr<storage::SqlLatestValueRepository> m_latestRepo;
    std::unique_ptr<storage::SqlRefusalRepository> m_refusalRepo;
    std::unique_ptr<status::StatusService> m_status;
    std::unique_ptr<storage::SqlRuleRepository> m_ruleRepo; // REST /rules, on this thread
    // The rules service evaluates every record: on a thread of its own with its own database connection, so many
    // rules on a busy name do not compete with the adapters and the REST API. The three live (and die) there.
    std::unique_ptr<QThread> m_rulesThread;
    std::unique_ptr<storage::Database> m_rulesDb;
    std::unique_ptr<storage::SqlRuleRepository> m_rulesServiceRepo;
    std::unique_ptr<rules::RulesService> m_rules;
    std::unique_ptr<things::ThingsEventListener> m_eventListener;
    std::unique_ptr<cluster::ClusterView> m_cluster;
    std::unique_ptr<adapters::Ingest> m_ingest; // the adapters' one way onto the bus
    QElapsedTimer m_started;
    std::unique_ptr<QThread> m_normalizerThread;
    std::unique_ptr<normalizer::Normalizer> m_normalizer; // lives in m_normalizerThread
    std::unique_ptr<adapters::HttpAdapter> m_httpAdapter;
    std::unique_ptr<adapters::WsAdapter> m_wsAdapter;
    std::unique_ptr<adapters::CoapAdapter> m_coapAdapter;
    std::unique_ptr<adapters::LoraAdapter> m_lora;
    std::unique_ptr<adapters::MqttAdapter> m_mqtt;
    QStringList m_natsUrls;
    std::unique_ptr<api::HttpServer> m_http;
    std::unique_ptr<api::Router> m_adapterRouter; // the HTTP adapter alone, when MF_HTTP_ADAPTER_PORT is set
    std::unique_ptr<api::HttpServer> m_adapterHttp;
    quint16 m_httpAdapterPort = 0;
    QString m_instanceId;
    QString m_jwtFingerprint; // of the JWT secret, announced (clusteradmission.h); empty without the users service
    quint16 m_httpPort = 0;
    bool m_stopRequested = false;
    QEventLoop *m_startWait = nullptr; // while start() waits to retry
};

} // namespace mf::backend
