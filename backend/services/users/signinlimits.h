#pragma once

#include "api/apiresponse.h"
#include "api/failurelimiter.h"

#include <QString>
#include <optional>

namespace mf::api {
class Metrics;
}

namespace mf::users {

// Failed sign-ins (POST /tokens with a wrong password or an unknown e-mail) counted per e-mail and per client
// address (MF_LOGIN_FAILURES, MF_LOGIN_FAILURES_PER_ADDRESS within MF_LOGIN_WINDOW). Past either limit every sign-in
// for that e-mail or from that address is answered 429 with Retry-After until the window ends, even one with the
// right password (or a guesser would learn when a guess was right). A successful sign-in clears the e-mail's count.
// Counts: mf_signin_failures_total, mf_signin_refused_total{limit="email"|"address"}. Thread-safe.
class SignInLimits final
{
public:
    struct Settings
    {
        int perEmail = 10;
        int perAddress = 50;
        qint64 windowMs = 300'000;
    };
    SignInLimits(const Settings &settings, api::Metrics &metrics);

    // A 429 to send instead of trying the password, or nothing.
    std::optional<api::ApiResponse> refusal(const QString &email, const std::string &address);
    void failed(const QString &email, const std::string &address);
    void succeeded(const QString &email);

private:
    static std::string emailKey(const QString &email) { return email.trimmed().toLower().toStdString(); }

    api::FailureLimiter m_email;
    api::FailureLimiter m_address;
    api::Metrics &m_metrics;
};

} // namespace mf::users
