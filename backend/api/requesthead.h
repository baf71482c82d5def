#pragma once

#include "httplimits.h"

#include <QByteArray>
#include <QByteArrayView>

namespace mf::api {

// What the gate decides about the bytes of a request head seen so far (no sockets: unit-testable).
struct HeadCheck
{
    enum class State { Incomplete, Complete, Refused };
    State state = State::Incomplete;
    // Refused: the status and message the client gets, and the metric label (mf_http_refused_total{reason}).
    int status = 0;
    QByteArray message;
    QByteArray reason;
    // Complete: what the gate needs to know about the request that follows.
    bool http11 = false;
    bool expectContinue = false;
    bool hasBody = false;
    qint64 contentLength = 0;
    qsizetype headLength = 0; // bytes from the start of `head` through the empty line
};

// Reads `head`, everything received of one request from its first byte on (the body may follow), the way Qt 6.4's
// QHttpServer will: leading blank lines skipped, lines ending in LF or CRLF, the head ending at the first empty
// line. Refuses what QHttpServer would read without limit or read ambiguously (RFC 9112 §6.3, request smuggling):
// a request line over the limit (414), a head over the byte or line limit (431), folded, nameless or
// space-before-colon header lines (400), a repeated or non-numeric Content-Length (400), Transfer-Encoding with
// Content-Length (400), a transfer coding other than "chunked" (501).
HeadCheck checkRequestHead(QByteArrayView head, const HttpLimits &limits);

// The reason phrase of an error status this backend answers before QHttpServer sees a request ("Error" for others).
QByteArray reasonPhrase(int status);
// A complete HTTP/1.1 error answer with a JSON body {"error": message} and Connection: close; `extraHeaders` are
// whole header lines ("Name: value\r\n").
QByteArray errorAnswer(int status, const QByteArray &message, const QByteArray &extraHeaders = {});

} // namespace mf::api
