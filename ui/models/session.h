#pragma once

#include "client/backendprocess.h"
#include "client/livestream.h"
#include "client/restclient.h"
#include "core/entities.h"
#include "profiles.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace mf::ui {

class TokenStore;

// Launch-or-connect and sign-in for one profile at a time. For "This computer" it starts the bundled backend
// (BackendProcess) and connects to the port its ready line names; for a remote profile it checks /health and
// /version. Then it restores the stored token (GET /users/me) or asks for a sign-in. A token the server rejects (401)
// puts the session back to SignedOut without touching the pages, so they continue after the next sign-in.
//
// Ownership: the RestClient is a child (recreated per profile); the BackendProcess and TokenStore are injected and
// outlive the session. Threading: GUI thread.
class Session final : public QObject
{
    Q_OBJECT

public:
    enum class State { Idle, Launching, Connecting, SignedOut, SignedIn, Failed };
    Q_ENUM(State)

    Session(client::BackendProcess *backend, TokenStore *tokens, QObject *parent = nullptr);
    ~Session() override;
    Q_DISABLE_COPY_MOVE(Session)

    State state() const { return m_state; }
    Profile profile() const { return m_profile; }
    client::RestClient *client() const { return m_client; }
    client::BackendProcess *backend() const { return m_backend; }
    // The signed-in user's event stream (ws://.../events: status changes, alerts), open while signed in and the
    // backend announces a WebSocket port; pages follow its frameReceived().
    client::LiveStream *events() const { return m_events; }
    TokenStore *tokens() const { return m_tokens; }
    User user() const { return m_user; }
    QString failure() const { return m_failure; }
    // The server certificate the last connection attempt refused (it does not verify and is not pinned, or it is
    // not the pinned one): the failure is then about trust, and pinning it in the profile (trust on first use) is
    // the user's decision. Null when the failure is not about a certificate.
    QSslCertificate refusedCertificate() const { return m_refusedCertificate; }
    QString version() const { return m_version; }
    QJsonObject health() const { return m_health; }
    // GET /cluster of the server: {"self", "processes": [...]}; empty for servers without it (Mainflux 0.7).
    QJsonObject cluster() const { return m_cluster; }
    bool isHealthy() const { return m_healthy; }
    // The server has no account yet (its /health says "first_account"): the first one to sign up administers it.
    bool firstAccountPending() const { return m_health.value(QLatin1StringView("first_account")).toBool(); }
    QString serverUrl() const;
    // Base URL of the live WebSocket stream, or empty when the backend announces none.
    QUrl liveUrl() const;
    // Where devices connect: for "This computer" the ports of the backend's ready line ("ws", "mqtt", "mqtt_ws",
    // "coap", "nats"; 0 when the backend runs without that adapter), for a remote server the protocols' default
    // ports (the WebSocket one from the profile's live stream URL when set).
    QString endpointHost() const;
    int endpointPort(const QString &name) const;
    // Whether endpointPort(name) is the server's real port (local backend, or announced in /cluster), not a default.
    bool endpointKnown(const QString &name) const;
    // Whether devices reach this server over TLS (its live stream is wss://; TLS on every port or none): then MQTT
    // goes over TLS and CoAP over DTLS, and WebSocket uses the adapter's one port with wss.
    bool devicesUseTls() const { return liveUrl().scheme() == QLatin1StringView("wss"); }
    // The port a device sending over `protocol` ("ws", "mqtt", "coap") connects to: endpointPort of the protocol, or
    // of its TLS port ("mqtt_tls", "coap_dtls") when devicesUseTls(); 0 when the server runs without that adapter.
    int devicePort(const QString &protocol) const;
    // The endpoint name of that port ("mqtt_tls" for "mqtt" over TLS …) and how to believe the server there.
    QString devicePortName(const QString &protocol) const;
    client::TlsTrust deviceTrust(const QString &protocol) const;
    // How to believe the server on one of its ports (a name as for endpointPort): the REST client's trust, except
    // that a pinned server whose port serves a certificate of its own (MF_MQTT_TLS_CERT, ...) is pinned to that
    // certificate there, as the backend's ready line (This computer) or its /cluster entry (learnt over the pinned
    // REST connection) names it. CA verification and --insecure are the same on every port.
    client::TlsTrust trustFor(const QString &portName) const;

public Q_SLOTS:
    void open(const mf::ui::Profile &profile);
    void close();
    void signIn(const QString &email, const QString &password);
    void signUp(const QString &email, const QString &password);
    void signOut();
    void checkHealth();

Q_SIGNALS:
    void stateChanged(mf::ui::Session::State state);
    void signInFailed(const QString &message);
    // The stored token was rejected while signed in; `message` is the server's.
    void tokenExpired(const QString &message);
    void healthChanged();
    void clusterChanged();
    void userChanged();
    void profileChanged(const mf::ui::Profile &profile);

private:
    void setState(State state);
    void failWith(const QString &message);
    void connectTo(const QUrl &url);
    void restoreToken();
    void acceptToken(const QString &token, bool store);
    void checkCluster();
    int announcedPort(const QString &name) const;
    QJsonObject announcedSelf() const; // this server's own entry in /cluster, or {}

    QPointer<client::BackendProcess> m_backend;
    TokenStore *m_tokens;
    client::RestClient *m_client = nullptr;
    client::LiveStream *m_events; // child
    Profile m_profile;
    State m_state = State::Idle;
    User m_user;
    QString m_failure;
    QSslCertificate m_refusedCertificate;
    QString m_version;
    QJsonObject m_health;
    QJsonObject m_cluster;
    bool m_healthy = false;
    QTimer m_healthTimer;
    quint64 m_generation = 0; // drops answers meant for an earlier profile
};

} // namespace mf::ui
