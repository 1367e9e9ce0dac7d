// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/session.h"
#include "llm/chatrequest.h"
#include "llm/modelconfig.h"

namespace Crosstalk {

// One participant's request for one turn, built exactly as PRODUCT.md §2 says: the persona
// (placeholders filled) as system prompt; the topic; the participant's own earlier messages as
// assistant turns; what it can see of the others as user turns labelled with the speaker's
// name; and a closing user turn with the instruction for this round. The context window keeps
// the last N visible messages, and the oldest are dropped until the model's context budget
// holds the request and its reply.
class ContextBuilder
{
public:
    struct Turn
    {
        int participant = 0;
        int round = 0;
        MessageType type = MessageType::Opening;
        // Only messages before this position in the transcript are visible: the start of the
        // round for parallel rounds, the turn's own position when participants take turns.
        int visibleBeforeSeq = 0;
    };

    struct Built
    {
        ChatRequest request;
        int visibleMessages = 0;   // before trimming
        int droppedMessages = 0;   // by the context window or the budget
        QString droppedTranscript; // those messages, labelled, for a summary
    };

    // With `summary` (of what was dropped, when the session summarises), it is one user turn
    // after the topic.
    static Built build(const Session &session, const Turn &turn, const ModelConfig &model,
                       const QString &summary = QString());

    // Asks for a short summary of `droppedTranscript` for `participant`'s later requests.
    static ChatRequest summaryRequest(const Session &session, int participant,
                                      const QString &droppedTranscript);

    // The persona with {{name}}, {{topic}}, {{participants}}, {{paradigm}} and {{round}}
    // (1-based) filled in; other {{…}} are left as written.
    static QString fillPlaceholders(const QString &persona, const Session &session, int participant,
                                    int round);

    static QString instruction(const Session &session, const Turn &turn);

    // The moderated paradigm: asks the moderator model who of `pending` speaks next, from the
    // transcript before `visibleBeforeSeq`.
    static ChatRequest moderatorRequest(const Session &session, int round,
                                        const QList<int> &pending, int visibleBeforeSeq);
    // The participant the moderator's reply names, or none when it names nobody still to speak.
    static std::optional<int> moderatorChoice(const QString &reply, const Session &session,
                                              const QList<int> &pending);

    // Tokens kept free for the reply when trimming to the context budget.
    static int replyReserve(const ModelConfig &model);
};

} // namespace Crosstalk
