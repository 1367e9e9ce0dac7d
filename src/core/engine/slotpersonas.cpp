// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/slotpersonas.h"

#include "llm/modelregistry.h"
#include "persona/personalibrary.h"
#include "storage/sessionstore.h"
#include "storage/storeworker.h"

using namespace Qt::StringLiterals;

namespace Crosstalk::SlotPersonas {

StoreResult<Stored> readFrom(SessionStore &store)
{
    Stored stored;
    for (const QString &slot : ModelRegistry::slotAliases()) {
        StoreResult<std::optional<QString>> chosen = store.slotPersona(slot);
        if (!chosen)
            return chosen.error();
        if (chosen.value())
            stored.insert(slot, *chosen.value());
    }
    return stored;
}

Stored read(StoreWorker *store)
{
    if (!store)
        return {};
    StoreResult<Stored> stored = store->fetch(&readFrom);
    return stored ? std::move(stored).value() : Stored();
}

Choice resolve(const QString &alias, const Stored &stored, const ModelRegistry &registry,
               const PersonaLibrary &library)
{
    if (const auto chosen = stored.constFind(alias); chosen != stored.cend())
        return {library.resolve(*chosen, PersonaTrust::Remote), u"load_system_prompt"_s};
    if (const std::optional<SlotPersona> slot = registry.slotPersona(alias)) {
        const QString variable = alias.toUpper() + u"_SYSTEM_PROMPT"_s;
        return {library.resolveSlotPersona(alias, *slot),
                slot->filePath.isEmpty() ? variable : variable + u"_FILE"_s};
    }
    Persona neutral;
    neutral.prompt = Persona::defaultPrompt();
    return {{neutral, {}}, QString()};
}

} // namespace Crosstalk::SlotPersonas
