#include "signinlimits.h"

#include "api/metrics.h"

using namespace Qt::StringLiterals;

namespace mf::users {

SignInLimits::SignInLimits(const Settings &settings, api::Metrics &metrics)
    : m_email({settings.perEmail, settings.windowMs}), m_address({settings.perAddress, settings.windowMs}),
      m_metrics(metrics)
{}

std::optional<api::ApiResponse> SignInLimits::refusal(const QString &email, const std::string &address)
{
    const qint64 now = api::FailureLimiter::nowMs();
    if (const qint64 ms = m_email.blockedForMs(emailKey(email), now); ms > 0) {
        m_metrics.increment("mf_signin_refused_total", "limit=\"email\"");
        const qint64 s = api::FailureLimiter::retryAfterSeconds(ms);
        return api::ApiResponse::tooManyRequests(
            u"too many failed sign-ins for this e-mail (%1 within %2 s); try again in %3 s"_s
                .arg(m_email.policy().maxFailures)
                .arg(m_email.policy().windowMs / 1000)
                .arg(s),
            s);
    }
    if (const qint64 ms = m_address.blockedForMs(address, now); ms > 0) {
        m_metrics.increment("mf_signin_refused_total", "limit=\"address\"");
        const qint64 s = api::FailureLimiter::retryAfterSeconds(ms);
        return api::ApiResponse::tooManyRequests(
            u"too many failed sign-ins from this address (%1 within %2 s); try again in %3 s"_s
                .arg(m_address.policy().maxFailures)
                .arg(m_address.policy().windowMs / 1000)
                .arg(s),
            s);
    }
    return std::nullopt;
}

void SignInLimits::failed(const QString &email, const std::string &address)
{
    m_metrics.increment("mf_signin_failures_total");
    const qint64 now = api::FailureLimiter::nowMs();
    m_email.addFailure(emailKey(email), now);
    m_address.addFailure(address, now);
    m_metrics.setGauge("mf_limiter_tracked", "limit=\"signin_email\"", double(m_email.size()));
    m_metrics.setGauge("mf_limiter_tracked", "limit=\"signin_address\"", double(m_address.size()));
}

void SignInLimits::succeeded(const QString &email)
{
    m_email.reset(emailKey(email));
}

} // namespace mf::users
