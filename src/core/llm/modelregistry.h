// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "llm/modelconfig.h"

#include <QProcessEnvironment>
#include <QStringList>
#include <QVariantMap>

#include <optional>

namespace Crosstalk {

class Settings;

// Timeouts and retries for every provider request (PRODUCT.md §5, §6).
struct NetworkPolicy
{
    int requestTimeoutSeconds = 120; // inactivity: no byte for this long fails the attempt
    int maxRetries = 2;              // retries after the first attempt
    int turnLimitSeconds = 900;      // a whole turn, retries and streaming included
    QHash<QString, ValueSource> sources;

    bool operator==(const NetworkPolicy &) const = default;
};

// A slot's default persona from the environment (`{SLOT}_SYSTEM_PROMPT[_FILE]`).
struct SlotPersona
{
    QString text;     // inline text, when no file was given
    QString filePath; // a file the user named, read when a session uses it

    bool operator==(const SlotPersona &) const = default;
};

// All configured models: the slots big, middle and small filled from the environment exactly
// as the old tool did (PRODUCT.md §5), the built-in offline demo model, and the models the
// user defined in Settings. Settings override the environment attribute by attribute, and
// each model knows where each of its values came from.
class ModelRegistry
{
public:
    static ModelRegistry load(const QProcessEnvironment &environment, const Settings *settings);

    // big, middle, small, demo, then the user's models in alphabetical order.
    QStringList aliases() const;
    std::optional<ModelConfig> model(const QString &alias) const;
    const NetworkPolicy &network() const { return m_network; }
    std::optional<SlotPersona> slotPersona(const QString &alias) const;

    // Adds (or replaces) a model held for this run of the program only, after the
    // configured ones; its `apiKeyRef` is `run:ALIAS`.
    void addForThisRun(const ModelConfig &model);

    // The key for a model's `apiKeyRef`, if it refers to the environment; empty otherwise
    // (no key needed, or one the SecretStore holds).
    QString environmentKey(const ModelConfig &model) const;

    // Values that could not be used, each naming where it came from and what is wrong; the
    // affected attribute keeps its previous value.
    QStringList problems() const { return m_problems; }

    // The attribute names a model accepts in Settings.
    static QStringList attributeNames();
    // Applies stored attributes to a model, recording problems as "WHERE.NAME: what".
    static void applyAttributes(ModelConfig &model, const QVariantMap &attributes,
                                ValueSource source, const QString &where, QStringList &problems);
    // A model's attributes in the form Settings stores.
    static QVariantMap attributesOf(const ModelConfig &model);

    static const QStringList &slotAliases();
    static QString demoAlias();

private:
    ModelConfig slotFromEnvironment(const QString &alias);
    void readSettings(const Settings &settings);

    QProcessEnvironment m_environment;
    QList<ModelConfig> m_models;
    QHash<QString, SlotPersona> m_slotPersonas;
    NetworkPolicy m_network;
    QStringList m_problems;
};

} // namespace Crosstalk
