#pragma once

#include "bus/envelope.h"
#include "core/message.h"

namespace mf::writer {

// What is stored for one raw bus message: every resolved record of a SenML pack (JSON or CBOR), or, for any other
// content type, the payload as it came. Malformed when the pack is invalid (the adapters reject those at the edge;
// this can only happen for messages published by something else).
Result<QList<StoredMessage>> toStoredMessages(const bus::Envelope &envelope, quint64 sourceSequence,
                                              double nowSeconds);

} // namespace mf::writer
