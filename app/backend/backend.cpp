#include "backend.h"

#include "adapters/coap/coapadapter.h"
#include "adapters/http/httpadapter.h"
#include "adapters/ingest/ingest.h"
#include "adapters/ws/wsadapter.h"
#include "adapters/lora/loraadapter.h"
#include "adapters/mqtt/mqttadapter.h"
#include "api/httpserver.h"
#include "api/keyfailurelimits.h"
#include "bus/natsconnection.h"
#include "bus/natsserverprocess.h"
#include "bus/streams.h"
#include "core/duration.h"
#include "core/ids.h"
#include "core/lora/lora.h"
#include "services/cluster/clusteradmission.h"
#include "services/cluster/clusterview.h"
#include "services/normalizer/normalizer.h"
#include "services/reader/readerhttp.h"
#include "services/rules/ruleshttp.h"
#include "services/rules/rulesservice.h"
#include "services/status/statushttp.h"
#include "services/status/statusservice.h"
#include "services/writer/messagewriter.h"
#include "storage/sql/sqlmessagerepository.h"
#include "services/things/cachedaccesscontrol.h"
#include "services/things/thingshttp.h"
#include "services/things/thingsrpc.h"
#include "services/users/usershttp.h"
#include "storage/database.h"
#include "storage/sql/sqlrepositories.h"
#include "storage/sql/sqlrulerepository.h"
#include "storage/sql/sqlstatusrepositories.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QLockFile>
#include <QSysInfo>
#include <QThread>
#include <QTimer>
#include <QLoggingCategory>

#include <sodium.h>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcBackend, "mainflux.backend")

namespace mf::backend {

namespace {

// Runs `work` on `thread` (whose event loop runs) and waits for it to finish.
void runOn(QThread *thread, const std::function<void()> &work)
{
    auto *context = new QObject;
    context->moveToThread(thread);
    QMetaObject::invokeMethod(
        context,
        [context, &work] {
            work();
            context->deleteLater();
        },
        Qt::BlockingQueuedConnection);
}

} // namespace

namespace {
// How long a process joining a shared bus listens for objections (clusteradmission.h): answers on one site's network
// take milliseconds; a process that answers later is still marked in every cluster view.
constexpr int AdmissionWaitMs = 500;
} // namespace

Backend::Backend(Config config, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_metrics(std::make_unique<api::Metrics>()),
      m_router(std::make_unique<api::Router>())
{
    m_dataDir = QDir(m_config.value(u"MF_DATA_DIR"_s)).absolutePath();
    m_keyFailures = std::make_unique<api::KeyFailureLimits>(
        api::FailureLimiter::Policy{int(m_config.integer(u"MF_KEY_FAILURES"_s)),
                                    parseDuration(m_config.value(u"MF_KEY_WINDOW"_s)).value_or(60'000)},
        *m_metrics);
    m_instanceId = newId();
    m_started.start();
}

Backend::~Backend()
{
    // Listeners first, then services, then storage: nothing may use what is already gone.
    m_adapterHttp.reset();
    m_http.reset();
    m_wsAdapter.reset();
    m_coapAdapter.reset();
    m_mqtt.reset(); // stops mosquitto while the bus is still up
    m_httpAdapter.reset();
    m_lora.reset();
    m_ingest.reset();
    if (m_normalizerThread) {
        m_normalizerThread->quit();
        m_normalizerThread->wait();
    }
    m_normalizer.reset();
    m_writer.reset(); // joins its thread
    m_status.reset();
    if (m_rulesThread) {
        runOn(m_rulesThread.get(), [this] { // deleted on their thread: its timer, subscriptions, connection
            m_rules.reset();
            m_rulesServiceRepo.reset();
            m_rulesDb.reset();
        });
        m_rulesThread->quit();
        m_rulesThread->wait();
    }
    m_ruleRepo.reset();
    m_thingsRpc.reset();
    m_cluster.reset();
    m_eventListener.reset();
    if (m_nats)
        m_nats->close();
    m_nats.reset();
    m_natsServer.reset();
    m_messageRepo.reset();
    m_access.reset();
    m_thingsClient.reset();
    m_things.reset();
    m_users.reset();
    m_channelRepo.reset();
    m_thingRepo.reset();
    m_userRepo.reset();
    m_db.reset();
}

Result<QByteArray> Backend::jwtSecret() const
{
    const QString configured = m_config.value(u"MF_JWT_SECRET"_s);
    if (!configured.isEmpty())
        return configured.toUtf8();
    QFile file(QDir(m_dataDir).filePath(u"jwt-secret"_s));
    if (file.open(QIODevice::ReadOnly)) {
        const QByteArray secret = file.readAll().trimmed();
        if (secret.size() >= 32)
            return secret;
        return fail(ErrorCode::Malformed, u"%1 is shorter than 32 bytes; delete it to generate a new one"_s.arg(
                                              file.fileName()));
    }
    // Generated once, readable only by this user.
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return fail(ErrorCode::Unavailable, u"cannot create %1: %2"_s.arg(file.fileName(), file.errorString()));
    unsigned char random[32];
    randombytes_buf(random, sizeof random);
    const QByteArray secret = QByteArray(reinterpret_cast<const char *>(random), sizeof random).toHex();
    if (file.write(secret) != secret.size() || !file.flush())
        return fail(ErrorCode::Unavailable, u"cannot write %1: %2"_s.arg(file.fileName(), file.errorString()));
    qCInfo(lcBackend) << "generated a new JWT secret in" << file.fileName();
    return secret;
}

void Backend::stop()
{
    m_stopRequested = true;
    if (m_startWait)
        m_startWait->quit();
}

// Runs the event loop (so that SIGTERM reaches stop()) for ms; false when a stop was requested.
bool Backend::waitUnlessStopped(int ms)
{
    if (m_stopRequested)
        return false;
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    m_startWait = &loop;
    loop.exec();
    m_startWait = nullptr;
    return !m_stopRequested;
}

// Calls attempt() until it succeeds or fails with something other than Unavailable (a server that does not answer
// yet), waiting 0.25 s, 0.5 s, ... up to 5 s between attempts, for at most MF_START_WAIT_S in all. Every failed
// attempt is logged with its reason. An attempt must leave nothing half-done when it fails (each migration of the
// database is one transaction; a NATS connection that never connected holds nothing).
template <typename Attempt>
auto Backend::retryAtStart(const QString &what, Attempt attempt) -> decltype(attempt())
{
    const qint64 waitS = m_config.integer(u"MF_START_WAIT_S"_s);
    QDeadlineTimer deadline(waitS * 1000);
    for (int n = 1;; ++n) {
        auto result = attempt();
        if (result || result.error().code != ErrorCode::Unavailable || waitS == 0)
            return result;
        if (deadline.hasExpired())
            return fail(ErrorCode::Unavailable,
                        u"%1 (gave up waiting for %2 after %3 attempts in %4 s, MF_START_WAIT_S)"_s
                            .arg(result.error().message, what)
                            .arg(n)
                            .arg(waitS));
        const int delay = int(std::min<qint64>(std::min(250 << std::min(n - 1, 5), 5000),
                                               std::max<qint64>(deadline.remainingTime(), 1)));
        qCWarning(lcBackend).noquote() << u"waiting for %1: %2 (attempt %3, next in %4 ms)"_s.arg(
                                              what, result.error().message).arg(n).arg(delay);
        if (!waitUnlessStopped(delay))
            return fail(ErrorCode::Unavailable, u"stopped while waiting for %1"_s.arg(what));
    }
}

// The steps in the order they depend on each other; each step says what it needs from the ones before it.
Result<void> Backend::start()
{
    if (auto prepared = prepareDataDir(); !prepared)
        return prepared;
    QByteArray secret;
    if (needsDatabase()) {
        auto configured = jwtSecret();
        if (!configured)
            return std::unexpected(configured.error());
        secret = *configured;
        m_jwtFingerprint = cluster::secretFingerprint(secret);
    }
    // The bus before the database: a process the cluster refuses (clusteradmission.h) must not even migrate it.
    if (needsBus())
        if (auto bus = startBus(); !bus)
            return bus;
    // Mosquitto loads while the database and the other services start (it needs only the bus); waited for below.
    if (m_config.runs(u"mqtt"_s))
        if (auto begun = beginMqtt(); !begun)
            return begun;
    if (needsDatabase())
        if (auto opened = openStorage(secret); !opened)
            return opened;
    if (needsBus())
        if (auto started = startBusServices(); !started)
            return started;
    addServiceRoutes();
    const QHostAddress host(m_config.value(u"MF_HTTP_HOST"_s));
    if (auto started = startEdgeAdapters(host); !started)
        return started;
    if (m_config.runs(u"reader"_s))
        addReaderRoutes();
    if (auto started = startPipeline(); !started)
        return started;
    if (m_mqtt)
        if (auto started = m_mqtt->finish(); !started)
            return started;
    if (auto listening = listenHttp(host); !listening)
        return listening;
    // Announced once every port is bound, so that nobody hears a process with port 0.
    if (m_cluster)
        if (auto announcing = m_cluster->start(); !announcing)
            return announcing;
    return {};
}

// Before anything starts: libsodium, the TLS certificate (a bad one stops the backend with a message naming the
// file), the data dir and its lock (one backend per data dir).
Result<void> Backend::prepareDataDir()
{
    if (sodium_init() < 0)
        return fail(ErrorCode::Internal, u"libsodium failed to initialize"_s);
    // Before anything starts: a bad certificate or key stops the backend with a message naming the file.
    auto certificates = TlsCertificates::load(m_config);
    if (!certificates) return std::unexpected(certificates.error());
    m_tls = std::move(*certificates);
    logTlsCertificates();
    if (!QDir().mkpath(m_dataDir))
        return fail(ErrorCode::Unavailable, u"cannot create data dir %1"_s.arg(m_dataDir));

    m_lock = std::make_unique<QLockFile>(QDir(m_dataDir).filePath(u"backend.lock"_s));
    m_lock->setStaleLockTime(0);
    if (!m_lock->tryLock(0)) {
        qint64 pid = 0;
        QString host, app;
        m_lock->getLockInfo(&pid, &host, &app);
        m_lock.reset();
        return fail(ErrorCode::Conflict, u"another mainflux-backend (pid %1) is already using data dir %2; stop it "
                                         "or choose another MF_DATA_DIR"_s.arg(pid).arg(m_dataDir));
    }
    return {};
}

// What every process on the bus needs: access checks (local, or over the bus to the things service), caches that
// follow changes made elsewhere, the ingest path, the cluster view; and the services that live beside the things
// service (its bus answers, device status) and the rules.
Result<void> Backend::startBusServices()
{
    if (!m_things) {
        // An edge without the things service (MF_SERVICES=http,mqtt,ws): access questions go over the bus to
        // the process that runs it, cached here like local answers.
        m_thingsClient = std::make_unique<things::ThingsRpcClient>(
            *m_nats, int(m_config.integer(u"MF_ACCESS_TIMEOUT_MS"_s)));
        m_access = std::make_unique<things::CachedAccessControl>(*m_thingsClient);
    }
    // Caches here also drop what other processes changed; the things service answers remote access checks.
    m_eventListener = std::make_unique<things::ThingsEventListener>(*m_nats);
    connect(m_eventListener.get(), &things::ThingsEventListener::received, m_access.get(),
            &things::CachedAccessControl::onEvent);
    if (auto listening = m_eventListener->start(); !listening)
        return listening;
    m_cluster = std::make_unique<cluster::ClusterView>(*m_nats, [this] { return announcement(); });
    m_ingest = std::make_unique<adapters::Ingest>(*m_access, *m_nats, *m_metrics, m_instanceId);
    m_ingest->setThingRate(m_config.value(u"MF_THING_RATE"_s).toDouble());
    if (m_config.runs(u"things"_s)) {
        storage::SqlChannelRepository *channels = m_channelRepo.get();
        m_thingsRpc = std::make_unique<things::ThingsRpcServer>(
            *m_access, [channels] { return channels->allIds(); }, *m_nats);
        connect(m_things.get(), &things::ThingsService::changed, m_thingsRpc.get(),
                &things::ThingsRpcServer::publishEvent);
        if (auto serving = m_thingsRpc->start(); !serving)
            return serving;
        if (auto status = startStatus(); !status)
            return status;
    }
    if (m_config.runs(u"rules"_s))
        if (auto started = startRules(); !started)
            return started;
    return {};
}

// The REST routes of the services on the shared port: operational ones, users, and things with their status and
// rules.
void Backend::addServiceRoutes()
{
    addOperationalRoutes();
    if (m_config.runs(u"users"_s)) {
        m_signInLimits = std::make_unique<users::SignInLimits>(
            users::SignInLimits::Settings{int(m_config.integer(u"MF_LOGIN_FAILURES"_s)),
                                          int(m_config.integer(u"MF_LOGIN_FAILURES_PER_ADDRESS"_s)),
                                          *parseDuration(m_config.value(u"MF_LOGIN_WINDOW"_s))},
            *m_metrics);
        users::addUsersRoutes(*m_router, *m_users, m_signInLimits.get());
    }
    if (!m_config.runs(u"things"_s))
        return;
    users::UsersService *usersService = m_users.get();
    const things::Authenticator authenticate = [usersService](const api::ApiRequest &request) {
        return users::authenticate(*usersService, request);
    };
    things::addThingsRoutes(*m_router, *m_things, authenticate);
    if (m_status)
        status::addStatusRoutes(*m_router, *m_things, *m_statusRepo, *m_latestRepo, *m_refusalRepo, authenticate);
    // Rules are kept beside the things they name; the rules service (any process) learns changes on the bus.
    if (!m_ruleRepo)
        m_ruleRepo = std::make_unique<storage::SqlRuleRepository>(*m_db);
    bus::NatsConnection *nats = m_nats.get();
    rules::addRulesRoutes(*m_router, *m_things, *m_ruleRepo, authenticate, int(m_config.integer(u"MF_RULES_MAX"_s)),
                          [nats](const QString &owner, const QString &rule) {
                              const QJsonObject event{{u"owner"_s, owner}, {u"rule"_s, rule}};
                              if (nats)
                                  (void)nats->publish(rules::rulesEventsSubject,
                                                      QJsonDocument(event).toJson(QJsonDocument::Compact));
                          });
}

// The protocol adapters devices talk to: HTTP (on the REST router), WebSocket, CoAP and LoRa.
Result<void> Backend::startEdgeAdapters(const QHostAddress &host)
{
    if (m_config.runs(u"http"_s)) {
        m_httpAdapter = std::make_unique<adapters::HttpAdapter>(*m_access, *m_ingest);
        m_httpAdapter->setKeyFailureLimits(m_keyFailures.get());
        m_httpAdapter->addRoutes(*m_router);
    }
    if (host.isNull())
        return fail(ErrorCode::Malformed,
                    u"MF_HTTP_HOST: \"%1\" is not an IP address"_s.arg(m_config.value(u"MF_HTTP_HOST"_s)));
    if (m_config.runs(u"ws"_s))
        if (auto started = startWsAdapter(host); !started)
            return started;
    if (m_config.runs(u"coap"_s))
        if (auto started = startCoap(); !started)
            return started;
    if (m_config.runs(u"lora"_s))
        if (auto started = startLora(); !started)
            return started;
    if (m_httpAdapter) {
        // Downlink requests are checked before HTTP accepts them: fully (device known and connected) when the LoRa
        // adapter runs here, for their format otherwise.
        adapters::LoraAdapter *lora = m_lora.get();
        m_httpAdapter->setBodyCheck(QString::fromLatin1(lora::DownlinkSubtopic),
                                    [lora](const QString &channelId, const QByteArray &body) -> Result<void> {
                                        if (lora)
                                            return lora->checkDownlink(channelId, body);
                                        if (auto parsed = lora::parseDownlink(body); !parsed)
                                            return std::unexpected(parsed.error());
                                        return {};
                                    });
    }
    return {};
}

// Message history: a user reads the channels they may view.
void Backend::addReaderRoutes()
{
    users::UsersService *usersService = m_users.get();
    things::ThingsService *thingsService = m_things.get();
    reader::addReaderRoutes(
        *m_router, *m_messageRepo, *m_access,
        [usersService, thingsService](const api::ApiRequest &request, const QString &channelId) -> Result<QString> {
            auto user = users::authenticate(*usersService, request);
            if (!user)
                return fail(ErrorCode::Unauthenticated, user.error().message);
            auto channel = thingsService->viewChannel(user->id, channelId);
            if (!channel)
                return std::unexpected(channel.error());
            return user->id;
        });
}

// The message pipeline behind the adapters: the normalizer and the writer, each on a thread of its own.
Result<void> Backend::startPipeline()
{
    if (m_config.runs(u"normalizer"_s)) {
        // On a thread of its own: it decodes every SenML message again, which would otherwise compete with the
        // adapters and the REST API for the main thread (docs/BENCHMARKS.md, message pipeline).
        m_normalizerThread = std::make_unique<QThread>();
        m_normalizerThread->setObjectName(u"normalizer"_s);
        m_normalizer = std::make_unique<normalizer::Normalizer>(*m_nats, *m_metrics);
        m_normalizer->moveToThread(m_normalizerThread.get());
        m_normalizerThread->start();
        if (auto started = m_normalizer->start(); !started)
            return started;
    }
    if (m_config.runs(u"writer"_s)) {
        m_writer = std::make_unique<writer::MessageWriter>(m_config.value(u"MF_DB_URL"_s), m_dataDir, *m_nats,
                                                           *m_metrics);
        // Opens the database on its own thread: a writer-only process (a pipeline) waits here for PostgreSQL.
        auto started = retryAtStart(u"the writer's database and consumer"_s, [&] { return m_writer->start(); });
        if (!started)
            return started;
    }
    return {};
}

// Binds the REST port last (everything it routes to is ready), and the HTTP adapter's own port when one is set.
Result<void> Backend::listenHttp(const QHostAddress &host)
{
    m_http = std::make_unique<api::HttpServer>(*m_router, *m_metrics, m_config.integer(u"MF_HTTP_MAX_BODY"_s),
                                               httpLimits());
    if (m_tls) m_http->setTls(m_tls->serving(TlsProtocol::Http).configuration);
    auto port = m_http->listen(host, m_config.port(u"MF_HTTP_PORT"_s));
    if (!port)
        return std::unexpected(port.error());
    m_httpPort = *port;
    qCInfo(lcBackend).noquote() << "REST API on"
                                << u"%1://%2:%3"_s.arg(scheme("http"), host.toString()).arg(m_httpPort);
    if (!m_httpAdapter || m_config.value(u"MF_HTTP_ADAPTER_PORT"_s).isEmpty())
        return {};
    m_adapterRouter = std::make_unique<api::Router>();
    m_httpAdapter->addRoutes(*m_adapterRouter, QString());
    m_adapterRouter->add(api::Router::Method::Get, u"/health"_s, [](const api::ApiRequest &) {
        return api::ApiResponse::json(QJsonObject{{u"status"_s, u"pass"_s}});
    });
    m_adapterHttp = std::make_unique<api::HttpServer>(*m_adapterRouter, *m_metrics,
                                                      m_config.integer(u"MF_HTTP_MAX_BODY"_s), httpLimits());
    if (m_tls) m_adapterHttp->setTls(m_tls->serving(TlsProtocol::Http).configuration);
    auto adapterPort = m_adapterHttp->listen(host, m_config.port(u"MF_HTTP_ADAPTER_PORT"_s));
    if (!adapterPort)
        return std::unexpected(adapterPort.error());
    m_httpAdapterPort = *adapterPort;
    qCInfo(lcBackend).noquote()
        << "HTTP message adapter on"
        << u"%1://%2:%3/channels/{id}/messages"_s.arg(scheme("http"), host.toString()).arg(*adapterPort);
    return {};
}

// Users, things and the reader share the database (and the REST port); MF_SERVICES chooses which of them this
// process serves. The access cache over the local things service answers this process's adapters.
Result<void> Backend::openStorage(const QByteArray &jwtSecret)
{
    auto db = retryAtStart(u"the database"_s,
                           [&] { return storage::Database::open(m_config.value(u"MF_DB_URL"_s), m_dataDir); });
    if (!db)
        return std::unexpected(db.error());
    m_db = std::move(*db);
    qCInfo(lcBackend).noquote() << "storage:" << m_db->description() << "schema" << m_db->schemaVersion();
    m_userRepo = std::make_unique<storage::SqlUserRepository>(*m_db);
    m_thingRepo = std::make_unique<storage::SqlThingRepository>(*m_db);
    m_channelRepo = std::make_unique<storage::SqlChannelRepository>(*m_db);
    users::UsersConfig usersConfig{jwtSecret, m_config.integer(u"MF_TOKEN_TTL"_s),
                                   m_config.enabled(u"MF_ALLOW_SIGNUP"_s), m_config.value(u"MF_ADMIN_EMAIL"_s)};
    m_users = std::make_unique<users::UsersService>(*m_userRepo, usersConfig);
    m_things = std::make_unique<things::ThingsService>(*m_thingRepo, *m_channelRepo);
    m_access = std::make_unique<things::CachedAccessControl>(*m_things);
    connect(m_things.get(), &things::ThingsService::changed, m_access.get(), &things::CachedAccessControl::onEvent);
    connect(m_users.get(), &users::UsersService::userRemoved, m_things.get(), &things::ThingsService::ownerRemoved);
    m_messageRepo = std::make_unique<storage::SqlMessageRepository>(*m_db);
    return {};
}

// Device status beside the things service: it hears every accepted message and MQTT connection on the bus.
Result<void> Backend::startStatus()
{
    m_statusRepo = std::make_unique<storage::SqlThingStatusRepository>(*m_db);
    m_latestRepo = std::make_unique<storage::SqlLatestValueRepository>(*m_db);
    m_refusalRepo = std::make_unique<storage::SqlRefusalRepository>(*m_db);
    status::StatusOptions options;
    options.offlineAfterMs = parseDuration(m_config.value(u"MF_OFFLINE_AFTER"_s)).value(); // checked by Config
    m_status = std::make_unique<status::StatusService>(*m_nats, *m_statusRepo, *m_refusalRepo, options);
    connect(m_things.get(), &things::ThingsService::changed, m_status.get(), &status::StatusService::onThingsEvent);
    connect(m_eventListener.get(), &things::ThingsEventListener::received, m_status.get(),
            &status::StatusService::onThingsEvent);
    return m_status->start();
}

// Alert rules on the normalized stream; firing and clearing go onto the notify channel through the ingest path.
Result<void> Backend::startRules()
{
    adapters::Ingest *ingest = m_ingest.get();
    auto publish = [ingest](const bus::Envelope &envelope) {
        ingest->publish(envelope, ingest, [channel = envelope.channel](Result<void> stored) {
            if (!stored)
                qCWarning(lcBackend).noquote() << "alert not published on channel" << channel << ":"
                                               << stored.error().message;
        }, false);
    };
    m_rulesThread = std::make_unique<QThread>();
    m_rulesThread->setObjectName(u"rules"_s);
    m_rulesThread->start();
    Result<void> started;
    runOn(m_rulesThread.get(), [&] {
        auto db = storage::Database::open(m_config.value(u"MF_DB_URL"_s), m_dataDir);
        if (!db) {
            started = std::unexpected(db.error());
            return;
        }
        m_rulesDb = std::move(*db);
        m_rulesServiceRepo = std::make_unique<storage::SqlRuleRepository>(*m_rulesDb);
        m_rules = std::make_unique<rules::RulesService>(*m_nats, *m_rulesServiceRepo, publish, rules::RulesOptions{},
                                                         m_metrics.get());
        started = m_rules->start();
    });
    if (!started) return started;
    // Queued to the rules thread (ThingsEvent is a registered metatype).
    if (m_things)
        connect(m_things.get(), &things::ThingsService::changed, m_rules.get(), &rules::RulesService::onThingsEvent);
    connect(m_eventListener.get(), &things::ThingsEventListener::received, m_rules.get(),
            &rules::RulesService::onThingsEvent);
    return {};
}

Result<void> Backend::startLora()
{
    adapters::LoraSettings settings;
    settings.url = m_config.value(u"MF_LORA_MQTT_URL"_s).trimmed();
    settings.user = m_config.value(u"MF_LORA_MQTT_USER"_s);
    settings.password = m_config.value(u"MF_LORA_MQTT_PASSWORD"_s);
    settings.caFile = m_config.value(u"MF_LORA_MQTT_CA"_s);
    settings.clientId = m_config.value(u"MF_LORA_CLIENT_ID"_s);
    settings.topics.clear();
    for (const QString &topic : m_config.value(u"MF_LORA_TOPICS"_s).split(u',', Qt::SkipEmptyParts))
        settings.topics.append(topic.trimmed());
    settings.generation = lora::generationFromString(m_config.value(u"MF_LORA_GENERATION"_s)).value();
    settings.radioMetadata = m_config.enabled(u"MF_LORA_RADIO"_s);
    m_lora = std::make_unique<adapters::LoraAdapter>(std::move(settings), *m_things, *m_access, *m_nats, *m_metrics,
                                                     *m_ingest);
    // Routes follow changes made here and, through the bus, in other processes (both are idempotent).
    connect(m_things.get(), &things::ThingsService::changed, m_lora.get(), &adapters::LoraAdapter::onEvent);
    connect(m_eventListener.get(), &things::ThingsEventListener::received, m_lora.get(),
            &adapters::LoraAdapter::onEvent);
    return m_lora->start();
}

// The writer opens its own connection on its thread; an edge process (http, ws, coap, mqtt) needs no database.
bool Backend::needsDatabase() const
{
    for (const QString &service : {u"users"_s, u"things"_s, u"reader"_s, u"lora"_s, u"rules"_s})
        if (m_config.runs(service))
            return true;
    return false;
}

bool Backend::needsBus() const
{
    for (const QString &service :
         {u"things"_s, u"http"_s, u"ws"_s, u"coap"_s, u"mqtt"_s, u"normalizer"_s, u"writer"_s, u"lora"_s, u"rules"_s})
        if (m_config.runs(service))
            return true;
    return false;
}

Result<void> Backend::startBus()
{
    QStringList urls = m_config.value(u"MF_NATS_URL"_s).split(u',', Qt::SkipEmptyParts);
    for (QString &url : urls)
        url = url.trimmed();
    if (urls.isEmpty()) {
        m_natsServer = std::make_unique<bus::NatsServerProcess>(m_dataDir, m_config.port(u"MF_NATS_PORT"_s));
        if (auto started = m_natsServer->start(); !started)
            return started;
        connect(m_natsServer.get(), &bus::NatsServerProcess::failed, this, [](const QString &reason) {
            qCWarning(lcBackend).noquote() << "nats-server:" << reason;
        });
        connect(m_natsServer.get(), &bus::NatsServerProcess::restarted, this,
                [] { qCInfo(lcBackend) << "nats-server restarted"; });
        urls = QStringList{m_natsServer->url()};
        qCInfo(lcBackend).noquote() << "bundled nats-server on" << m_natsServer->url() << "log"
                                    << m_natsServer->logFilePath();
    }
    m_natsUrls = urls;
    m_nats = std::make_unique<bus::NatsConnection>();
    if (auto opened = retryAtStart(u"NATS"_s, [&] { return m_nats->open(urls, u"mainflux-backend"_s); }); !opened)
        return opened;
    m_metrics->setGauge("mf_bus_connected", {}, 1);
    connect(m_nats.get(), &bus::NatsConnection::disconnected, this, [this] {
        qCWarning(lcBackend) << "message bus disconnected; reconnecting";
        m_metrics->setGauge("mf_bus_connected", {}, 0);
        m_metrics->increment("mf_bus_disconnects_total");
    });
    connect(m_nats.get(), &bus::NatsConnection::reconnected, this, [this] {
        qCInfo(lcBackend) << "message bus reconnected";
        m_metrics->setGauge("mf_bus_connected", {}, 1);
    });
    // On a shared bus, ask the others before touching anything shared (the stream, the database).
    if (!m_natsServer)
        if (auto admitted = cluster::admit(*m_nats, announcement(), AdmissionWaitMs); !admitted)
            return admitted;
    // Copies of the stream: with a JetStream cluster, a message acknowledged to a device survives the loss of a node.
    const QString wanted = m_config.value(u"MF_NATS_REPLICAS"_s);
    const int replicas = wanted != "auto"_L1 ? wanted.toInt() : m_natsServer ? 1 : std::clamp(m_nats->knownServers(), 1, 3);
    qCInfo(lcBackend) << "message stream with" << replicas << (replicas == 1 ? "copy" : "copies");
    // Replicated: its leader can die, and publishes then wait for the election (natsconnection.h).
    m_nats->setDurableResends(replicas > 1);
    // A JetStream cluster that is electing leaders (just started, or a node just died) answers its API with errors
    // for a few seconds: retry for up to 30 s before giving up.
    QDeadlineTimer deadline(30000);
    for (int attempt = 1;; ++attempt) {
        auto ensured =
            m_nats->ensureStream(bus::MessagesStream, {QString::fromLatin1(bus::MessagesFilter)}, true, replicas);
        if (ensured || deadline.hasExpired()) return ensured;
        qCWarning(lcBackend).noquote() << ensured.error().message << u"(attempt %1, retrying)"_s.arg(attempt);
        QThread::msleep(std::min(250 * attempt, 2000));
    }
}

api::HttpLimits Backend::httpLimits() const
{
    api::HttpLimits limits;
    limits.maxRequestLine = int(m_config.integer(u"MF_HTTP_MAX_REQUEST_LINE"_s));
    limits.maxHeaderBytes = int(m_config.integer(u"MF_HTTP_MAX_HEADER_BYTES"_s));
    limits.maxHeaders = int(m_config.integer(u"MF_HTTP_MAX_HEADERS"_s));
    limits.headerTimeoutMs = int(m_config.integer(u"MF_HTTP_HEADER_TIMEOUT_MS"_s));
    limits.idleTimeoutMs = int(m_config.integer(u"MF_HTTP_IDLE_TIMEOUT_MS"_s));
    limits.maxConnectionsPerAddress = int(m_config.integer(u"MF_HTTP_MAX_CONNECTIONS_PER_ADDRESS"_s));
    limits.maxConnections = int(m_config.integer(u"MF_HTTP_MAX_CONNECTIONS"_s));
    return limits;
}

// The WebSocket adapter on its own port (DESIGN.md §7: the QHttpServer port cannot refuse before the handshake).
Result<void> Backend::startWsAdapter(const QHostAddress &host)
{
    users::UsersService *usersService = m_users.get();
    things::ThingsService *thingsService = m_things.get();
    // The owner's read-only stream: a user token of the channel's owner (someone else's channel is NotFound).
    auto ownerCheck = [usersService, thingsService](const QString &token, const QString &channelId) -> Result<QString> {
        if (!usersService || !thingsService)
            return fail(ErrorCode::Unavailable, u"this process does not run users and things: open owner streams on "
                                                "one that does (things keys work here)"_s);
        auto user = usersService->identify(token);
        if (!user)
            return fail(ErrorCode::Unauthenticated, user.error().message);
        if (channelId.isEmpty()) // the user's event stream: the token is all
            return user->id;
        auto channel = thingsService->viewChannel(user->id, channelId);
        if (!channel)
            return std::unexpected(channel.error());
        return user->id;
    };
    adapters::WsOptions options;
    options.maxFrameBytes = m_config.integer(u"MF_HTTP_MAX_BODY"_s);
    options.limits = httpLimits();
    options.tls = tlsConfiguration(TlsProtocol::Ws);
    options.keyFailures = m_keyFailures.get();
    m_wsAdapter =
        std::make_unique<adapters::WsAdapter>(*m_access, *m_nats, *m_metrics, ownerCheck, *m_ingest, options);
    // After the access cache's own connection, so a re-check in the adapter already sees the change.
    if (m_things)
        connect(m_things.get(), &things::ThingsService::changed, m_wsAdapter.get(),
                &adapters::WsAdapter::onThingsEvent);
    // ... and changes made through other processes, from the bus (a second delivery of a local change is a no-op).
    if (m_eventListener)
        connect(m_eventListener.get(), &things::ThingsEventListener::received, m_wsAdapter.get(),
                &adapters::WsAdapter::onThingsEvent);
    auto port = m_wsAdapter->listen(host, m_config.port(u"MF_WS_PORT"_s));
    if (!port)
        return std::unexpected(port.error());
    qCInfo(lcBackend).noquote() << "WebSocket adapter on"
                                << u"%1://%2:%3"_s.arg(scheme("ws"), host.toString()).arg(*port);
    return {};
}

quint16 Backend::wsPort() const
{
    return m_wsAdapter ? m_wsAdapter->port() : 0;
}

Result<void> Backend::startCoap()
{
    const QHostAddress host(m_config.value(u"MF_HTTP_HOST"_s));
    if (host.isNull())
        return fail(ErrorCode::Malformed,
                    u"MF_HTTP_HOST: \"%1\" is not an IP address"_s.arg(m_config.value(u"MF_HTTP_HOST"_s)));
    storage::SqlChannelRepository *channels = m_channelRepo.get();
    things::ThingsRpcClient *remote = m_thingsClient.get();
    adapters::CoapAdapter::ChannelLister lister = [channels, remote]() -> Result<QStringList> {
        return channels ? channels->allIds() : remote->channelIds();
    };
    adapters::CoapAdapter::Options options;
    options.maxBody = m_config.integer(u"MF_HTTP_MAX_BODY"_s);
    options.uploadTimeoutMs = int(m_config.integer(u"MF_COAP_UPLOAD_TIMEOUT_MS"_s));
    options.maxUploadsPerClient = int(m_config.integer(u"MF_COAP_MAX_UPLOADS"_s));
    options.maxObserversPerClient = int(m_config.integer(u"MF_COAP_MAX_OBSERVERS"_s));
    options.maxUploadBuffer = m_config.integer(u"MF_COAP_UPLOAD_BUFFER"_s);
    options.keyFailures = m_keyFailures.get();
    options.maxSessions = int(m_config.integer(u"MF_COAP_MAX_SESSIONS"_s));
    if (m_tls) {
        options.udp = m_config.enabled(u"MF_TLS_PLAINTEXT"_s);
        options.dtlsPort = m_config.port(u"MF_COAP_DTLS_PORT"_s);
        options.certFile = m_tls->serving(TlsProtocol::Coap).certFile;
        options.keyFile = m_tls->serving(TlsProtocol::Coap).keyFile;
    }
    m_coapAdapter =
        std::make_unique<adapters::CoapAdapter>(*m_access, *m_nats, *m_metrics, *m_ingest, lister, options);
    if (m_things)
        connect(m_things.get(), &things::ThingsService::changed, m_coapAdapter.get(),
                &adapters::CoapAdapter::onThingsEvent);
    if (m_eventListener) // changes made through other processes
        connect(m_eventListener.get(), &things::ThingsEventListener::received, m_coapAdapter.get(),
                &adapters::CoapAdapter::onThingsEvent);
    auto port = m_coapAdapter->listen(host, m_config.port(u"MF_COAP_PORT"_s));
    if (!port)
        return std::unexpected(port.error());
    return {};
}

quint16 Backend::coapPort() const
{
    return m_coapAdapter ? m_coapAdapter->port() : 0;
}

quint16 Backend::coapDtlsPort() const
{
    return m_coapAdapter ? m_coapAdapter->dtlsPort() : 0;
}

std::optional<QSslConfiguration> Backend::tlsConfiguration(TlsProtocol protocol) const
{
    if (!m_tls) return std::nullopt;
    return m_tls->serving(protocol).configuration;
}

void Backend::logTlsCertificates() const
{
    if (!m_tls) return;
    const api::ServerTls &base = m_tls->serving(TlsProtocol::Http);
    qCInfo(lcBackend).noquote() << "TLS with" << base.certFile << "(SHA-256" << base.sha256 + ')';
    for (const auto &[protocol, name] : {std::pair{TlsProtocol::Ws, "WebSocket"}, std::pair{TlsProtocol::Mqtt, "MQTT"},
                                         std::pair{TlsProtocol::Coap, "CoAP"}})
        if (m_tls->serving(protocol).sha256 != base.sha256)
            qCInfo(lcBackend).noquote() << name << "TLS with" << m_tls->serving(protocol).certFile << "(SHA-256"
                                        << m_tls->serving(protocol).sha256 + ')';
}

QString Backend::scheme(const char *plain) const
{
    return QString::fromLatin1(plain) + (m_tls ? u"s"_s : QString());
}

Result<void> Backend::beginMqtt()
{
    adapters::MosquittoSettings settings;
    settings.dataDir = m_dataDir;
    settings.host = QHostAddress(m_config.value(u"MF_HTTP_HOST"_s));
    if (settings.host.isNull())
        return fail(ErrorCode::Malformed,
                    u"MF_HTTP_HOST: \"%1\" is not an IP address"_s.arg(m_config.value(u"MF_HTTP_HOST"_s)));
    settings.port = m_config.port(u"MF_MQTT_PORT"_s);
    settings.natsUrl = m_natsUrls.join(u',');
    settings.instance = u"mqtt-"_s + m_instanceId;
    settings.authTimeoutMs = int(m_config.integer(u"MF_MQTT_AUTH_TIMEOUT_MS"_s));
    settings.storeTimeoutMs = int(m_config.integer(u"MF_MQTT_STORE_TIMEOUT_MS"_s));
    settings.defaultContentType = m_config.value(u"MF_MQTT_CONTENT_TYPE"_s);
    settings.keyFailures = int(m_config.integer(u"MF_KEY_FAILURES"_s));
    settings.keyWindowMs = parseDuration(m_config.value(u"MF_KEY_WINDOW"_s)).value_or(60'000);
    settings.thingRate = m_config.value(u"MF_THING_RATE"_s).toDouble();
    settings.maxConnections = int(m_config.integer(u"MF_MQTT_MAX_CONNECTIONS"_s));
    if (m_tls) {
        settings.certFile = m_tls->serving(TlsProtocol::Mqtt).certFile;
        settings.keyFile = m_tls->serving(TlsProtocol::Mqtt).keyFile;
        settings.tlsPort = m_config.port(u"MF_MQTT_TLS_PORT"_s);
        settings.plaintext = m_config.enabled(u"MF_TLS_PLAINTEXT"_s);
    }
    m_mqtt = std::make_unique<adapters::MqttAdapter>(settings, m_config.port(u"MF_MQTT_WS_PORT"_s), *m_nats, *m_metrics,
                                                     tlsConfiguration(TlsProtocol::Mqtt));
    return m_mqtt->begin();
}

quint64 Backend::storedMessages() const
{
    return m_writer ? m_writer->storedCount() : 0;
}

void Backend::addOperationalRoutes()
{
    using Method = api::Router::Method;
    // Mainflux's {"status": "pass"}, plus (additive) each service of this process, the children it supervises and
    // the messages accepted so far (the dashboard derives messages per second from it). "warn" when a part is down.
    m_router->add(Method::Get, u"/health"_s, [this](const api::ApiRequest &) {
        QJsonObject answer = health();
        // No account yet: the dashboard opens on "Create account" (the first account administers the server).
        if (m_userRepo)
            if (const auto users = m_userRepo->count(); users && *users == 0) answer.insert(u"first_account"_s, true);
        return api::ApiResponse::json(answer);
    });
    // Every process of the cluster as this one heard their announcements (public like /health: firewall the ports).
    m_router->add(Method::Get, u"/cluster"_s, [this](const api::ApiRequest &) {
        if (m_cluster) return api::ApiResponse::json(m_cluster->view());
        QJsonObject self = announcement();
        self.insert(u"state"_s, self.value("status"_L1));
        return api::ApiResponse::json(QJsonObject{{u"self"_s, m_instanceId}, {u"processes"_s, QJsonArray{self}}});
    });
    m_router->add(Method::Get, u"/version"_s, [](const api::ApiRequest &) {
        return api::ApiResponse::json(
            QJsonObject{{u"service"_s, u"mainflux-backend"_s}, {u"version"_s, QStringLiteral(MF_VERSION)}});
    });
    api::Metrics *metrics = m_metrics.get();
    m_router->add(Method::Get, u"/metrics"_s, [metrics](const api::ApiRequest &) {
        return api::ApiResponse{200, metrics->render(), "text/plain; version=0.0.4", {}};
    });
}

// Mainflux's {"status": "pass"}, plus (additive) each service of this process, the children it supervises and the
// messages accepted so far (the dashboard derives messages per second from it). "warn" when a part is down.
QJsonObject Backend::health() const
{
    QJsonObject services;
    for (const QString &service : m_config.services())
        services.insert(service, u"pass"_s);
    if (m_nats)
        services.insert(u"bus"_s, m_nats->isConnected() ? u"pass"_s : u"fail"_s);
    if (m_natsServer)
        services.insert(u"nats-server"_s, m_natsServer->isRunning() ? u"pass"_s : u"fail"_s);
    if (m_mqtt) {
        services.insert(u"mosquitto"_s, m_mqtt->broker().isRunning() ? u"pass"_s : u"fail"_s);
        // Not just "the service is configured": whether the plugin's heartbeat arrives over NATS (see
        // MqttAdapter::isPluginAlive), which stops when the plugin is cut off from the bus.
        services.insert(u"mqtt"_s, m_mqtt->isPluginAlive() ? u"pass"_s : u"fail"_s);
    }
    bool ok = true;
    for (const QJsonValue &state : std::as_const(services))
        ok = ok && state.toString() == "pass"_L1;
    const QJsonObject messages{
        {u"accepted"_s, m_metrics->sum("mf_adapter_messages_total", "result=\"accepted\"")},
        {u"stored"_s, double(storedMessages())}};
    return QJsonObject{{u"status"_s, ok ? u"pass"_s : u"warn"_s},
                       {u"version"_s, QStringLiteral(MF_VERSION)},
                       {u"services"_s, services},
                       {u"messages"_s, messages}};
}

// What this process says about itself on the bus (ClusterView): who, where, what it runs and how it is.
QJsonObject Backend::announcement() const
{
    const QJsonObject own = health();
    QJsonObject info{{u"status"_s, own.value("status"_L1)},
                     {u"version"_s, own.value("version"_L1)},
                     {u"messages"_s, own.value("messages"_L1)},
                     {u"health"_s, own.value("services"_L1)}};
    info.insert(u"id"_s, m_instanceId);
    info.insert(u"host"_s, QSysInfo::machineHostName());
    info.insert(u"pid"_s, QCoreApplication::applicationPid());
    info.insert(u"services"_s, QJsonArray::fromStringList(m_config.services()));
    info.insert(u"ports"_s, readyInfo().value("ports"_L1));
    // Ports with a certificate of their own (MF_MQTT_TLS_CERT, ...): what a dashboard pins for them, learnt over
    // its pinned REST connection. Absent with one certificate for every port.
    if (const QJsonObject tls = readyInfo().value("tls"_L1).toObject(); tls.contains("ports"_L1))
        info.insert(u"tls"_s, tls);
    info.insert(u"http_host"_s, m_config.value(u"MF_HTTP_HOST"_s));
    info.insert(u"uptime_s"_s, m_started.elapsed() / 1000);
    if (!m_jwtFingerprint.isEmpty())
        info.insert(u"jwt_fingerprint"_s, m_jwtFingerprint);
    return info;
}

QList<api::Router::RouteInfo> Backend::routes() const
{
    return m_router->routes();
}

QJsonObject Backend::readyInfo() const
{
    QJsonObject ports{{u"http"_s, m_httpPort}};
    if (m_natsServer)
        ports.insert(u"nats"_s, m_natsServer->port());
    if (m_httpAdapterPort)
        ports.insert(u"http_adapter"_s, m_httpAdapterPort);
    if (m_wsAdapter)
        ports.insert(u"ws"_s, m_wsAdapter->port());
    if (m_coapAdapter && m_coapAdapter->port()) ports.insert(u"coap"_s, m_coapAdapter->port());
    if (m_coapAdapter && m_coapAdapter->dtlsPort()) ports.insert(u"coap_dtls"_s, m_coapAdapter->dtlsPort());
    if (m_mqtt) {
        // Without plaintext the broker's own listener is on the loopback address only: not a port for devices.
        if (!m_tls || m_config.enabled(u"MF_TLS_PLAINTEXT"_s)) ports.insert(u"mqtt"_s, m_mqtt->port());
        if (m_mqtt->tlsPort()) ports.insert(u"mqtt_tls"_s, m_mqtt->tlsPort());
        ports.insert(u"mqtt_ws"_s, m_mqtt->wsPort());
    }
    const QJsonObject tls = m_tls ? m_tls->describe(ports) : QJsonObject{{u"enabled"_s, false}};
    return QJsonObject{{u"event"_s, u"ready"_s},
                       {u"tls"_s, tls},
                       {u"version"_s, QStringLiteral(MF_VERSION)},
                       {u"pid"_s, QCoreApplication::applicationPid()},
                       {u"data_dir"_s, m_dataDir},
                       {u"database"_s, m_db ? QJsonValue(m_db->description()) : QJsonValue(QJsonValue::Null)},
                       {u"services"_s, QJsonArray::fromStringList(m_config.services())},
                       {u"ports"_s, ports}};
}

} // namespace mf::backend
