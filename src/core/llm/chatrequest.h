// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "llm/scriptcontext.h"
#include "llm/usage.h"

#include <QList>
#include <QString>

#include <optional>

namespace Crosstalk {

// One turn of a conversation as a provider sees it.
struct ChatTurn
{
    enum class Role
    {
        User,
        Assistant
    };
    Role role = Role::User;
    QString content;

    bool operator==(const ChatTurn &) const = default;
};

// What a participant's request holds, independent of the wire protocol.
struct ChatRequest
{
    QString system; // the persona, placeholders filled
    QList<ChatTurn> turns;
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<int> maxOutputTokens;
    // Who speaks, about what, in which round — filled by the engine; only the demo model
    // reads it (its replies follow the conversation's shape); never sent on the wire.
    ScriptContext demoContext;

    bool operator==(const ChatRequest &) const = default;
};

// Several local chat templates reject two turns of the same role in a row, so consecutive
// same-role turns are merged (joined by a blank line) before any request is sent.
QList<ChatTurn> mergeConsecutiveTurns(const QList<ChatTurn> &turns);

// A rough token count (about four characters a token) for servers that report no usage.
qint64 estimateTokens(const QString &text);

enum class FinishReason
{
    Stop,
    Length,
    ContentFilter,
    Other
};

// Why a call ended without a complete reply.
struct CallError
{
    enum class Kind
    {
        Network,        // connection refused, reset, DNS…
        Http,           // the server answered with an error status
        Provider,       // an error object inside the stream
        Malformed,      // a reply that does not follow the protocol
        Timeout,        // no byte within the inactivity timeout, or the turn limit was reached
        InvalidRequest, // the request could not be built (e.g. it does not end on a user turn)
        Cancelled,      // the user stopped it
        TooLarge,       // the reply, one of its lines or events, or its body passed a limit
    };
    Kind kind = Kind::Network;
    int httpStatus = 0;
    QString message;             // the provider's message, never a key
    bool contentArrived = false; // some text arrived first: the message is partial
    int attempts = 1;

    bool operator==(const CallError &) const = default;
};

} // namespace Crosstalk
