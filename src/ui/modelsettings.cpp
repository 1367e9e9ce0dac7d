// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelsettings.h"

#include "config/secretstore.h"
#include "config/settings.h"
#include "engine/engine.h"
#include "localserverprobe.h"

using namespace Qt::StringLiterals;

namespace Crosstalk {

ModelSettings::ModelSettings(Engine *engine, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_settings(std::make_unique<Settings>())
{}

ModelSettings::~ModelSettings() = default;

bool ModelSettings::isStored(const QString &alias) const
{
    return m_settings->modelAliases().contains(alias);
}

void ModelSettings::reload()
{
    m_settings->sync();
    m_engine->setRegistry(ModelRegistry::load(m_environment, m_settings.get()));
    Q_EMIT changed();
}

void ModelSettings::store(const ModelConfig &model, const QString &key,
                          std::function<void(QString error)> done)
{
    const std::optional<ModelConfig> before = m_engine->registry().model(model.alias);
    const QVariantMap wanted = ModelRegistry::attributesOf(model);
    QVariantMap stored = m_settings->modelAttributes(model.alias);
    if (before && ModelRegistry::slotAliases().contains(model.alias)) {
        const QVariantMap was = ModelRegistry::attributesOf(*before);
        for (auto it = wanted.cbegin(); it != wanted.cend(); ++it)
            if (was.value(it.key()).toString() != it.value().toString())
                stored.insert(it.key(), it.value());
        for (const QString &name : was.keys())
            if (!wanted.contains(name))
                stored.remove(name);
    } else {
        stored = wanted;
    }
    m_settings->setModelAttributes(model.alias, stored);

    SecretStore *secrets = m_engine->secrets();
    const bool hadKeychainKey = before && before->apiKeyRef.startsWith(u"keychain:"_s);
    reload();
    if (!key.isEmpty()) {
        if (!secrets) {
            if (done)
                done(tr("There is no keychain to keep the key in."));
            return;
        }
        secrets->write(model.alias, key, this, [done](const QString &error) {
            if (done)
                done(error);
        });
        return;
    }
    if (hadKeychainKey && !model.apiKeyRef.startsWith(u"keychain:"_s) && secrets)
        secrets->remove(model.alias, this, [](const QString &) {});
    if (done)
        done({});
}

void ModelSettings::remove(const QString &alias)
{
    const std::optional<ModelConfig> model = m_engine->registry().model(alias);
    m_settings->removeModel(alias);
    if (model && model->apiKeyRef == u"keychain:"_s + alias && m_engine->secrets())
        m_engine->secrets()->remove(alias, this, [](const QString &) {});
    reload();
}

QString ModelSettings::addLocalServer(const LocalServer &server)
{
    ModelConfig model;
    model.alias = server.alias;
    for (int n = 2; m_engine->registry().model(model.alias); ++n)
        model.alias = server.alias + u'-' + QString::number(n);
    model.kind = ApiKind::OpenAI;
    model.baseUrl = server.baseUrl;
    model.modelId = server.models.value(0);
    model.policy = ParameterPolicy::forModel(model.kind, model.modelId);
    store(model);
    return model.alias;
}

} // namespace Crosstalk
