// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/message.h"
#include "conversation/session.h"

#include <QJsonObject>
#include <QString>

namespace Crosstalk {

// The JSON shapes of the old Python tool (PRODUCT.md appendix), kept so that its scripts and
// clients keep working: its message layout, its transcript file and its status object. Times
// here are epoch seconds as a float, as the old tool wrote them.
namespace OldToolJson {

// `{speaker, listener, content, iteration, timestamp, confidence, message_type}`.
QJsonObject message(const Message &message, const Session &session);

// `{session_id, timestamp, models, paradigm, iterations, topic, duration_seconds,
// message_count, conversation}`.
QJsonObject file(const Session &session);

// `{session_id, status, models, paradigm, iterations, current_iteration, message_count,
// created_at}`, as the old status and list endpoints answer.
QJsonObject status(const Session &session);

// The old endpoints said "error" where Crosstalk says "failed".
QString statusName(SessionStatus status);

// From the start of the first message to the end of the last, in seconds; 0 without messages.
double durationSeconds(const Session &session);

} // namespace OldToolJson
} // namespace Crosstalk
