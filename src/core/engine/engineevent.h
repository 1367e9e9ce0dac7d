// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/enumtraits.h"
#include "common/error.h"
#include "common/parsed.h"
#include "conversation/message.h"
#include "conversation/session.h"

#include <QJsonObject>
#include <QString>
#include <QUuid>

#include <array>

namespace Crosstalk {

enum class EngineEventType
{
    SessionCreated,
    SessionUpdated,
    SessionStatus,
    MessageStarted,
    MessageDelta,
    MessageCompleted,
    MessageFailed,
    SessionDeleted,
};

template<>
struct EnumTraits<EngineEventType>
{
    static constexpr std::array<EnumName<EngineEventType>, 8> names{{
        {EngineEventType::SessionCreated, QLatin1StringView("session.created")},
        {EngineEventType::SessionUpdated, QLatin1StringView("session.updated")},
        {EngineEventType::SessionStatus, QLatin1StringView("session.status")},
        {EngineEventType::MessageStarted, QLatin1StringView("message.started")},
        {EngineEventType::MessageDelta, QLatin1StringView("message.delta")},
        {EngineEventType::MessageCompleted, QLatin1StringView("message.completed")},
        {EngineEventType::MessageFailed, QLatin1StringView("message.failed")},
        {EngineEventType::SessionDeleted, QLatin1StringView("session.deleted")},
    }};
};

// What the engine tells the window, the REST event stream and MCP progress. One type for all
// kinds keeps it a plain value that queues, copies and compares; which fields carry meaning
// depends on the type, and the factories fill exactly those.
struct EngineEvent
{
    EngineEventType type = EngineEventType::SessionUpdated;
    QUuid sessionId;
    // session.status
    SessionStatus oldStatus = SessionStatus::Configured;
    SessionStatus newStatus = SessionStatus::Configured;
    // Why the status changed when the user should be told (a budget cap, a failed model call).
    QString reason;
    // Set when a model call's failure paused the session: `timeout` for the inactivity or
    // whole-turn limit, `provider_error` otherwise.
    std::optional<ErrorCode> errorCode;
    // message.started, message.completed, message.failed: the message as it stands then.
    Message message;
    // message.delta: the text appended to the message's content.
    QUuid messageId;
    QString text;

    // session.created, session.updated, session.deleted.
    static EngineEvent forSession(EngineEventType type, const QUuid &sessionId);
    static EngineEvent statusChanged(const QUuid &sessionId, SessionStatus oldStatus,
                                     SessionStatus newStatus, const QString &reason = QString(),
                                     std::optional<ErrorCode> errorCode = std::nullopt);
    // message.started, message.completed, message.failed.
    static EngineEvent forMessage(EngineEventType type, const Message &message);
    static EngineEvent delta(const QUuid &sessionId, const QUuid &messageId, const QString &text);

    QJsonObject toJson() const;
    static Parsed<EngineEvent> fromJson(const QJsonObject &object);

    bool operator==(const EngineEvent &) const = default;
};

} // namespace Crosstalk
