// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelchoice.h"

#include "config/settings.h"
#include "llm/modelregistry.h"

#include <QComboBox>
#include <QCoreApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Crosstalk::ModelChoice {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Crosstalk::ModelChoice", text);
}

const auto kFoundPrefix = u"found:"_s;

bool servedBy(const ModelConfig &model, const LocalServer &server)
{
    return model.kind == ApiKind::OpenAI && model.baseUrl.adjusted(QUrl::StripTrailingSlash) ==
                                                server.baseUrl.adjusted(QUrl::StripTrailingSlash);
}

} // namespace

Health Health::fromSettings(const Settings &settings, const QList<LocalServer> &found)
{
    return {settings.connectionTests(), found};
}

bool isConfigured(const ModelRegistry &registry, const ModelConfig &model)
{
    if (model.kind == ApiKind::Demo)
        return true;
    if (model.apiKeyRef.startsWith(u"keychain:"_s) || model.apiKeyRef.startsWith(u"run:"_s))
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

Standing standing(const ModelRegistry &registry, const ModelConfig &model, const Health &health)
{
    if (model.kind == ApiKind::Demo)
        return Standing::Demo;
    const auto test = health.lastTest.constFind(model.alias);
    if (test != health.lastTest.cend() && !*test)
        return Standing::Failed;
    if (!isConfigured(registry, model))
        return Standing::NoKey;
    for (const LocalServer &server : health.found)
        if (servedBy(model, server) && server.models.contains(model.modelId))
            return Standing::FoundHere;
    return test != health.lastTest.cend() ? Standing::Passed : Standing::Configured;
}

QStringList ranked(const ModelRegistry &registry, const Health &health)
{
    // By standing, and a model whose test passed before an untested one of the same standing.
    const auto key = [&](const QString &alias) {
        return std::pair(standing(registry, *registry.model(alias), health),
                         !health.lastTest.value(alias, false));
    };
    QStringList aliases = registry.aliases();
    std::stable_sort(aliases.begin(), aliases.end(),
                     [&](const QString &a, const QString &b) { return key(a) < key(b); });
    return aliases;
}

bool mayDefaultTo(const ModelRegistry &registry, const QString &alias, const Health &health)
{
    const std::optional<ModelConfig> model = registry.model(alias);
    return model && standing(registry, *model, health) <= Standing::Demo;
}

QString preferred(const ModelRegistry &registry, const Health &health)
{
    const QStringList aliases = ranked(registry, health);
    const auto it = std::find_if(aliases.cbegin(), aliases.cend(), [&](const QString &alias) {
        return mayDefaultTo(registry, alias, health);
    });
    return it == aliases.cend() ? ModelRegistry::demoAlias() : *it;
}

QString FoundModel::data() const
{
    return kFoundPrefix + server.baseUrl.toString() + u' ' + modelId;
}

QList<FoundModel> unconfiguredFound(const ModelRegistry &registry, const Health &health)
{
    QList<FoundModel> found;
    const QStringList aliases = registry.aliases();
    for (const LocalServer &server : health.found) {
        for (const QString &id : server.models) {
            const bool configured =
                std::any_of(aliases.cbegin(), aliases.cend(), [&](const QString &alias) {
                    const std::optional<ModelConfig> model = registry.model(alias);
                    return servedBy(*model, server) && model->modelId == id;
                });
            if (!configured)
                found.append({server, id});
        }
    }
    return found;
}

std::optional<FoundModel> foundModel(const QString &data, const Health &health)
{
    if (!data.startsWith(kFoundPrefix))
        return std::nullopt;
    for (const LocalServer &server : health.found)
        for (const QString &id : server.models)
            if (FoundModel{server, id}.data() == data)
                return FoundModel{server, id};
    return std::nullopt;
}

void fill(QComboBox *combo, const ModelRegistry &registry, const Health &health, bool offerFound,
          const QString &none)
{
    const QString current = combo->currentData().toString();
    combo->clear();
    if (!none.isEmpty())
        combo->addItem(none, QString());
    if (offerFound) {
        for (const FoundModel &found : unconfiguredFound(registry, health))
            combo->addItem(
                tr("%1 on %2 (found on this computer)").arg(found.modelId, found.server.name),
                found.data());
    }
    for (const QString &alias : ranked(registry, health)) {
        const std::optional<ModelConfig> model = registry.model(alias);
        QString text = model->displayName();
        switch (standing(registry, *model, health)) {
        case Standing::NoKey:
            text = tr("%1 — no key").arg(text);
            break;
        case Standing::Failed:
            text = tr("%1 — last test failed").arg(text);
            break;
        default:
            break;
        }
        combo->addItem(text, alias);
    }
    if (const int index = combo->findData(current); index >= 0)
        combo->setCurrentIndex(index);
}

} // namespace Crosstalk::ModelChoice
