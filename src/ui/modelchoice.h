// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class QComboBox;

namespace Crosstalk {

class ModelRegistry;
struct ModelConfig;

namespace ModelChoice {

// Whether a model can be expected to answer: the demo, a model with a key (environment or
// keychain), or one the user pointed at a server of their own. The slots' built-in defaults
// (gpt-4o without OPENAI_API_KEY) are listed but not configured.
bool isConfigured(const ModelRegistry &registry, const ModelConfig &model);
// The configured models other than the demo.
QStringList configuredAliases(const ModelRegistry &registry);

// Fills a combo box with the registry's models, configured ones first, each with its display
// name and its alias as item data; `none` (when given) comes first with empty data.
void fill(QComboBox *combo, const ModelRegistry &registry, const QString &none = {});

} // namespace ModelChoice
} // namespace Crosstalk
