#include "wshandshake.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace mf::adapters::ws {

bool RequestHead::isWebSocketUpgrade() const
{
    const QByteArray upgrade = header("upgrade").trimmed().toLower();
    const QList<QByteArray> connection = header("connection").toLower().split(',');
    bool connectionUpgrade = false;
    for (const QByteArray &token : connection)
        connectionUpgrade = connectionUpgrade || token.trimmed() == "upgrade";
    return upgrade == "websocket" && connectionUpgrade;
}

std::optional<HandshakeRefusal> checkWebSocketHeaders(const RequestHead &request)
{
    const QByteArray key = request.header("sec-websocket-key");
    if (key.isEmpty()) return HandshakeRefusal{400, u"missing Sec-WebSocket-Key"_s};
    const auto decoded = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 16 || key.size() != 24)
        return HandshakeRefusal{400, u"Sec-WebSocket-Key must be the base64 encoding of 16 bytes"_s};
    const QByteArray version = request.header("sec-websocket-version");
    if (version.isEmpty()) return HandshakeRefusal{400, u"missing Sec-WebSocket-Version"_s};
    if (version != "13") return HandshakeRefusal{426, u"only WebSocket version 13 is supported"_s};
    return std::nullopt;
}

Result<RequestHead> parseRequestHead(const QByteArray &head)
{
    const QList<QByteArray> lines = head.split('\n');
    if (lines.isEmpty()) return fail(ErrorCode::Malformed, u"empty request"_s);
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1."))
        return fail(ErrorCode::Malformed, u"malformed request line"_s);
    RequestHead request;
    request.method = requestLine.at(0);
    const QByteArray target = requestLine.at(1);
    if (!target.startsWith('/')) return fail(ErrorCode::Malformed, u"the request target must be a path"_s);
    const qsizetype question = target.indexOf('?');
    request.path = QString::fromLatin1(question < 0 ? target : target.left(question));
    if (question >= 0) request.query = QUrlQuery(QString::fromLatin1(target.mid(question + 1)));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty()) break;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) return fail(ErrorCode::Malformed, u"malformed header line"_s);
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        auto it = request.headers.find(name);
        if (it == request.headers.end())
            request.headers.insert(name, value);
        else
            *it += ", " + value;
    }
    return request;
}

std::optional<Route> matchRoute(const QString &path)
{
    const QStringList parts = path.split(u'/');
    // "", "channels", id, "messages", subtopic...
    if (parts.size() < 4 || !parts.at(0).isEmpty() || parts.at(1) != "channels"_L1 || parts.at(3) != "messages"_L1)
        return std::nullopt;
    const QString id = QUrl::fromPercentEncoding(parts.at(2).toLatin1());
    if (id.isEmpty()) return std::nullopt;
    return Route{id, parts.mid(4).join(u'/')};
}

Credential credentialOf(const RequestHead &request)
{
    QString value = QString::fromLatin1(request.header("authorization")).trimmed();
    if (value.isEmpty()) value = request.query.queryItemValue(u"authorization"_s, QUrl::FullyDecoded).trimmed();
    if (value.isEmpty()) return {};
    if (value.startsWith("thing "_L1, Qt::CaseInsensitive)) return {Credential::Kind::ThingKey, value.mid(6).trimmed()};
    if (value.startsWith("bearer "_L1, Qt::CaseInsensitive))
        return {Credential::Kind::UserToken, value.mid(7).trimmed()};
    return {Credential::Kind::KeyOrToken, value};
}

Result<FrameFormat> frameFormatOf(const RequestHead &request)
{
    const QString format = request.query.queryItemValue(u"format"_s, QUrl::FullyDecoded);
    if (format.isEmpty() || format == "raw"_L1) return FrameFormat::Raw;
    if (format == "envelope"_L1) return FrameFormat::Envelope;
    return fail(ErrorCode::Malformed, u"format must be raw or envelope, not \"%1\""_s.arg(format));
}

QString contentTypeOf(const RequestHead &request)
{
    const QByteArray header = request.header("content-type").trimmed();
    if (!header.isEmpty()) return QString::fromLatin1(header);
    return request.query.queryItemValue(u"content-type"_s, QUrl::FullyDecoded).trimmed();
}

} // namespace mf::adapters::ws
