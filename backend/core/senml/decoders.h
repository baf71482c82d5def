#pragma once

#include "resolver.h"

#include <QByteArray>

// One decoder per representation; each feeds every record to the resolver in order. Internal to mf_senml.
namespace mf::senml::detail {

mf::Result<void> decodeJson(const QByteArray &payload, Resolver &resolver); // RFC 8428 §5
mf::Result<void> decodeCbor(const QByteArray &payload, Resolver &resolver); // RFC 8428 §6

} // namespace mf::senml::detail
