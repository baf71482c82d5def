#include "keyfailurelimits.h"

#include "clientaddress.h"
#include "metrics.h"

using namespace Qt::StringLiterals;

namespace mf::api {

KeyFailureLimits::KeyFailureLimits(FailureLimiter::Policy policy, Metrics &metrics)
    : m_limiter(policy), m_metrics(metrics)
{}

qint64 KeyFailureLimits::retryAfter(const QHostAddress &address, const QByteArray &protocol)
{
    if (!m_limiter.enabled() || m_limiter.empty()) // the usual case: no wrong key lately, nothing to look up
        return 0;
    const qint64 ms = m_limiter.blockedForMs(clientAddressKey(address), FailureLimiter::nowMs());
    if (ms <= 0) return 0;
    m_metrics.increment("mf_key_refused_total", "protocol=\"" + protocol + '"');
    return FailureLimiter::retryAfterSeconds(ms);
}

void KeyFailureLimits::failed(const QHostAddress &address, const QByteArray &protocol)
{
    if (!m_limiter.enabled()) return;
    m_metrics.increment("mf_key_failures_total", "protocol=\"" + protocol + '"');
    m_limiter.addFailure(clientAddressKey(address), FailureLimiter::nowMs());
    m_metrics.setGauge("mf_limiter_tracked", "limit=\"key_address\"", double(m_limiter.size()));
}

QString KeyFailureLimits::message(qint64 retryAfterSeconds) const
{
    return u"too many wrong thing keys from this address (%1 within %2 s); try again in %3 s"_s
        .arg(m_limiter.policy().maxFailures)
        .arg(m_limiter.policy().windowMs / 1000)
        .arg(retryAfterSeconds);
}

} // namespace mf::api
