// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/sessionrun.h"

#include "conversation/answers.h"
#include "conversation/budget.h"
#include "conversation/topology.h"
#include "conversation/turnplan.h"
#include "engine/engine.h"
#include "llm/chatclient.h"

#include <QTimeZone>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Crosstalk {

SessionRun::SessionRun(Engine *engine, const Session &session)
    : QObject(engine)
    , m_engine(engine)
    , m_session(session)
{}

SessionRun::~SessionRun()
{
    for (const QPointer<ChatCall> &call : std::as_const(m_calls))
        if (call)
            call->disconnect(this);
}

void SessionRun::touch()
{
    m_session.updatedAt = m_engine->now();
}

void SessionRun::addToUsage(const Usage &usage)
{
    m_session.usage.tokensIn += usage.tokensIn;
    m_session.usage.tokensOut += usage.tokensOut;
    m_session.usage.cost += usage.cost;
    m_session.usage.estimated = m_session.usage.estimated || usage.estimated;
}

void SessionRun::regenerate(const QUuid &messageId)
{
    Message *m = message(messageId);
    if (!m)
        return;
    int participant = -1;
    for (int i = 0; i < m_session.participants.size(); ++i)
        if (m_session.participants.at(i).name == m->speaker)
            participant = i;
    const auto model =
        m_engine->registry().model(m_session.participants.at(participant).modelAlias);
    const int visibleBefore = Topology::takesTurns(m_session.paradigm, m_session.options.schedule)
                                  ? m->seq
                                  : TurnPlan::roundStartSeq(m_session, m->round);
    m->content.clear();
    m->editedAt = {};
    m->originalContent.clear();
    m->error.clear();
    m->answer.reset();
    m->confidence.reset();
    m->usage = {};
    m->ttftMs.reset();
    m->durationMs.reset();
    m->status = MessageStatus::Streaming;
    if (model)
        m->model = ModelRef{model->alias, model->modelId, model->kind};
    m->createdAt = m_engine->now();
    touch();
    Q_EMIT event(EngineEvent::forMessage(EngineEventType::MessageStarted, *m));
    if (!model) {
        onFailed(messageId,
                 tr("The model '%1' is not configured.")
                     .arg(m_session.participants.at(participant).modelAlias),
                 false, false);
        return;
    }
    // Built without the message itself: it is being replaced.
    const Message saved = *m;
    m_session.messages.removeIf([&](const Message &x) { return x.id == messageId; });
    const ContextBuilder::Built built = ContextBuilder::build(
        m_session, {participant, saved.round, saved.type, visibleBefore}, *model);
    const auto at =
        std::lower_bound(m_session.messages.begin(), m_session.messages.end(), saved.seq,
                         [](const Message &x, int seq) { return x.seq < seq; });
    m_session.messages.insert(at, saved);
    requestWithKey(messageId, *model, built);
}

Message SessionRun::addHumanMessage(const QString &text, const QStringList &recipients)
{
    Message message;
    message.id = QUuid::createUuid();
    message.sessionId = m_session.id;
    message.seq = TurnPlan::nextSeq(m_session);
    message.round = std::min(TurnPlan::currentRound(m_session), m_session.rounds - 1);
    message.speaker = Message::humanSpeaker;
    message.type = MessageType::Human;
    message.content = text;
    message.status = MessageStatus::Complete;
    message.createdAt = m_engine->now();
    if (recipients.isEmpty()) {
        for (const Participant &p : std::as_const(m_session.participants))
            message.recipients << p.name;
    } else {
        message.recipients = recipients;
    }
    m_session.messages.append(message);
    touch();
    Q_EMIT event(EngineEvent::forMessage(EngineEventType::MessageStarted, message));
    Q_EMIT event(EngineEvent::forMessage(EngineEventType::MessageCompleted, message));
    return message;
}

void SessionRun::setParticipantModel(int participant, const QString &alias)
{
    m_session.participants[participant].modelAlias = alias;
    touch();
    Q_EMIT event(EngineEvent::forSession(EngineEventType::SessionUpdated, m_session.id));
}

void SessionRun::setTitle(const QString &title)
{
    m_session.title = title;
    touch();
    Q_EMIT event(EngineEvent::forSession(EngineEventType::SessionUpdated, m_session.id));
}

void SessionRun::setOptions(const SessionOptions &options)
{
    m_session.options = options;
    touch();
    Q_EMIT event(EngineEvent::forSession(EngineEventType::SessionUpdated, m_session.id));
}

void SessionRun::editMessage(const QUuid &messageId, const QString &content)
{
    Message *m = message(messageId);
    if (!m)
        return;
    if (m->content != content) {
        // The first edit keeps what was there, usually the model's reply.
        if (!m->isEdited())
            m->originalContent = m->content;
        m->editedAt = m_engine->now();
        m->content = content;
    }
    m->status = MessageStatus::Complete;
    m->error.clear();
    if (m_session.options.answerMode && m->type != MessageType::Human &&
        m->type != MessageType::Moderator)
        m->answer = Answers::extract(content);
    touch();
    Q_EMIT event(EngineEvent::forMessage(EngineEventType::MessageCompleted, *m));
}

void SessionRun::setStatus(SessionStatus status, const QString &reason,
                           std::optional<ErrorCode> code)
{
    if (m_session.status == status)
        return;
    const SessionStatus old = m_session.status;
    m_session.status = status;
    touch();
    Q_EMIT event(EngineEvent::statusChanged(m_session.id, old, status, reason, code));
}

void SessionRun::start()
{
    m_failureReason.clear();
    m_halted = false;
    setStatus(SessionStatus::Running);
    advance();
}

void SessionRun::pause()
{
    setStatus(SessionStatus::Paused, tr("Paused by the user."));
}

void SessionRun::stop()
{
    setStatus(SessionStatus::Cancelled, tr("Stopped by the user."));
    m_waitingForKey.clear();
    const auto calls = m_calls;
    for (const QPointer<ChatCall> &call : calls)
        if (call)
            call->cancel();
}

void SessionRun::halt(const QString &reason)
{
    // At once, so that no turn starts after the write that failed; the rest waits for the
    // event loop, so that every listener hears of that write's event before the pause.
    m_failureReason = reason;
    m_halted = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (!m_halted)
                return;
            const auto calls = m_calls;
            for (const QPointer<ChatCall> &call : calls)
                if (call)
                    call->cancel();
            settleFailures();
        },
        Qt::QueuedConnection);
}

void SessionRun::advance()
{
    const TurnPlan::Step step =
        TurnPlan::next(m_session, {!m_calls.isEmpty() || !m_waitingForKey.isEmpty(),
                                   !m_failureReason.isEmpty(), m_moderatorChoice});
    switch (step.kind) {
    case TurnPlan::Step::Kind::Wait:
        return;
    case TurnPlan::Step::Kind::Complete:
        complete();
        return;
    case TurnPlan::Step::Kind::AskModerator:
        startModeratorTurn(step.round, step.pending);
        return;
    case TurnPlan::Step::Kind::StartTurns:
        if (step.spendsModeratorChoice)
            m_moderatorChoice.reset();
        for (const ContextBuilder::Turn &turn : step.turns)
            startTurn(turn);
        return;
    }
}

void SessionRun::complete()
{
    if (m_session.options.answerMode)
        m_session.result = Answers::majority(m_session);
    setStatus(SessionStatus::Completed);
}

void SessionRun::startModeratorTurn(int round, const QList<int> &pending)
{
    const QString alias = m_session.options.moderatorModel.isEmpty()
                              ? m_session.participants.first().modelAlias
                              : m_session.options.moderatorModel;
    const auto model = m_engine->registry().model(alias);
    Message message;
    message.id = QUuid::createUuid();
    message.sessionId = m_session.id;
    message.seq = TurnPlan::nextSeq(m_session);
    message.round = round;
    message.speaker = Message::moderatorSpeaker;
    message.type = MessageType::Moderator;
    message.status = MessageStatus::Streaming;
    message.createdAt = m_engine->now();
    if (model)
        message.model = ModelRef{model->alias, model->modelId, model->kind};
    m_session.messages.append(message);
    m_moderatorPending = pending;
    touch();
    Q_EMIT event(EngineEvent::forMessage(EngineEventType::MessageStarted, message));
    if (!model) {
        onFailed(message.id, tr("The moderator model '%1' is not configured.").arg(alias), false,
                 false);
        return;
    }
    ContextBuilder::Built built;
    built.request = ContextBuilder::moderatorRequest(m_session, round, pending, message.seq);
    requestWithKey(message.id, *model, built);
}

void SessionRun::startTurn(const ContextBuilder::Turn &turn)
{
    const int participant = turn.participant;
    const int round = turn.round;
    const Participant &speaker = m_session.participants.at(participant);
    const auto model = m_engine->registry().model(speaker.modelAlias);
    const int count = int(m_session.participants.size());
    ContextBuilder::Built built;
    QUuid summaryId;
    if (model) {
        built = ContextBuilder::build(m_session, turn, *model);
        if (m_session.options.summariseDropped && built.droppedMessages > 0)
            summaryId = startSummary(participant, round, built.droppedTranscript);
    }

    Message message;
    message.id = QUuid::createUuid();
    message.sessionId = m_session.id;
    message.seq = TurnPlan::nextSeq(m_session);
    message.round = round;
    message.speaker = speaker.name;
    for (int r : Topology::recipients(m_session.paradigm, count, participant))
        message.recipients << m_session.participants.at(r).name;
    message.type = turn.type;
    message.status = MessageStatus::Streaming;
    message.createdAt = m_engine->now();
    if (model)
        message.model = ModelRef{model->alias, model->modelId, model->kind};
    m_session.messages.append(message);
    touch();
    Q_EMIT event(EngineEvent::forMessage(EngineEventType::MessageStarted, message));

    if (!model) {
        onFailed(message.id, tr("The model '%1' is not configured.").arg(speaker.modelAlias), false,
                 false);
        return;
    }
    if (!summaryId.isNull()) {
        m_waitingForSummary.insert(summaryId, {message.id, turn});
        return;
    }
    requestWithKey(message.id, *model, built);
}

QUuid SessionRun::startSummary(int participant, int round, const QString &droppedTranscript)
{
    const QString alias = m_session.options.summariserModel.isEmpty()
                              ? m_session.participants.at(participant).modelAlias
                              : m_session.options.summariserModel;
    const auto model = m_engine->registry().model(alias);
    if (!model)
        return {};
    Message summary;
    summary.id = QUuid::createUuid();
    summary.sessionId = m_session.id;
    summary.seq = TurnPlan::nextSeq(m_session);
    summary.round = round;
    // Said for this participant's context only: no participant receives it as a message.
    summary.speaker = m_session.participants.at(participant).name;
    summary.type = MessageType::Summary;
    summary.status = MessageStatus::Streaming;
    summary.createdAt = m_engine->now();
    summary.model = ModelRef{model->alias, model->modelId, model->kind};
    m_session.messages.append(summary);
    touch();
    Q_EMIT event(EngineEvent::forMessage(EngineEventType::MessageStarted, summary));
    ContextBuilder::Built built;
    built.request = ContextBuilder::summaryRequest(m_session, participant, droppedTranscript);
    requestWithKey(summary.id, *model, built);
    return summary.id;
}

void SessionRun::continueAfterSummary(const QUuid &summaryId, const QString &summary)
{
    const auto waiting = m_waitingForSummary.take(summaryId);
    if (waiting.messageId.isNull())
        return;
    if (m_session.status == SessionStatus::Cancelled) {
        onFailed(waiting.messageId, tr("Stopped."), false, true);
        return;
    }
    const auto model =
        m_engine->registry().model(m_session.participants.at(waiting.turn.participant).modelAlias);
    requestWithKey(waiting.messageId, *model,
                   ContextBuilder::build(m_session, waiting.turn, *model, summary));
}

void SessionRun::requestWithKey(const QUuid &id, const ModelConfig &model,
                                const ContextBuilder::Built &built)
{
    m_waitingForKey.insert(id);
    m_engine->resolveKey(model, this, [this, id, model, built](QString key, QString error) {
        m_waitingForKey.remove(id);
        if (m_session.status == SessionStatus::Cancelled || m_halted) {
            onFailed(id, tr("Stopped."), false, true);
            return;
        }
        if (!error.isEmpty()) {
            onFailed(id, error, false, false);
            return;
        }
        sendRequest(id, model, key, built);
    });
}

void SessionRun::sendRequest(const QUuid &messageId, const ModelConfig &model, const QString &key,
                             const ContextBuilder::Built &built)
{
    ChatCall *call = m_engine->chatClient()->createCall(model, key, built.request, this);
    m_calls.insert(messageId, call);
    if (Message *m = message(messageId))
        m->request = call->requestRecord();
    connect(call, &ChatCall::textDelta, this,
            [this, messageId](const QString &text) { onDelta(messageId, text); });
    connect(call, &ChatCall::finished, this,
            [this, messageId, model] { onFinished(messageId, model); });
    connect(call, &ChatCall::failed, this, [this, messageId, model](const CallError &error) {
        // "Connection refused" alone does not say which of several servers refused.
        const Message *m = message(messageId);
        const QString speaker = m ? m->speaker : QString();
        const QString where =
            model.baseUrl.isEmpty()
                ? tr("%1 (model %2): %3").arg(speaker, model.alias, error.message)
                : tr("%1 (model %2 at %3): %4")
                      .arg(speaker, model.alias, model.baseUrl.toDisplayString(), error.message);
        onFailed(messageId, error.kind == CallError::Kind::Cancelled ? error.message : where,
                 error.contentArrived, error.kind == CallError::Kind::Cancelled,
                 error.kind == CallError::Kind::Timeout ? ErrorCode::Timeout
                                                        : ErrorCode::ProviderError);
    });
    call->start();
}

Message *SessionRun::message(const QUuid &id)
{
    for (auto it = m_session.messages.rbegin(); it != m_session.messages.rend(); ++it)
        if (it->id == id)
            return &*it;
    return nullptr;
}

void SessionRun::onDelta(const QUuid &messageId, const QString &text)
{
    Message *m = message(messageId);
    if (!m)
        return;
    m->content += text;
    Q_EMIT event(EngineEvent::delta(m_session.id, messageId, text));
}

void SessionRun::onFinished(const QUuid &messageId, const ModelConfig &model)
{
    const QPointer<ChatCall> call = m_calls.take(messageId);
    Message *m = message(messageId);
    if (!m || !call)
        return;
    call->deleteLater();
    m->content = call->text();
    m->status = MessageStatus::Complete;
    m->usage = call->usage();
    m->usage.cost = model.cost(m->usage.tokensIn, m->usage.tokensOut);
    m->ttftMs = call->timeToFirstTokenMs();
    m->durationMs = call->durationMs();
    if (m->type == MessageType::Summary) {
        const QString summary = m->content;
        addToUsage(m->usage);
        touch();
        Q_EMIT event(EngineEvent::forMessage(EngineEventType::MessageCompleted, *m));
        continueAfterSummary(messageId, summary);
        return;
    }
    if (m->type == MessageType::Moderator) {
        recordModeratorChoice(*m);
    } else if (m_session.options.answerMode) {
        m->answer = Answers::extract(m->content);
        if (m->answer) {
            QStringList answers;
            for (const Message &earlier : std::as_const(m_session.messages))
                if (earlier.speaker == m->speaker && earlier.answer &&
                    earlier.type != MessageType::Moderator)
                    answers << *earlier.answer;
            m->confidence = Answers::confidence(answers);
        }
    }
    addToUsage(m->usage);
    touch();
    Q_EMIT event(EngineEvent::forMessage(EngineEventType::MessageCompleted, *m));
    checkBudget();
    settleFailures();
    advance();
}

void SessionRun::onFailed(const QUuid &messageId, const QString &error, bool contentArrived,
                          bool cancelled, ErrorCode code)
{
    const QPointer<ChatCall> call = m_calls.take(messageId);
    Message *m = message(messageId);
    if (!m)
        return;
    if (call) {
        m->content = call->text();
        m->usage = call->usage();
        m->durationMs = call->durationMs();
        m->ttftMs = call->timeToFirstTokenMs();
        call->deleteLater();
        addToUsage(m->usage); // a cut-short reply was paid for too
    }
    // What arrived is kept: a cut-short reply is partial, not lost.
    m->status = contentArrived ? MessageStatus::Partial : MessageStatus::Failed;
    m->error = error;
    touch();
    Q_EMIT event(EngineEvent::forMessage(EngineEventType::MessageFailed, *m));
    if (m->type == MessageType::Summary) {
        // A summary is a help, not a turn: without it the turn goes on with what fits.
        continueAfterSummary(messageId, QString());
        return;
    }
    if (!cancelled && !m_halted && m_failureReason.isEmpty()) {
        m_failureReason = tr("%1's reply failed: %2").arg(m->speaker, error);
        m_failureCode = code;
    }
    settleFailures();
    advance();
}

void SessionRun::recordModeratorChoice(Message &message)
{
    const auto choice =
        ContextBuilder::moderatorChoice(message.content, m_session, m_moderatorPending);
    m_moderatorChoice = choice.value_or(m_moderatorPending.value(0));
    if (!choice) {
        // An unusable choice is not guessed at: list order decides, and the transcript says so.
        message.content +=
            u"\n\n"_s + tr("(No participant still to speak was named; following list order: "
                           "%1.)")
                            .arg(m_session.participants.at(*m_moderatorChoice).name);
    }
}

void SessionRun::settleFailures()
{
    // The round's other replies are awaited and kept; then the session pauses so the user can
    // retry, change the model, or stop.
    if (m_failureReason.isEmpty() || !m_calls.isEmpty() || !m_waitingForKey.isEmpty())
        return;
    if (m_session.status == SessionStatus::Running)
        setStatus(SessionStatus::Paused, m_failureReason, m_failureCode);
}

void SessionRun::checkBudget()
{
    const QString reason = budgetReached(m_session);
    if (!reason.isEmpty() && m_session.status == SessionStatus::Running)
        setStatus(SessionStatus::Paused, reason);
}

} // namespace Crosstalk
