#include "envelope.h"

#include "logging.h"
#include "message.pb.h"

#include <google/protobuf/stubs/logging.h>
#include <mutex>

using namespace Qt::StringLiterals;

namespace mf::bus {

namespace {

std::string toStd(const QString &s)
{
    const QByteArray utf8 = s.toUtf8();
    return std::string(utf8.constData(), size_t(utf8.size()));
}

QString fromStd(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// libprotobuf prints every malformed string field to stderr; a device sending garbage would flood it.
// Route it to the bus logging category instead (debug level: decode() already returns the error).
void routeProtobufLogs()
{
    static std::once_flag once;
    std::call_once(once, [] {
        google::protobuf::SetLogHandler(
            [](google::protobuf::LogLevel, const char *file, int line, const std::string &message) {
                qCDebug(lcBus, "protobuf %s:%d: %s", file, line, message.c_str());
            });
    });
}

} // namespace

QByteArray Envelope::encode() const
{
    mainflux::RawMessage m;
    m.set_channel(toStd(channel));
    m.set_publisher(toStd(publisher));
    m.set_protocol(toStd(protocol));
    m.set_contenttype(toStd(contentType));
    m.set_payload(payload.constData(), size_t(payload.size()));
    m.set_subtopic(toStd(subtopic));
    m.set_created(createdNs);
    m.set_origin(toStd(origin));

    QByteArray out(qsizetype(m.ByteSizeLong()), Qt::Uninitialized);
    m.SerializeToArray(out.data(), int(out.size()));
    return out;
}

Result<Envelope> Envelope::decode(const QByteArray &bytes)
{
    routeProtobufLogs();
    mainflux::RawMessage m;
    if (!m.ParseFromArray(bytes.constData(), int(bytes.size())))
        return fail(ErrorCode::Malformed, u"not a RawMessage (bad protobuf wire format or non-UTF-8 string)"_s);

    Envelope e;
    e.channel = fromStd(m.channel());
    e.publisher = fromStd(m.publisher());
    e.protocol = fromStd(m.protocol());
    e.contentType = fromStd(m.contenttype());
    e.payload = QByteArray(m.payload().data(), qsizetype(m.payload().size()));
    e.subtopic = fromStd(m.subtopic());
    e.createdNs = m.created();
    e.origin = fromStd(m.origin());
    return e;
}

} // namespace mf::bus
