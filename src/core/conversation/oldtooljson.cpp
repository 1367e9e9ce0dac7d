// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/oldtooljson.h"

#include <QJsonArray>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace Crosstalk::OldToolJson {

namespace {

double epochSeconds(const QDateTime &time)
{
    return double(time.toMSecsSinceEpoch()) / 1000.0;
}

QJsonArray modelAliases(const Session &session)
{
    QJsonArray aliases;
    for (const Participant &participant : session.participants) {
        aliases.append(participant.modelAlias);
    }
    return aliases;
}

// "all" when the message reaches every participant other than its speaker, as the old tool
// said of messages everyone heard.
QString listener(const Message &message, const Session &session)
{
    const bool everyone =
        std::all_of(session.participants.cbegin(), session.participants.cend(),
                    [&message](const Participant &p) {
                        return p.name == message.speaker || message.recipients.contains(p.name);
                    });
    return everyone ? u"all"_s : message.recipients.join(u", "_s);
}

} // namespace

QJsonObject message(const Message &message, const Session &session)
{
    return {
        {u"speaker"_s, message.speaker},
        {u"listener"_s, listener(message, session)},
        {u"content"_s, message.content},
        {u"iteration"_s, message.round},
        {u"timestamp"_s, epochSeconds(message.createdAt)},
        {u"confidence"_s, message.confidence ? QJsonValue(*message.confidence) : QJsonValue()},
        {u"message_type"_s, enumToString(message.type)},
    };
}

QJsonObject file(const Session &session)
{
    QJsonArray conversation;
    for (const Message &m : session.messages) {
        conversation.append(message(m, session));
    }
    // The old tool stamped the file when it saved the finished conversation; the session's
    // last change is that moment, and keeps exports of one session identical.
    return {
        {u"session_id"_s, session.id.toString(QUuid::WithoutBraces)},
        {u"timestamp"_s, epochSeconds(session.updatedAt)},
        {u"models"_s, modelAliases(session)},
        {u"paradigm"_s, enumToString(session.paradigm)},
        {u"iterations"_s, session.rounds},
        {u"topic"_s, session.topic},
        {u"duration_seconds"_s, durationSeconds(session)},
        {u"message_count"_s, qint64(session.messages.size())},
        {u"conversation"_s, conversation},
    };
}

QJsonObject status(const Session &session)
{
    return {
        {u"session_id"_s, session.id.toString(QUuid::WithoutBraces)},
        {u"status"_s, statusName(session.status)},
        {u"models"_s, modelAliases(session)},
        {u"paradigm"_s, enumToString(session.paradigm)},
        {u"iterations"_s, session.rounds},
        {u"current_iteration"_s, session.completedRounds()},
        {u"message_count"_s, qint64(session.messages.size())},
        {u"created_at"_s, epochSeconds(session.createdAt)},
    };
}

QString statusName(SessionStatus status)
{
    return status == SessionStatus::Failed ? u"error"_s : enumToString(status);
}

double durationSeconds(const Session &session)
{
    if (session.messages.isEmpty()) {
        return 0.0;
    }
    qint64 start = std::numeric_limits<qint64>::max();
    qint64 end = std::numeric_limits<qint64>::min();
    for (const Message &m : session.messages) {
        const qint64 begun = m.createdAt.toMSecsSinceEpoch();
        start = std::min(start, begun);
        end = std::max(end, begun + m.durationMs.value_or(0));
    }
    return double(end - start) / 1000.0;
}

} // namespace Crosstalk::OldToolJson
