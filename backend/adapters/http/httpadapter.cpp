#include "httpadapter.h"

#include "adapters/ingest/ingest.h"
#include "bus/subjects.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;
using mf::api::ApiRequest;
using mf::api::ApiResponse;

Q_LOGGING_CATEGORY(lcHttpAdapter, "mainflux.adapter.http")

namespace mf::adapters {

HttpAdapter::HttpAdapter(things::AccessControl &access, Ingest &ingest, QObject *parent)
    : QObject(parent), m_access(access), m_ingest(ingest)
{
}

void HttpAdapter::addRoutes(api::Router &router, const QString &prefix)
{
    const auto handler = [this](const ApiRequest &request, api::DeferredReply reply) { publish(request, reply); };
    router.addAsync(api::Router::Method::Post, prefix + u"/channels/{id}/messages"_s, handler);
    router.addAsync(api::Router::Method::Post, prefix + u"/channels/{id}/messages/{subtopic...}"_s, handler);
}

Result<QString> HttpAdapter::authenticate(const ApiRequest &request, const QString &channelId)
{
    const QByteArray header = request.header("authorization").trimmed();
    if (header.size() > 6 && header.left(6).toLower() == "basic ") {
        // Basic <base64(thing id:key)>: the key authenticates, the id must be that key's thing.
        const QByteArray decoded = QByteArray::fromBase64(header.mid(6).trimmed());
        const qsizetype colon = decoded.indexOf(':');
        if (colon < 0)
            return fail(ErrorCode::Unauthenticated, u"Basic credentials must be <thing id>:<thing key>"_s);
        auto thing = m_access.canAccess(channelId, QString::fromUtf8(decoded.mid(colon + 1)));
        if (thing && *thing != QString::fromUtf8(decoded.left(colon)))
            return fail(ErrorCode::Unauthenticated, u"the key does not belong to this thing id"_s);
        return thing;
    }
    const QString key = request.authorization();
    if (key.isEmpty())
        return fail(ErrorCode::Unauthenticated, u"missing thing key in Authorization"_s);
    return m_access.canAccess(channelId, key);
}

void HttpAdapter::publish(const ApiRequest &request, const api::DeferredReply &reply)
{
    const QString channelId = request.param(u"id"_s);
    const QString client = request.raw().remoteAddress().toString();
    // Refused before ingest: counted, kept for the channel's owner with the reason, and answered.
    const auto refuse = [&](const QString &thing, const Error &error, const QByteArray &result) {
        m_ingest.refuse({0, channelId, thing, u"http"_s, client, error.message, request.body(), 0}, result);
        reply.send(ApiResponse::error(error));
    };
    const QHostAddress address = request.raw().remoteAddress();
    if (m_keyFailures) {
        // Before the key is looked at: a right key from a locked-out address is refused too.
        if (const qint64 seconds = m_keyFailures->retryAfter(address, "http"); seconds > 0) {
            m_ingest.count(u"http", "key failures");
            return reply.send(ApiResponse::tooManyRequests(m_keyFailures->message(seconds), seconds));
        }
    }
    auto thing = authenticate(request, channelId);
    // A wrong key is a guess; a missing one is not (it reveals nothing).
    if (!thing && thing.error().code == ErrorCode::Unauthenticated && m_keyFailures &&
        !request.header("authorization").trimmed().isEmpty())
        m_keyFailures->failed(address, "http");
    if (!thing)
        return refuse({}, thing.error(), thing.error().code == ErrorCode::Forbidden ? "forbidden" : "unauthorized");
    auto subtopic = bus::normalizeSubtopic(request.param(u"subtopic"_s));
    if (!subtopic) return refuse(*thing, subtopic.error(), "invalid subtopic");
    if (const auto check = m_bodyChecks.constFind(*subtopic); check != m_bodyChecks.cend()) {
        if (auto ok = (*check)(channelId, request.body()); !ok) return refuse(*thing, ok.error(), "invalid body");
    }
    Submission message{channelId,
                       *thing,
                       u"http"_s,
                       *subtopic,
                       QString::fromLatin1(request.header("content-type").trimmed()),
                       request.body(),
                       client};
    m_ingest.submit(std::move(message), this, [reply](Result<void> accepted) {
        if (!accepted && accepted.error().code == ErrorCode::TooManyRequests) // MF_THING_RATE: a token within 1 s
            return reply.send(ApiResponse::tooManyRequests(accepted.error().message, 1));
        reply.send(accepted ? ApiResponse::empty(202) : ApiResponse::error(accepted.error()));
    });
}

} // namespace mf::adapters
