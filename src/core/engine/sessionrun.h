// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/contextbuilder.h"
#include "conversation/session.h"
#include "engine/engineevent.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace Crosstalk {

class ChatCall;
class Engine;

// Drives one session from round to round: starts the turns TurnPlan says can start (all of a
// round at once, or in turns), builds each request, streams the replies into messages, and
// moves the session through its statuses. A failed reply never discards the transcript: the
// round's other replies are kept and the session pauses with the reason.
class SessionRun : public QObject
{
    Q_OBJECT

public:
    SessionRun(Engine *engine, const Session &session);
    ~SessionRun() override;

    const Session &session() const { return m_session; }

    // Takes the session as another process left it (this process is not running it).
    void reload(const Session &session) { m_session = session; }

    void start();
    void pause();
    void stop();
    // The store cannot keep the transcript (QUALITY.md R14): no new request is sent from now
    // on, replies in flight are cancelled (what arrived stays in memory), and the session
    // pauses with `reason`.
    void halt(const QString &reason);
    bool hasCallsInFlight() const { return !m_calls.isEmpty(); }
    // Nothing of the session lives only here: no reply is in flight or awaited (a key, a
    // summary), and no moderator's choice waits to be used. Such a session can be let go of
    // and read back from the store as it is.
    bool isQuiet() const
    {
        return m_calls.isEmpty() && m_waitingForKey.isEmpty() && m_waitingForSummary.isEmpty() &&
               !m_moderatorChoice;
    }

    // Asks again for a participant's turn in place: the message keeps its id and position,
    // its content is replaced by the new reply. The session stays as it is (paused).
    void regenerate(const QUuid &messageId);
    // A message from the person steering, included in the later requests of exactly
    // `recipients` (every participant when empty).
    Message addHumanMessage(const QString &text, const QStringList &recipients);
    void setParticipantModel(int participant, const QString &alias);
    void setTitle(const QString &title);
    void setOptions(const SessionOptions &options);
    // Replaces a message's text in place, e.g. the person's correction of the last reply, and
    // marks it edited (the first edit keeps the text it replaced). Either way a failed or
    // partial reply becomes complete: the person accepted it.
    void editMessage(const QUuid &messageId, const QString &content);
    Message *message(const QUuid &id);

Q_SIGNALS:
    void event(const Crosstalk::EngineEvent &event);

private:
    // Carries out what TurnPlan::next says.
    void advance();
    void startTurn(const ContextBuilder::Turn &turn);
    void startModeratorTurn(int round, const QList<int> &pending);
    QUuid startSummary(int participant, int round, const QString &droppedTranscript);
    void continueAfterSummary(const QUuid &summaryId, const QString &summary);
    void recordModeratorChoice(Message &message);
    void requestWithKey(const QUuid &id, const ModelConfig &model,
                        const ContextBuilder::Built &built);
    void complete();
    void sendRequest(const QUuid &messageId, const ModelConfig &model, const QString &key,
                     const ContextBuilder::Built &built);
    void onDelta(const QUuid &messageId, const QString &text);
    void onFinished(const QUuid &messageId, const ModelConfig &model);
    void onFailed(const QUuid &messageId, const QString &error, bool contentArrived, bool cancelled,
                  ErrorCode code = ErrorCode::ProviderError);
    void settleFailures();
    void checkBudget();
    void setStatus(SessionStatus status, const QString &reason = QString(),
                   std::optional<ErrorCode> code = std::nullopt);
    void touch();
    void addToUsage(const Usage &usage);

    Engine *m_engine;
    Session m_session;
    QHash<QUuid, QPointer<ChatCall>> m_calls;
    QSet<QUuid> m_waitingForKey;
    QString m_failureReason; // set when a reply of this round failed; pauses once all settle
    ErrorCode m_failureCode = ErrorCode::ProviderError; // of that failure
    bool m_halted = false;                              // halt() was called; start() clears it
    // The moderated paradigm: who was still to speak when the moderator was asked, and whom
    // it chose.
    QList<int> m_moderatorPending;
    std::optional<int> m_moderatorChoice;
    // summarise_dropped: a turn waiting for the summary of what its context dropped.
    struct WaitingTurn
    {
        QUuid messageId;
        ContextBuilder::Turn turn;
    };
    QHash<QUuid, WaitingTurn> m_waitingForSummary; // by summary message id
};

} // namespace Crosstalk
