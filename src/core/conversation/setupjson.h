// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/jsonfields.h"
#include "common/parsed.h"
#include "conversation/participant.h"
#include "conversation/sessionoptions.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace Crosstalk {

// The one JSON form of a session's setup, Participant and SessionOptions, as
// docs/contracts.md specifies it for the session document. The document, the store's JSON
// columns and the preset writer all write it with these functions; the readers check every
// field and name the path of each problem, starting with `path`.
namespace SetupJson {

inline constexpr qsizetype maxNameLength = 64;
inline constexpr qsizetype maxPersonaLength = 50000;
inline constexpr qint64 maxContextWindow = 1000;

// `colour` is `#rrggbb`; a colour that is not opaque is `#aarrggbb`, and no colour is null.
QJsonObject participantToJson(const Participant &participant);
Participant readParticipant(const QJsonObject &object, const QString &path,
                            QList<FieldError> &errors);

// A participant's `temperature`, `top_p` and `max_tokens`, each optional (null or absent: the
// model's own); out of range is a problem named by its path.
Sampling readSampling(JsonFields &fields);

// The budget is nested: `budget: {tokens, cost}`, each null when there is none.
QJsonObject optionsToJson(const SessionOptions &options);
SessionOptions readOptions(const QJsonObject &object, const QString &path,
                           QList<FieldError> &errors);

} // namespace SetupJson
} // namespace Crosstalk
