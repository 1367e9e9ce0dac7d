// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/parsed.h"
#include "conversation/session.h"

#include <QByteArrayView>
#include <QJsonObject>

namespace Crosstalk {

class ModelRegistry;
class PersonaLibrary;
class StoreWorker;

// The body of `POST /v1/crosstalk/setup`: the old tool's fields and defaults (PRODUCT.md
// appendix) and Crosstalk's extensions.
namespace SetupRequest {

// Deeper JSON is refused before it is parsed.
inline constexpr int maxNestingDepth = 16;
// How deeply arrays and objects nest in a JSON text (strings are skipped, so brackets in them
// do not count). Stops counting at maxNestingDepth + 1.
int nestingDepth(QByteArrayView json);

// Reads the request into a session draft for Engine::createSession(). `models` is a list of
// model aliases (participants named after them; a repeated alias gets -2, -3) or of
// participant objects `{name, model, persona, colour}`; `system_prompts` gives personas by
// alias; `paradigm`, `iterations` or `rounds`, `topic`, each defaulting as in Preset to the
// old tool's defaults (its empty topic aside, which Crosstalk does not allow: the topic its
// command line used instead). Persona values come from a remote client, so files resolve
// inside the persona library only. The session's options are given in an `options` object as
// in the session document, or each at the top level under the same name (`answer_mode`,
// `budget`, …), not both for one option; what is not given keeps its default. The slots' persona
// choices in `store` (may be null) and in the environment apply to participants given none. Unknown
// top-level fields are ignored, as the old tool did.
Parsed<Session> read(const QJsonObject &body, const ModelRegistry &registry,
                     const PersonaLibrary &library, StoreWorker *store);

// Engine::createSession() names fields as the session document does; this names them as the
// request did (`participants[1].model` → `models[1].model`, `rounds` → `iterations`).
QList<FieldError> requestFieldNames(const QList<FieldError> &errors, const QJsonObject &body);

} // namespace SetupRequest
} // namespace Crosstalk
