// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/enumtraits.h"
#include "conversation/message.h"
#include "conversation/paradigm.h"
#include "conversation/participant.h"
#include "conversation/sessionoptions.h"
#include "llm/usage.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QUuid>

#include <array>
#include <optional>

namespace Crosstalk {

enum class SessionStatus
{
    Configured,
    Running,
    Paused,
    Completed,
    Failed,
    Cancelled,
    // Its process died while running; it can be resumed.
    Interrupted,
};

template<>
struct EnumTraits<SessionStatus>
{
    static constexpr std::array<EnumName<SessionStatus>, 7> names{{
        {SessionStatus::Configured, QLatin1StringView("configured")},
        {SessionStatus::Running, QLatin1StringView("running")},
        {SessionStatus::Paused, QLatin1StringView("paused")},
        {SessionStatus::Completed, QLatin1StringView("completed")},
        {SessionStatus::Failed, QLatin1StringView("failed")},
        {SessionStatus::Cancelled, QLatin1StringView("cancelled")},
        {SessionStatus::Interrupted, QLatin1StringView("interrupted")},
    }};
};

// What a session's status allows: the one home of these rules, which the engine enforces and the
// window, the servers and the CLI show.

// Its turns are being asked for.
constexpr bool isRunning(SessionStatus status)
{
    return status == SessionStatus::Running;
}

// Starting it leads somewhere: it has not started yet, or it resumes (see canResume).
constexpr bool canStart(SessionStatus status)
{
    return status == SessionStatus::Configured || status == SessionStatus::Paused ||
           status == SessionStatus::Interrupted || status == SessionStatus::Cancelled;
}

// It started, then was paused, stopped by the user or its process died; starting it goes on
// where it stopped, asking again for the turns that were cut off (PRODUCT.md §3).
constexpr bool canResume(SessionStatus status)
{
    return status == SessionStatus::Paused || status == SessionStatus::Interrupted ||
           status == SessionStatus::Cancelled;
}

// It started and has not ended: running, paused or interrupted.
constexpr bool isUnderway(SessionStatus status)
{
    return isRunning(status) || status == SessionStatus::Paused ||
           status == SessionStatus::Interrupted;
}

// It will not go on by itself: completed, failed, or stopped by the user (which a resume
// continues).
constexpr bool hasEnded(SessionStatus status)
{
    return status == SessionStatus::Completed || status == SessionStatus::Failed ||
           status == SessionStatus::Cancelled;
}

// It failed before its last round: only a fork of it goes on.
constexpr bool needsFork(SessionStatus status)
{
    return status == SessionStatus::Failed;
}

// Where a fork was made: the session it was made from and the message it was made at (the
// last one it copied, or the reply it asked again for).
struct ForkOrigin
{
    QUuid sessionId;
    QUuid messageId;

    bool operator==(const ForkOrigin &) const = default;
};

// The outcome of answer mode: the majority answer and how many answers voted for it.
struct Result
{
    QString answer;
    int votes = 0;

    bool operator==(const Result &) const = default;
};

struct Session
{
    static constexpr int minTopicLength = 1;
    static constexpr int maxTopicLength = 4000;
    static constexpr int minParticipants = 2;
    static constexpr int maxParticipants = 8;
    static constexpr int minRounds = 1;
    static constexpr int maxRounds = 100;

    QUuid id;
    QString title;
    QString topic;
    QList<Participant> participants;
    Paradigm paradigm = Paradigm::Memory;
    // Every round counts, round 0 (the openings) included.
    int rounds = minRounds;
    SessionOptions options;
    SessionStatus status = SessionStatus::Configured;
    // Ordered by seq.
    QList<Message> messages;
    // Answer mode only.
    std::optional<Result> result;
    Usage usage;
    QDateTime createdAt;
    QDateTime updatedAt;
    // Set for a fork.
    std::optional<ForkOrigin> forkedFrom;

    // The title a session gets when none is given.
    static QString titleFromTopic(const QString &topic);

    // Rounds, from round 0 on, in which every participant has completed its turn (an opening,
    // exchange or verdict): the old API's `current_iteration`.
    int completedRounds() const;

    // Not running and no reply still streaming: nothing in it changes until someone acts.
    bool isSettled() const;

    // The time replies were being written, in milliseconds: the union of the messages' spans
    // (a reply still streaming lasts until `now`). Time paused, or waiting on nobody, does not
    // count.
    qint64 activeMs(const QDateTime &now) const;

    bool operator==(const Session &) const = default;
};

} // namespace Crosstalk
