// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/transcriptlabels.h"

#include <QTimeZone>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace Crosstalk::TranscriptLabels {

namespace {

const auto separator = u" · "_s;

bool reachesEveryone(const Message &message, const Session &session)
{
    return std::all_of(session.participants.cbegin(), session.participants.cend(),
                       [&message](const Participant &p) {
                           return p.name == message.speaker || message.recipients.contains(p.name);
                       });
}

} // namespace

QString roundTitle(int round, int rounds)
{
    return u"Round %1 of %2"_s.arg(round + 1).arg(rounds);
}

QString speaker(const Message &message)
{
    switch (message.type) {
    case MessageType::Human:
        return u"Human"_s;
    case MessageType::Moderator:
        return u"Moderator"_s;
    default:
        return message.speaker;
    }
}

QString turnNote(const Message &message, const Session &session)
{
    switch (message.type) {
    case MessageType::Verdict:
        return u"verdict"_s;
    case MessageType::Summary:
        return u"summary of earlier messages"_s;
    case MessageType::Moderator:
        return u"chooses who speaks next"_s;
    case MessageType::Human:
        return reachesEveryone(message, session) ? QString()
                                                 : u"to "_s + message.recipients.join(u", "_s);
    case MessageType::Opening:
    case MessageType::Exchange:
        break;
    }
    return QString();
}

QString model(const Message &message)
{
    if (!message.model) {
        return QString();
    }
    return message.isEdited() ? u"first written by "_s + message.model->label()
                              : message.model->label();
}

QString participantModel(const Participant &participant, const Session &session)
{
    for (const Message &message : session.messages) {
        if (message.speaker == participant.name && message.model &&
            message.model->alias == participant.modelAlias) {
            return message.model->label();
        }
    }
    return participant.modelAlias;
}

QString dateTime(const QDateTime &time)
{
    if (!time.isValid()) {
        return u"unknown"_s;
    }
    return time.toTimeZone(QTimeZone::UTC).toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"_s);
}

QString messageTime(const Message &message, const Session &session)
{
    const QDateTime time = message.createdAt.toTimeZone(QTimeZone::UTC);
    if (time.date() != session.createdAt.toTimeZone(QTimeZone::UTC).date()) {
        return dateTime(time);
    }
    return time.toString(u"HH:mm:ss"_s);
}

QString answer(const Message &message)
{
    QStringList parts;
    if (message.answer) {
        parts << u"answer: "_s + *message.answer;
    }
    if (message.confidence) {
        parts << u"confidence %1%"_s.arg(std::lround(*message.confidence * 100));
    }
    return parts.join(separator);
}

QString statusMark(const Message &message)
{
    switch (message.status) {
    case MessageStatus::Failed:
        return message.error.isEmpty() ? u"failed"_s : u"failed: "_s + message.error;
    case MessageStatus::Partial:
        return message.error.isEmpty() ? u"partial"_s : u"partial: "_s + message.error;
    case MessageStatus::Streaming:
        return u"still streaming"_s;
    case MessageStatus::Complete:
        break;
    }
    return message.isEdited() ? u"edited "_s + dateTime(message.editedAt) : QString();
}

QList<Fact> facts(const Session &session)
{
    const ParadigmInfo &info = paradigmInfo(session.paradigm);
    QStringList paradigm{QString(info.name)};
    if (info.scheduleOptional) {
        paradigm << (session.options.schedule == Schedule::Parallel ? u"parallel rounds"_s
                                                                    : u"sequential turns"_s);
    }
    if (session.options.answerMode) {
        paradigm << u"answer mode"_s;
    }

    QList<Fact> facts{
        {u"Paradigm"_s, paradigm.join(separator)},
        {u"Rounds"_s, QString::number(session.rounds)},
        {u"Date"_s, dateTime(session.createdAt)},
        {u"Status"_s, enumToString(session.status)},
    };
    if (session.options.answerMode) {
        facts.append({u"Result"_s, session.result ? u"%1 (%2 votes)"_s.arg(
                                                        session.result->answer,
                                                        QString::number(session.result->votes))
                                                  : u"no answer agreed"_s});
    }
    QString usage =
        u"%1 tokens in, %2 out"_s.arg(session.usage.tokensIn).arg(session.usage.tokensOut);
    if (session.usage.estimated) {
        usage += u" (estimated)"_s;
    }
    if (session.usage.cost > 0) {
        usage += u", $%1"_s.arg(session.usage.cost, 0, 'f', 4);
    }
    facts.append({u"Usage"_s, usage});
    return facts;
}

QString title(const Session &session)
{
    return session.title.isEmpty() ? Session::titleFromTopic(session.topic) : session.title;
}

} // namespace Crosstalk::TranscriptLabels
