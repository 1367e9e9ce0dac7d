// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelchoice.h"

#include "llm/modelregistry.h"

#include <QComboBox>
#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace Crosstalk::ModelChoice {

bool isConfigured(const ModelRegistry &registry, const ModelConfig &model)
{
    if (model.kind == ApiKind::Demo)
        return true;
    if (model.apiKeyRef.startsWith(u"keychain:"_s))
        return true;
    if (!registry.environmentKey(model).isEmpty())
        return true;
    // No key: only a server the user named counts (a local one needs none).
    return model.sourceOf(u"base_url"_s) != ValueSource::Default;
}

QStringList configuredAliases(const ModelRegistry &registry)
{
    QStringList aliases;
    for (const QString &alias : registry.aliases())
        if (const auto model = registry.model(alias);
            model && model->kind != ApiKind::Demo && isConfigured(registry, *model))
            aliases << alias;
    return aliases;
}

void fill(QComboBox *combo, const ModelRegistry &registry, const QString &none)
{
    const QString current = combo->currentData().toString();
    combo->clear();
    if (!none.isEmpty())
        combo->addItem(none, QString());
    QStringList unconfigured;
    for (const QString &alias : registry.aliases()) {
        const auto model = registry.model(alias);
        if (isConfigured(registry, *model))
            combo->addItem(model->displayName(), alias);
        else
            unconfigured << alias;
    }
    for (const QString &alias : std::as_const(unconfigured)) {
        combo->addItem(QCoreApplication::translate("Crosstalk::ModelChoice", "%1 — no key")
                           .arg(registry.model(alias)->displayName()),
                       alias);
    }
    if (const int index = combo->findData(current); index >= 0)
        combo->setCurrentIndex(index);
}

} // namespace Crosstalk::ModelChoice
