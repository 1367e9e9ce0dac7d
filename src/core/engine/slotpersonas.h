// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/parsed.h"
#include "persona/persona.h"
#include "storage/storeresult.h"

#include <QHash>
#include <QString>

namespace Crosstalk {

class ModelRegistry;
class PersonaLibrary;
class SessionStore;
class StoreWorker;

// The persona a participant gets when none was chosen for it (PRODUCT.md §5), one lookup for
// every surface: the slot's choice made with the MCP tool load_system_prompt (kept in the
// store; a remote client made it, so it resolves inside the persona library only), then the
// environment's ({SLOT}_SYSTEM_PROMPT, …_FILE), then the neutral default.
namespace SlotPersonas {

struct Choice
{
    Parsed<Persona> persona;
    // Where it came from, for people: "load_system_prompt", "BIG_SYSTEM_PROMPT",
    // "BIG_SYSTEM_PROMPT_FILE"; empty for the neutral default.
    QString origin;
};

// The choices load_system_prompt stored, by slot alias.
using Stored = QHash<QString, QString>;

// The stored choices, read on the store's thread (a window submits this to its reader).
StoreResult<Stored> readFrom(SessionStore &store);
// Reads them and waits: for servers and the command line. A store that cannot be read gives
// none (the environment's and the default still apply).
Stored read(StoreWorker *store);

// The persona for a participant on model `alias` that was given none.
Choice resolve(const QString &alias, const Stored &stored, const ModelRegistry &registry,
               const PersonaLibrary &library);

} // namespace SlotPersonas
} // namespace Crosstalk
