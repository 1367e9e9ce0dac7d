// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelsettings.h"

#include "config/secretstore.h"
#include "config/settings.h"
#include "engine/engine.h"
#include "localserverprobe.h"

#include <QRegularExpression>

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
    const auto answer = [done](const QString &error) {
        if (done)
            done(error);
    };
    if (model.apiKeyRef.startsWith(u"run:"_s)) {
        // Kept in memory only: whatever the settings file held for the alias goes.
        if (isStored(model.alias))
            remove(model.alias);
        m_engine->keepForThisRun(model, key);
        reload();
        answer({});
        return;
    }
    SecretStore *secrets = m_engine->secrets();
    if (!key.isEmpty()) {
        // The key first: a model is never saved pointing at a key the keychain did not take.
        if (!secrets) {
            answer(tr("There is no keychain to keep the key in."));
            return;
        }
        secrets->write(model.alias, key, this, [this, model, answer](const QString &error) {
            if (error.isEmpty())
                writeAttributes(model);
            answer(error);
        });
        return;
    }
    writeAttributes(model);
    answer({});
}

void ModelSettings::writeAttributes(const ModelConfig &model)
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
    if (before && before->apiKeyRef.startsWith(u"run:"_s))
        m_engine->forgetForThisRun(model.alias);
    reload();
    SecretStore *secrets = m_engine->secrets();
    if (before && before->apiKeyRef.startsWith(u"keychain:"_s) &&
        !model.apiKeyRef.startsWith(u"keychain:"_s) && secrets)
        secrets->remove(model.alias, this, [](const QString &) {});
}

void ModelSettings::remove(const QString &alias)
{
    const std::optional<ModelConfig> model = m_engine->registry().model(alias);
    m_settings->removeModel(alias);
    m_engine->forgetForThisRun(alias);
    if (model && model->apiKeyRef == u"keychain:"_s + alias && m_engine->secrets())
        m_engine->secrets()->remove(alias, this, [](const QString &) {});
    reload();
}

QString ModelSettings::addLocalServer(const LocalServer &server, const QString &modelId)
{
    ModelConfig model;
    model.modelId = modelId.isEmpty() ? server.models.value(0) : modelId;
    // The server's own name for its first model, its name and the model's for the others.
    QString base = server.alias;
    if (model.modelId != server.models.value(0)) {
        static const QRegularExpression unusable(u"[^A-Za-z0-9._-]+"_s);
        base = QString(server.alias + u'-' + QString(model.modelId).replace(unusable, u"-"_s))
                   .left(60);
    }
    model.alias = base;
    for (int n = 2; m_engine->registry().model(model.alias); ++n)
        model.alias = base + u'-' + QString::number(n);
    model.kind = ApiKind::OpenAI;
    model.baseUrl = server.baseUrl;
    model.policy = ParameterPolicy::forModel(model.kind, model.modelId);
    store(model);
    return model.alias;
}

} // namespace Crosstalk
