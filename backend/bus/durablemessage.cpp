#include "natsinternal.h"

using namespace Qt::StringLiterals;

namespace mf::bus {


QByteArray DurableMessage::subject() const
{
    return d ? d->subject : QByteArray();
}

QByteArray DurableMessage::data() const
{
    return d ? d->data : QByteArray();
}

quint64 DurableMessage::streamSequence() const
{
    return d ? d->sequence : 0;
}

quint64 DurableMessage::deliveries() const
{
    return d ? d->deliveries : 0;
}

Result<void> DurableMessage::ack() const
{
    if (!d) return fail(ErrorCode::Internal, u"ack of an empty DurableMessage"_s);
    if (const natsStatus s = natsMsg_Ack(d->msg, nullptr); s != NATS_OK) return natsFail(u"ack failed"_s, s);
    return {};
}

Result<void> DurableMessage::nak() const
{
    if (!d) return fail(ErrorCode::Internal, u"nak of an empty DurableMessage"_s);
    if (const natsStatus s = natsMsg_Nak(d->msg, nullptr); s != NATS_OK) return natsFail(u"nak failed"_s, s);
    return {};
}

} // namespace mf::bus
