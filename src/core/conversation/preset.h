// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/parsed.h"
#include "conversation/participant.h"
#include "conversation/session.h"
#include "conversation/sessionoptions.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Crosstalk {

class PersonaLibrary;

// A repeatable session setup read from a YAML file (PRODUCT.md §4). The old tool's format
// loads as written:
//
//     models: [big, small]
//     system_prompts: {big: "path:alice.md", small: "path:bob.md"}
//     paradigm: debate
//     iterations: 20
//     topic: "What will be AI's biggest challenges over the next five years?"
//
// plus `participants` (a list of {name, model, persona, colour}, instead of `models` and
// `system_prompts`), `rounds` (instead of `iterations`), `answer_mode`, `schedule`,
// `context_window`, `summarise_dropped`, `summariser_model`, `moderator_model` and
// `budget: {tokens, cost}`. Unknown keys are errors: a misspelt key silently ignored would
// run a different session than the one the user wrote down.
struct Preset
{
    // The old tool's quick-run defaults, which also fill what a preset leaves out.
    static constexpr Paradigm defaultParadigm = Paradigm::Relay;
    static constexpr int defaultRounds = 20;
    static QString defaultTopic(); // "Hello, let's talk"

    // Personas resolved at Local trust (text and source). Empty when the preset names no
    // models, so the command line supplies them; otherwise 2 to 8. A participant of `models`
    // without a `system_prompts` entry has no persona: the model's default applies.
    QList<Participant> participants;
    Paradigm paradigm = defaultParadigm;
    int rounds = defaultRounds;
    QString topic = defaultTopic();
    SessionOptions options;
    // The folder that relative `path:` references are relative to: the preset's own folder.
    QString baseFolder;
    // What does not stop the preset from loading, such as unknown persona front matter keys.
    QStringList warnings;

    // The top-level keys a preset may have, the old tool's included.
    static QStringList keys();

    // Reads a preset file; persona references resolve against its folder, then `library`.
    // With `knownModels` given, model aliases outside it are errors. Every error names the
    // key, the problem, and the line and column.
    static Parsed<Preset> load(const QString &path, const PersonaLibrary &library,
                               const QStringList &knownModels = {});
    static Parsed<Preset> parse(const QByteArray &yaml, const QString &baseFolder,
                                const PersonaLibrary &library, const QStringList &knownModels = {});

    // The preset as YAML in the `participants` form, `path:` references rewritten relative to
    // `folder`, so that the file loads back equal from there.
    QByteArray toYaml(const QString &folder) const;
    // Writes the preset atomically. Returns what went wrong, if anything.
    std::optional<FieldError> save(const QString &path) const;

    // Sets the session's participants (when the preset has any), paradigm, rounds, topic,
    // title (from the topic) and options.
    void applyTo(Session &session) const;

    bool operator==(const Preset &) const = default;
};

} // namespace Crosstalk
