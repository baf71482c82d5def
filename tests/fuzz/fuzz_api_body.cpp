// JSON bodies: a request body as every REST handler reads it (parseJsonBody), its metadata (an object, or the
// Mainflux 0.7 string holding one) as the things service stores it and the database gives it back, and the entity
// shapes the client SDK (dashboard, CLI) decodes from a server's responses.
// Promise: a refused body has a reason; metadata survives storage and its response form; a decoded entity's own
// JSON decodes again.

#include "api/apirequest.h"
#include "core/entitiesjson.h"
#include "core/metadata.h"
#include "fuzzcheck.h"

using mf::fuzz::check;
using namespace Qt::StringLiterals;

namespace {

template <typename T, typename Decode>
void roundTrip(const QJsonObject &object, Decode decode, const char *what)
{
    const mf::Result<T> entity = decode(object);
    if (!entity) {
        check(entity.error().code == mf::ErrorCode::Malformed, "a refused body is Malformed");
        check(!entity.error().message.isEmpty(), "a refused body says why");
        return;
    }
    const mf::Result<T> again = decode(mf::json::toJson(*entity));
    check(again.has_value(), what);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = mf::fuzz::bytes(data, size);
    (void)mf::Metadata::fromStored(QString::fromUtf8(body));

    const auto json = mf::api::parseJsonBody("application/json; charset=utf-8", body);
    if (!json) {
        check(json.error().code == mf::ErrorCode::Malformed, "a refused JSON body is Malformed");
        check(!json.error().message.isEmpty(), "a refused JSON body says why");
        return 0;
    }
    if (!json->isObject()) return 0;
    const QJsonObject object = json->toObject();
    roundTrip<mf::Thing>(object, mf::json::thingFromJson, "a decoded thing's JSON decodes");
    roundTrip<mf::Channel>(object, mf::json::channelFromJson, "a decoded channel's JSON decodes");
    roundTrip<mf::User>(object, mf::json::userFromJson, "a decoded user's JSON decodes");

    const auto metadata = mf::Metadata::fromJson(object.value(u"metadata"_s));
    if (!metadata) {
        check(!metadata.error().message.isEmpty(), "refused metadata says why");
        return 0;
    }
    const auto stored = mf::Metadata::fromStored(metadata->storedText());
    check(stored == *metadata, "metadata read back from the database is what was stored");
    const auto again = mf::Metadata::fromJson(metadata->toJson());
    check(again.has_value() && *again == *metadata, "metadata survives its response form");
    return 0;
}
