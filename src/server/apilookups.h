// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "conversation/session.h"

#include <QJsonArray>
#include <QUuid>

#include <optional>

namespace Crosstalk {

class Engine;
class ModelRegistry;

// What the REST API and MCP both read beyond the old tool's operations, so their answers
// cannot drift apart.
namespace ApiLookups {

// A session as it stands: the one this process has loaded, else read from the store without
// adopting it, so a session another process runs is not frozen here (`stored` keeps that
// copy). Null with `error` set (not_found, or the store's failure) when there is none.
const Session *find(Engine &engine, const QUuid &id, std::optional<Session> &stored, Error *error);

// The configured models: [{alias, display_name, model_id, kind, base_url}]. Never a key.
QJsonArray models(const ModelRegistry &registry);

// The paradigms of paradigmTable: [{name, topology, description}], in English.
QJsonArray paradigms();

} // namespace ApiLookups
} // namespace Crosstalk
