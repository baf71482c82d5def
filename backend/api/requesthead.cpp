#include "requesthead.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>

namespace mf::api {

namespace {

HeadCheck refuse(int status, const QByteArray &reason, const QByteArray &message)
{
    HeadCheck check;
    check.state = HeadCheck::State::Refused;
    check.status = status;
    check.reason = reason;
    check.message = message;
    return check;
}

bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v';
}

} // namespace

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 426: return "Upgrade Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

QByteArray errorAnswer(int status, const QByteArray &message, const QByteArray &extraHeaders)
{
    const QByteArray body =
        QJsonDocument(QJsonObject{{QStringLiteral("error"), QString::fromUtf8(message)}}).toJson(QJsonDocument::Compact);
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) +
           "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n" +
           extraHeaders + "Connection: close\r\n\r\n" + body;
}

HeadCheck checkRequestHead(QByteArrayView head, const HttpLimits &limits)
{
    qsizetype start = 0;
    while (start < head.size() && isBlank(head[start])) // QHttpServer skips these before a request line
        ++start;
    const QByteArrayView rest = head.sliced(start);
    const qsizetype lineEnd = rest.indexOf('\n');
    if ((lineEnd < 0 ? rest.size() : lineEnd) > limits.maxRequestLine)
        return refuse(414, "request line too long",
                      "request line longer than " + QByteArray::number(limits.maxRequestLine) + " bytes");
    if (lineEnd < 0)
        return {};
    // The head ends at the first empty line: "\n\n" or "\n\r\n" (the request line's own "\n" included).
    qsizetype end = -1, endLength = 0;
    for (qsizetype i = lineEnd; i < rest.size(); i = rest.indexOf('\n', i + 1)) {
        if (i < 0)
            break;
        if (i + 1 < rest.size() && rest[i + 1] == '\n') {
            end = i;
            endLength = 2;
            break;
        }
        if (i + 2 < rest.size() && rest[i + 1] == '\r' && rest[i + 2] == '\n') {
            end = i;
            endLength = 3;
            break;
        }
    }
    const QByteArray tooLarge = "request head larger than " + QByteArray::number(limits.maxHeaderBytes) + " bytes";
    if (end < 0) {
        if (rest.size() > limits.maxHeaderBytes)
            return refuse(431, "header too large", tooLarge);
        if (rest.count('\n') > limits.maxHeaders + 1)
            return refuse(431, "too many headers",
                          "more than " + QByteArray::number(limits.maxHeaders) + " header lines");
        return {};
    }
    if (end + endLength > limits.maxHeaderBytes)
        return refuse(431, "header too large", tooLarge);

    const QList<QByteArray> lines = rest.first(end).toByteArray().split('\n');
    if (lines.size() - 1 > limits.maxHeaders)
        return refuse(431, "too many headers", "more than " + QByteArray::number(limits.maxHeaders) + " header lines");
    HeadCheck check;
    check.state = HeadCheck::State::Complete;
    check.headLength = start + end + endLength;
    QByteArray requestLine = lines.first();
    if (requestLine.endsWith('\r'))
        requestLine.chop(1);
    check.http11 = requestLine.endsWith("HTTP/1.1");
    int contentLengths = 0, transferEncodings = 0;
    QByteArray transferEncoding;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        QByteArray line = lines[i];
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.startsWith(' ') || line.startsWith('\t'))
            return refuse(400, "malformed header", "folded header lines (obs-fold) are not accepted");
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return refuse(400, "malformed header", "header line without a name and a colon");
        const QByteArray name = line.left(colon).toLower();
        if (name.endsWith(' ') || name.endsWith('\t'))
            return refuse(400, "malformed header", "whitespace between a header name and its colon");
        const QByteArray value = line.mid(colon + 1).trimmed().toLower();
        if (name == "expect") {
            check.expectContinue = value == "100-continue";
        } else if (name == "content-length") {
            ++contentLengths;
            bool ok = !value.isEmpty() && value.size() <= 18;
            for (const char c : value)
                ok = ok && c >= '0' && c <= '9';
            if (!ok)
                return refuse(400, "invalid content-length", "Content-Length must be a decimal number of bytes");
            check.contentLength = value.toLongLong();
        } else if (name == "transfer-encoding") {
            ++transferEncodings;
            transferEncoding = value;
        }
    }
    if (contentLengths > 1)
        return refuse(400, "duplicate content-length", "more than one Content-Length header");
    if (transferEncodings > 0 && contentLengths > 0)
        return refuse(400, "transfer-encoding with content-length",
                      "Transfer-Encoding and Content-Length together are ambiguous");
    if (transferEncodings > 1 || (transferEncodings == 1 && transferEncoding != "chunked"))
        return refuse(501, "unsupported transfer-encoding", "the only transfer coding accepted is chunked");
    check.hasBody = check.contentLength > 0 || transferEncodings > 0;
    return check;
}

} // namespace mf::api
