// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/parsed.h"
#include "conversation/message.h"
#include "conversation/session.h"

#include <QByteArray>
#include <QJsonObject>

namespace Crosstalk {

// The session document: a whole session as one JSON object, the format of export, import and
// `GET /v1/sessions/{id}` (docs/contracts.md). Readers of later versions keep reading every
// earlier format_version; a document newer than this build understands is refused.
namespace SessionDocument {

// Version 2 added optional keys (absent means version 1's behaviour): a message's `edited_at`
// and `original_content`, a session's `forked_from`.
inline constexpr int formatVersion = 2;

QJsonObject toJson(const Session &session);
// Indented UTF-8 JSON.
QByteArray write(const Session &session);

// Validates everything, including what ties the parts together (unique names, speakers and
// recipients that are participants, seq order), and names the path of each problem.
Parsed<Session> fromJson(const QJsonObject &document);
Parsed<Session> read(const QByteArray &json);

// One message object as it appears in `messages` and in engine events. Reading one on its own
// checks its fields but not how it fits a session; error paths start with `path`.
QJsonObject messageToJson(const Message &message);
Parsed<Message> messageFromJson(const QJsonObject &object, const QString &path = QString());

} // namespace SessionDocument
} // namespace Crosstalk
