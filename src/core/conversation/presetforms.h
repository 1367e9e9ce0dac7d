// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The parts of the preset reader (Preset::parse) that read the participants, in the old
// tool's `models` + `system_prompts` form or in the `participants` form. Internal to
// conversation/.

#include "common/yamlreader.h"
#include "conversation/participant.h"
#include "persona/persona.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Crosstalk {

class PersonaLibrary;

namespace PresetForms {

QString quoted(const QString &text);

// What the rest of the parse needs to know besides the reader.
struct PresetContext
{
    YamlReader &reader;
    const QString &baseFolder;
    const PersonaLibrary &library;
    const QStringList &knownModels;
    QStringList &warnings;

    // A model alias, checked against the known models when there are any.
    std::optional<QString> modelAlias(const QString &path, const YAML::Node &node);
    // A persona reference resolved at Local trust; its warnings are kept.
    std::optional<Persona> persona(const QString &path, const YAML::Node &node);
};

// `models: [big, small]` with `system_prompts: {big: "path:alice.md"}`: participants named
// after their models (`big`, `big-2` for a repetition).
void readModelsForm(PresetContext &context, const YAML::Node &models,
                    const std::optional<YAML::Node> &prompts, QList<Participant> &participants);
// `participants: [{name, model, persona, colour}]`.
void readParticipantsForm(PresetContext &context, const YAML::Node &list,
                          QList<Participant> &participants);

} // namespace PresetForms
} // namespace Crosstalk
