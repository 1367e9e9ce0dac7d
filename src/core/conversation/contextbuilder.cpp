// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/contextbuilder.h"

#include "conversation/topology.h"
#include "persona/placeholders.h"

#include <QCoreApplication>

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
                                            const ModelConfig &model)
{
    const Participant &me = session.participants.at(turn.participant);
    Built built;
    ChatRequest &request = built.request;
    request.system = fillPlaceholders(me.persona, session, turn.participant, turn.round);

    QStringList others;
    for (const Participant &p : session.participants)
        if (p.name != me.name)
            others << p.name;
    const QString opening = u"You are %1, in a conversation with %2.\n\nTopic: %3"_s.arg(
        me.name, joinNames(others), session.topic);
    const QString closing = instruction(session, turn);

    // What this participant can see: its own messages and those addressed to it.
    QList<const Message *> visible;
    for (const Message &message : session.messages) {
        if (message.seq >= turn.visibleBeforeSeq)
            continue;
        if (message.status != MessageStatus::Complete && message.status != MessageStatus::Partial)
            continue;
        if (message.content.isEmpty())
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
        return ChatTurn{ChatTurn::Role::User, speakerLabel(*message) + u": "_s + message->content};
    };

    // Trim the oldest until the request and the reply fit the model's context budget.
    const qint64 budget = qint64(model.contextBudgetTokens) - replyReserve(model);
    qint64 tokens =
        estimateTokens(request.system) + estimateTokens(opening) + estimateTokens(closing);
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

    request.turns.append({ChatTurn::Role::User, opening});
    for (qsizetype i = first; i < visible.size(); ++i)
        request.turns.append(turnOf(visible.at(i)));
    request.turns.append({ChatTurn::Role::User, closing});
    return built;
}

} // namespace Crosstalk
