// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/contextbuilder.h"

#include "conversation/answers.h"
#include "conversation/topology.h"
#include "persona/placeholders.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QtEndian>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

QString joinNames(const QStringList &names)
{
    if (names.size() <= 1)
        return names.value(0);
    return names.mid(0, names.size() - 1).join(u", "_s) + u" and "_s + names.last();
}

QString speakerLabel(const Message &message)
{
    if (message.speaker == Message::humanSpeaker)
        return u"Human"_s;
    if (message.speaker == Message::moderatorSpeaker)
        return u"Moderator"_s;
    return message.speaker;
}

} // namespace

int ContextBuilder::replyReserve(const ModelConfig &model)
{
    return model.maxOutputTokens.value_or(1024);
}

QString ContextBuilder::fillPlaceholders(const QString &persona, const Session &session,
                                         int participant, int round)
{
    PlaceholderValues values;
    values.name = session.participants.at(participant).name;
    values.topic = session.topic;
    for (const Participant &p : session.participants)
        values.participants << p.name;
    values.paradigm = enumToString(session.paradigm);
    values.roundIndex = round;
    return Crosstalk::fillPlaceholders(persona, values);
}

QString ContextBuilder::instruction(const Session &session, const Turn &turn)
{
    const QString position = u"Round %1 of %2."_s.arg(turn.round + 1).arg(session.rounds);
    const bool judge =
        Topology::isJudge(session.paradigm, int(session.participants.size()), turn.participant);
    QString ask;
    if (turn.type == MessageType::Verdict) {
        ask = u"This is the last round. As the judge, weigh the debaters' arguments and give "
              "your verdict: state a clear conclusion and the reasons for it."_s;
    } else if (judge) {
        ask = turn.round == 0
                  ? u"As the judge of this debate, give your opening view of the topic and say "
                    "what you will weigh."_s
                  : u"As the judge, weigh the debaters' arguments so far: which points are "
                    "strong, which are weak, and what is still open."_s;
    } else if (turn.type == MessageType::Opening) {
        ask = u"Give your opening view on the topic."_s;
    } else if (session.paradigm == Paradigm::Debate) {
        ask = u"Answer the other side's arguments and defend or refine your position."_s;
    } else {
        ask = u"Respond to what the others said: build on it, question it, or correct it, and "
              "move the conversation forward."_s;
    }
    return position + u' ' + ask;
}

ContextBuilder::Built ContextBuilder::build(const Session &session, const Turn &turn,
                                            const ModelConfig &model, const QString &summary)
{
    const Participant &me = session.participants.at(turn.participant);
    Built built;
    ChatRequest &request = built.request;
    request.system = fillPlaceholders(me.persona, session, turn.participant, turn.round);
    request.temperature = me.sampling.temperature;
    request.topP = me.sampling.topP;
    request.maxOutputTokens = me.sampling.maxTokens;

    QStringList others;
    for (const Participant &p : session.participants)
        if (p.name != me.name)
            others << p.name;
    const QString opening = u"You are %1, in a conversation with %2.\n\nTopic: %3"_s.arg(
        me.name, joinNames(others), session.topic);
    QString closing = instruction(session, turn);
    if (session.options.answerMode)
        closing += u' ' + Answers::instruction();

    // What this participant can see: its own messages and those addressed to it.
    QList<const Message *> visible;
    for (const Message &message : session.messages) {
        if (message.seq >= turn.visibleBeforeSeq)
            continue;
        if (message.status != MessageStatus::Complete && message.status != MessageStatus::Partial)
            continue;
        if (message.content.isEmpty() || message.type == MessageType::Summary ||
            message.type == MessageType::Moderator)
            continue;
        if (message.speaker == me.name || message.recipients.contains(me.name))
            visible.append(&message);
    }
    built.visibleMessages = int(visible.size());
    const int window = std::max(1, session.options.contextWindow);
    if (visible.size() > window)
        visible = visible.mid(visible.size() - window);

    const auto turnOf = [&](const Message *message) {
        if (message->speaker == me.name)
            return ChatTurn{ChatTurn::Role::Assistant, message->content};
        QString text = speakerLabel(*message) + u": "_s + message->content;
        // In answer mode peers learn how settled each other's answers are (EoT).
        if (message->confidence)
            text += u"\n(%1's confidence so far: %2)"_s.arg(message->speaker)
                        .arg(*message->confidence, 0, 'g', 2);
        return ChatTurn{ChatTurn::Role::User, text};
    };

    // Trim the oldest until the request and the reply fit the model's context budget.
    const qint64 budget =
        qint64(model.contextBudgetTokens) - me.sampling.maxTokens.value_or(replyReserve(model));
    const QString summaryTurn =
        summary.isEmpty() ? QString() : u"Summary of the earlier conversation: "_s + summary;
    qint64 tokens = estimateTokens(request.system) + estimateTokens(opening) +
                    estimateTokens(closing) + estimateTokens(summaryTurn);
    QList<qint64> costs;
    for (const Message *message : visible) {
        costs << estimateTokens(turnOf(message).content) + 4; // role and framing overhead
        tokens += costs.last();
    }
    qsizetype first = 0;
    while (tokens > budget && first < visible.size()) {
        tokens -= costs.at(first);
        ++first;
    }
    built.droppedMessages = built.visibleMessages - int(visible.size() - first);
    for (const Message &message : session.messages) {
        const bool kept = std::any_of(visible.cbegin() + first, visible.cend(),
                                      [&](const Message *m) { return m == &message; });
        const bool seen = message.seq < turn.visibleBeforeSeq && !message.content.isEmpty() &&
                          message.type != MessageType::Summary &&
                          message.type != MessageType::Moderator &&
                          (message.status == MessageStatus::Complete ||
                           message.status == MessageStatus::Partial) &&
                          (message.speaker == me.name || message.recipients.contains(me.name));
        if (seen && !kept)
            built.droppedTranscript +=
                speakerLabel(message) + u": "_s + message.content + u"\n\n"_s;
    }

    request.turns.append({ChatTurn::Role::User, opening});
    if (!summaryTurn.isEmpty())
        request.turns.append({ChatTurn::Role::User, summaryTurn});
    for (qsizetype i = first; i < visible.size(); ++i)
        request.turns.append(turnOf(visible.at(i)));
    request.turns.append({ChatTurn::Role::User, closing});

    // The demo model reads the conversation's shape directly instead of parsing prompts.
    ScriptContext &demo = request.demoContext;
    demo.speaker = me.name;
    demo.model = model.modelId;
    demo.topic = session.topic;
    demo.round = turn.round;
    demo.totalRounds = session.rounds;
    demo.kind = turn.type == MessageType::Verdict   ? TurnKind::Verdict
                : turn.type == MessageType::Opening ? TurnKind::Opening
                                                    : TurnKind::Exchange;
    for (qsizetype i = first; i < visible.size(); ++i)
        if (visible.at(i)->speaker != me.name)
            demo.visible.append({visible.at(i)->speaker, visible.at(i)->content});
    demo.lastUserText = closing;
    demo.seed = qFromBigEndian<quint64>(session.id.toRfc4122().constData());
    return built;
}

ChatRequest ContextBuilder::summaryRequest(const Session &session, int participant,
                                           const QString &droppedTranscript)
{
    ChatRequest request;
    request.system = u"You condense conversations faithfully: who said what, the claims made, "
                     "and the questions still open. No commentary of your own."_s;
    request.turns.append(
        {ChatTurn::Role::User,
         u"Summarise, in at most 150 words, these earlier messages of a conversation about "
         "\"%1\", for %2, who will continue it:\n\n%3"_s.arg(
             session.topic, session.participants.at(participant).name,
             droppedTranscript.trimmed())});
    request.demoContext.speaker = u"Summary"_s;
    request.demoContext.topic = session.topic;
    request.demoContext.kind = TurnKind::Exchange;
    request.demoContext.lastUserText = request.turns.last().content;
    return request;
}

ChatRequest ContextBuilder::moderatorRequest(const Session &session, int round,
                                             const QList<int> &pending, int visibleBeforeSeq)
{
    QStringList everyone;
    for (const Participant &p : session.participants)
        everyone << p.name;
    QStringList waiting;
    for (int p : pending)
        waiting << session.participants.at(p).name;

    ChatRequest request;
    request.system =
        u"You are the moderator of a conversation between %1. You do not take part; you choose "
        "who speaks next so that the conversation moves forward: whoever was addressed, whoever "
        "can best answer the last point, or whoever has not been heard."_s.arg(joinNames(everyone));
    request.turns.append({ChatTurn::Role::User, u"Topic: "_s + session.topic});
    QList<const Message *> transcript;
    for (const Message &message : session.messages)
        if (message.seq < visibleBeforeSeq && message.status != MessageStatus::Failed &&
            message.type != MessageType::Moderator && !message.content.isEmpty())
            transcript.append(&message);
    const int window = std::max(1, session.options.contextWindow);
    for (qsizetype i = std::max<qsizetype>(0, transcript.size() - window); i < transcript.size();
         ++i)
        request.turns.append({ChatTurn::Role::User, speakerLabel(*transcript.at(i)) + u": "_s +
                                                        transcript.at(i)->content});
    request.turns.append(
        {ChatTurn::Role::User,
         u"Round %1 of %2. Still to speak in this round: %3. Reply with the name of the one who "
         "should speak next, and nothing else."_s.arg(round + 1)
             .arg(session.rounds)
             .arg(joinNames(waiting))});
    request.demoContext.speaker = u"Moderator"_s;
    request.demoContext.topic = session.topic;
    request.demoContext.round = round;
    request.demoContext.totalRounds = session.rounds;
    request.demoContext.kind = TurnKind::Exchange;
    request.demoContext.lastUserText = request.turns.last().content;
    return request;
}

std::optional<int> ContextBuilder::moderatorChoice(const QString &reply, const Session &session,
                                                   const QList<int> &pending)
{
    // Models wrap names in Markdown, quotes or sentences; take the pending participant whose
    // name appears first as a whole word.
    const QString text = reply.toCaseFolded();
    std::optional<int> best;
    qsizetype bestAt = -1;
    for (int p : pending) {
        const QString name = session.participants.at(p).name.toCaseFolded();
        const QRegularExpression word(u"(?<![\\p{L}\\p{N}_])"_s + QRegularExpression::escape(name) +
                                      u"(?![\\p{L}\\p{N}_])"_s);
        const auto m = word.match(text);
        if (m.hasMatch() && (bestAt < 0 || m.capturedStart() < bestAt)) {
            best = p;
            bestAt = m.capturedStart();
        }
    }
    return best;
}

} // namespace Crosstalk
