#pragma once

#include "subjectnames.h"

#include <QByteArray>
#include <QString>

namespace mf::bus {

// The JetStream stream that makes accepted messages durable: every raw message on `channel.>` is kept (file
// storage in the data dir of the nats-server) until the writer has stored it. Adapters answer "accepted" only
// after the stream acknowledged the publish.
inline const QString MessagesStream = QStringLiteral("MESSAGES");
inline const QByteArray MessagesFilter = QByteArray(allChannelsSubject);
inline const QString WriterDurable = QStringLiteral("writer");

} // namespace mf::bus
