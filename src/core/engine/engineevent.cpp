// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/engineevent.h"

#include "common/jsonfields.h"
#include "conversation/sessiondocument.h"

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

bool carriesMessage(EngineEventType type)
{
    return type == EngineEventType::MessageStarted || type == EngineEventType::MessageCompleted ||
           type == EngineEventType::MessageFailed;
}

} // namespace

EngineEvent EngineEvent::forSession(EngineEventType type, const QUuid &sessionId)
{
    Q_ASSERT(type == EngineEventType::SessionCreated || type == EngineEventType::SessionUpdated ||
             type == EngineEventType::SessionDeleted);
    EngineEvent event;
    event.type = type;
    event.sessionId = sessionId;
    return event;
}

EngineEvent EngineEvent::statusChanged(const QUuid &sessionId, SessionStatus oldStatus,
                                       SessionStatus newStatus, const QString &reason,
                                       std::optional<ErrorCode> errorCode)
{
    EngineEvent event;
    event.type = EngineEventType::SessionStatus;
    event.sessionId = sessionId;
    event.oldStatus = oldStatus;
    event.newStatus = newStatus;
    event.reason = reason;
    event.errorCode = errorCode;
    return event;
}

EngineEvent EngineEvent::forMessage(EngineEventType type, const Message &message)
{
    Q_ASSERT(carriesMessage(type));
    EngineEvent event;
    event.type = type;
    event.sessionId = message.sessionId;
    event.message = message;
    return event;
}

EngineEvent EngineEvent::delta(const QUuid &sessionId, const QUuid &messageId, const QString &text)
{
    EngineEvent event;
    event.type = EngineEventType::MessageDelta;
    event.sessionId = sessionId;
    event.messageId = messageId;
    event.text = text;
    return event;
}

QJsonObject EngineEvent::toJson() const
{
    QJsonObject object{
        {u"event"_s, enumToString(type)},
        {u"session_id"_s, sessionId.toString(QUuid::WithoutBraces)},
    };
    if (type == EngineEventType::SessionStatus) {
        object.insert(u"old"_s, enumToString(oldStatus));
        object.insert(u"new"_s, enumToString(newStatus));
        object.insert(u"reason"_s, reason.isEmpty() ? QJsonValue() : QJsonValue(reason));
        object.insert(u"error_code"_s,
                      errorCode ? QJsonValue(enumToString(*errorCode)) : QJsonValue());
    } else if (type == EngineEventType::MessageDelta) {
        object.insert(u"message_id"_s, messageId.toString(QUuid::WithoutBraces));
        object.insert(u"text"_s, text);
    } else if (carriesMessage(type)) {
        object.insert(u"message"_s, SessionDocument::messageToJson(message));
    }
    return object;
}

Parsed<EngineEvent> EngineEvent::fromJson(const QJsonObject &object)
{
    QList<FieldError> errors;
    JsonFields fields(object, QString(), errors);
    EngineEvent event;
    const std::optional<EngineEventType> type = fields.enumeration<EngineEventType>("event"_L1);
    event.sessionId = fields.uuid("session_id"_L1).value_or(QUuid());
    if (!type) {
        return {std::nullopt, errors};
    }
    event.type = *type;
    if (event.type == EngineEventType::SessionStatus) {
        event.oldStatus =
            fields.enumeration<SessionStatus>("old"_L1).value_or(SessionStatus::Configured);
        event.newStatus =
            fields.enumeration<SessionStatus>("new"_L1).value_or(SessionStatus::Configured);
        event.reason = fields.string("reason"_L1, Presence::Nullable).value_or(QString());
        event.errorCode = fields.enumeration<ErrorCode>("error_code"_L1, Presence::Nullable);
    } else if (event.type == EngineEventType::MessageDelta) {
        event.messageId = fields.uuid("message_id"_L1).value_or(QUuid());
        event.text = fields.string("text"_L1).value_or(QString());
    } else if (carriesMessage(event.type)) {
        if (const auto message = fields.object("message"_L1)) {
            const Parsed<Message> parsed =
                SessionDocument::messageFromJson(*message, fields.pathOf(u"message"));
            errors.append(parsed.errors);
            if (parsed && parsed.value->sessionId != event.sessionId) {
                errors.append({u"message.session_id"_s, u"must be the event's session_id"_s});
            }
            event.message = parsed.value.value_or(Message());
        }
    }
    fields.rejectUnknownKeys();
    if (!errors.isEmpty()) {
        return {std::nullopt, errors};
    }
    return {event, {}};
}

} // namespace Crosstalk
