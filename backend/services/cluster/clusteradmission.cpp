#include "clusteradmission.h"

#include "clusterview.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QTimer>
#include <QVersionNumber>

using namespace Qt::StringLiterals;

namespace mf::cluster {

bool compatibleVersions(const QString &a, const QString &b)
{
    const QVersionNumber x = QVersionNumber::fromString(a), y = QVersionNumber::fromString(b);
    if (x.isNull() || y.isNull()) return a == b;
    if (x.majorVersion() != y.majorVersion()) return false;
    return x.majorVersion() > 0 || x.minorVersion() == y.minorVersion();
}

QString secretFingerprint(const QByteArray &secret)
{
    return QString::fromLatin1(
        QMessageAuthenticationCode::hash("mainflux cluster: same JWT secret?", secret, QCryptographicHash::Sha256)
            .left(8)
            .toHex());
}

QString incompatibility(const QJsonObject &joining, const QJsonObject &member)
{
    const QString id = member.value("id"_L1).toString().left(8);
    const QString version = joining.value("version"_L1).toString(), theirs = member.value("version"_L1).toString();
    if (!compatibleVersions(version, theirs))
        return u"version %1 cannot run beside version %2 of process %3 on %4"_s.arg(version, theirs, id,
                                                                                    member.value("host"_L1).toString());
    const QString mine = joining.value("jwt_fingerprint"_L1).toString(),
                  other = member.value("jwt_fingerprint"_L1).toString();
    if (!mine.isEmpty() && !other.isEmpty() && mine != other)
        return u"another JWT secret than process %1 on %2 (MF_JWT_SECRET must be the same in every process, or user "
               "tokens of one are refused by the other)"_s.arg(id, member.value("host"_L1).toString());
    return {};
}

Result<void> admit(bus::NatsConnection &nats, QJsonObject self, int waitMs)
{
    QString reason;
    QObject context;
    QEventLoop loop;
    const QString selfId = self.value("id"_L1).toString();
    auto subscription =
        nats.subscribe(ClusterView::AnnounceSubject, {}, &context,
                       [&](const QByteArray &, const QByteArray &data, const QByteArray &) {
                           const QJsonObject member = QJsonDocument::fromJson(data).object();
                           const QString id = member.value("id"_L1).toString();
                           // Refused processes (and this one) have no say.
                           if (id.isEmpty() || id == selfId || member.value("status"_L1).toString() == "refused"_L1)
                               return;
                           if (const QString why = incompatibility(self, member); !why.isEmpty() && reason.isEmpty()) {
                               reason = why;
                               loop.quit();
                           }
                       });
    if (!subscription) return std::unexpected(subscription.error());
    if (auto probed = nats.publish(ProbeSubject, QJsonDocument(self).toJson(QJsonDocument::Compact)); !probed)
        return probed;
    QTimer::singleShot(waitMs, &loop, &QEventLoop::quit);
    loop.exec();
    subscription->reset();
    if (reason.isEmpty()) return {};

    self.insert(u"status"_s, u"refused"_s);
    self.insert(u"reason"_s, reason);
    // Best effort: the refusal in this process's log is what counts; the others' view is a courtesy.
    (void)nats.publish(ClusterView::AnnounceSubject, QJsonDocument(self).toJson(QJsonDocument::Compact));
    (void)nats.flush();
    return fail(ErrorCode::Conflict, u"refused to join the cluster: "_s + reason);
}

} // namespace mf::cluster
