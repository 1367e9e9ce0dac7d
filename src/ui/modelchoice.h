// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserverprobe.h"

#include <QHash>
#include <QStringList>

#include <optional>

class QComboBox;

namespace Crosstalk {

class ModelRegistry;
class Settings;
struct ModelConfig;

// How the windows offer models (New Session, Change Models): the ones that can be expected to
// answer first, each marked with what is known about it.
namespace ModelChoice {

// What is known beyond the configuration: each model's last connection test, and the model
// servers found on this computer.
struct Health
{
    QHash<QString, bool> lastTest; // alias → passed
    QList<LocalServer> found;

    static Health fromSettings(const Settings &settings, const QList<LocalServer> &found = {});
};

// In the order models are offered.
enum class Standing
{
    FoundHere,  // on a model server that answered on this computer
    Passed,     // its last connection test passed
    Configured, // has what it needs (a key, or a server the user named), not tested
    Demo,       // the offline demo model
    NoKey,      // a slot's built-in default without a key
    Failed,     // its last connection test failed: offered, never chosen by default
};

// Whether a model can be expected to answer: the demo, a model with a key (environment,
// keychain or this run), or one the user pointed at a server of their own. The slots' built-in
// defaults (gpt-4o without OPENAI_API_KEY) are listed but not configured.
bool isConfigured(const ModelRegistry &registry, const ModelConfig &model);
// The configured models other than the demo.
QStringList configuredAliases(const ModelRegistry &registry);

Standing standing(const ModelRegistry &registry, const ModelConfig &model, const Health &health);
// Every alias, best first (stable within a standing).
QStringList ranked(const ModelRegistry &registry, const Health &health);
// The model to choose when the user has not: the best that is expected to answer.
QString preferred(const ModelRegistry &registry, const Health &health);
// Whether a model may be chosen for the user (not failed, not without its key).
bool mayDefaultTo(const ModelRegistry &registry, const QString &alias, const Health &health);

// A model a found server lists that no configured model uses yet; offered as "found:" data.
struct FoundModel
{
    LocalServer server;
    QString modelId;

    // The combo data that stands for it.
    QString data() const;
};
QList<FoundModel> unconfiguredFound(const ModelRegistry &registry, const Health &health);
// The found model a combo's data stands for, if it is one.
std::optional<FoundModel> foundModel(const QString &data, const Health &health);

// Fills a combo box with the models in ranked order, each with its display name, a marker
// ("no key", "last test failed") and its alias as item data; found models that are not
// configured come first when `offerFound`; `none` (when given) comes first with empty data.
// The current choice is kept when it is still offered.
void fill(QComboBox *combo, const ModelRegistry &registry, const Health &health,
          bool offerFound = false, const QString &none = {});

} // namespace ModelChoice
} // namespace Crosstalk
