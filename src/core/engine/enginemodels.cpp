// SPDX-License-Identifier: GPL-3.0-or-later
// The Engine's models and their keys: the configured ones, the ones kept for this run only, and
// where each key is read from.
#include "engine/engine.h"

#include "config/secretstore.h"

using namespace Qt::StringLiterals;

namespace Crosstalk {

void Engine::setRegistry(const ModelRegistry &registry)
{
    m_registry = registry;
    for (const ModelConfig &model : std::as_const(m_runOnlyModels))
        m_registry.addForThisRun(model);
}

void Engine::keepForThisRun(ModelConfig model, const QString &key)
{
    model.apiKeyRef = u"run:"_s + model.alias;
    m_runOnlyModels.removeIf([&](const ModelConfig &m) { return m.alias == model.alias; });
    m_runOnlyModels.append(model);
    if (!key.isEmpty())
        m_runOnlyKeys.insert(model.alias, key);
    m_registry.addForThisRun(model);
}

void Engine::forgetForThisRun(const QString &alias)
{
    m_runOnlyModels.removeIf([&](const ModelConfig &m) { return m.alias == alias; });
    m_runOnlyKeys.remove(alias);
}

void Engine::resolveKey(const ModelConfig &model, QObject *context,
                        std::function<void(QString key, QString error)> done)
{
    if (model.apiKeyRef.startsWith(u"run:"_s)) {
        done(m_runOnlyKeys.value(model.alias), {});
        return;
    }
    if (model.apiKeyRef.startsWith(u"keychain:"_s) && m_secrets) {
        m_secrets->read(
            model.apiKeyRef.mid(9), context,
            [done, alias = model.alias](std::optional<QString> secret, const QString &error) {
                if (!error.isEmpty())
                    done({}, tr("The key of model '%1' could not be read from the "
                                "keychain: %2")
                                 .arg(alias, error));
                else
                    done(secret.value_or(QString()), {});
            });
        return;
    }
    done(m_registry.environmentKey(model), {});
}

} // namespace Crosstalk
