#include "natsinternal.h"

using namespace Qt::StringLiterals;

namespace mf::bus {

QString statusText(natsStatus s)
{
    const char *last = nats_GetLastError(nullptr);
    QString text = QString::fromUtf8(natsStatus_GetText(s));
    if (last && *last && QString::fromUtf8(last) != text) text += u": "_s + QString::fromUtf8(last);
    return text;
}

ErrorCode errorCodeOf(natsStatus s)
{
    const bool unavailable = s == NATS_TIMEOUT || s == NATS_NO_SERVER || s == NATS_CONNECTION_CLOSED ||
                             s == NATS_CONNECTION_DISCONNECTED || s == NATS_NO_RESPONDERS ||
                             s == NATS_NOT_YET_CONNECTED || s == NATS_STALE_CONNECTION;
    return unavailable ? ErrorCode::Unavailable : ErrorCode::Internal;
}

std::unexpected<Error> natsFail(const QString &what, natsStatus s, jsErrCode ec)
{
    QString msg = what + u": "_s + statusText(s);
    if (ec != 0) msg += u" (JetStream error %1)"_s.arg(int(ec));
    return fail(errorCodeOf(s), msg);
}

std::unexpected<Error> notConnected()
{
    return fail(ErrorCode::Unavailable, u"the message bus (NATS) is not connected"_s);
}

} // namespace mf::bus
