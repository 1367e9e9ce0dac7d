// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fault.h"
#include "requestinference.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

#include <optional>
#include <utility>

namespace Crosstalk::Fake {

struct Timing
{
    int latencyMs = 0;          // request → response head
    int ttftMs = 0;             // request → first token (never before the head)
    double tokensPerSecond = 0; // 0: every token at once
};

// One thing the connection does to the socket, at a time counted from the request's arrival.
struct ResponseStep
{
    enum class Action
    {
        Write,  // write bytes, which are already framed for the wire
        Finish, // the response is complete; the connection may serve another request
        Close,  // close gracefully once everything written has been sent
        Reset,  // abort with a TCP reset
        Stall,  // do nothing more until the client gives up
        Repeat, // write the bytes again and again, as fast as the client reads, until it leaves
    };

    double dueMs = 0;
    QByteArray bytes;
    Action action = Action::Write;
    bool isHead = false;
    bool hasFirstToken = false;
    int token = 0; // 1-based: the token of the reply this write carries; 0 for other writes
};

struct ResponsePlan
{
    int status = 200;
    QString reply; // the text the plan delivers, for the request record
    QList<ResponseStep> steps;
    int tokens = 0; // writes that carry a token
};

using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

// Builds the exact bytes and timing of a response; the connection only replays the steps.
// Kept free of sockets and timers so that wire formats and faults can be tested as data.
namespace ResponseBuilder {

ResponsePlan json(int status, const QJsonObject &body, bool keepAlive,
                  const HeaderList &extraHeaders = {}, double dueMs = 0);
ResponsePlan error(Api api, int status, const QString &message, int id, bool keepAlive,
                   double dueMs = 0, int retryAfterSeconds = 1);
ResponsePlan chat(const ChatRequest &request, const QString &reply,
                  const std::optional<Fault> &fault, const Timing &timing, int id, qint64 created,
                  bool keepAlive);

QJsonObject openAiError(int status, const QString &message);
QJsonObject anthropicError(int status, const QString &message, int id);

} // namespace ResponseBuilder
} // namespace Crosstalk::Fake
