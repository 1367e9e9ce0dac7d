// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/modelregistry.h"

#include "config/settings.h"
#include "llm/pricetable.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

const auto kOpenAIBaseUrl = u"https://api.openai.com/v1"_s;
const auto kAnthropicBaseUrl = u"https://api.anthropic.com"_s;

// The slots' model ids when only ANTHROPIC_API_KEY is set: current Claude models, most
// capable first. The one place to update when Anthropic's line-up changes.
const QHash<QString, QString> kClaudeDefaults = {
    {u"big"_s, u"claude-opus-4-5"_s},
    {u"middle"_s, u"claude-sonnet-4-5"_s},
    {u"small"_s, u"claude-haiku-4-5"_s},
};

bool isTrue(const QString &value)
{
    const QString v = value.trimmed().toLower();
    return v == u"true"_s || v == u"1"_s || v == u"yes"_s || v == u"on"_s;
}

std::optional<double> toNumber(const QVariant &value)
{
    bool ok = false;
    const double number = value.toString().trimmed().toDouble(&ok);
    return ok ? std::optional(number) : std::nullopt;
}

std::optional<int> toInteger(const QVariant &value)
{
    bool ok = false;
    const int number = value.toString().trimmed().toInt(&ok);
    return ok ? std::optional(number) : std::nullopt;
}

std::optional<bool> toBool(const QVariant &value)
{
    const QString v = value.toString().trimmed().toLower();
    if (v == u"true"_s || v == u"1"_s || v == u"yes"_s || v == u"on"_s)
        return true;
    if (v == u"false"_s || v == u"0"_s || v == u"no"_s || v == u"off"_s)
        return false;
    return std::nullopt;
}

} // namespace

const QStringList &ModelRegistry::slotAliases()
{
    static const QStringList aliases = {u"big"_s, u"middle"_s, u"small"_s};
    return aliases;
}

QString ModelRegistry::demoAlias()
{
    return u"demo"_s;
}

QStringList ModelRegistry::attributeNames()
{
    return {u"kind"_s,
            u"base_url"_s,
            u"model_id"_s,
            u"api_key_ref"_s,
            u"temperature"_s,
            u"max_output_tokens"_s,
            u"top_p"_s,
            u"max_tokens_field"_s,
            u"accepts_temperature"_s,
            u"accepts_top_p"_s,
            u"temperature_excludes_top_p"_s,
            u"input_price_per_million"_s,
            u"output_price_per_million"_s,
            u"context_budget_tokens"_s,
            u"force_http1"_s,
            u"azure_api_version"_s};
}

ModelRegistry ModelRegistry::load(const QProcessEnvironment &environment, const Settings *settings)
{
    ModelRegistry registry;
    registry.m_environment = environment;

    for (const QString &alias : slotAliases())
        registry.m_models.append(registry.slotFromEnvironment(alias));

    ModelConfig demo;
    demo.alias = demoAlias();
    demo.kind = ApiKind::Demo;
    demo.modelId = u"crosstalk-demo"_s;
    demo.policy = ParameterPolicy::forModel(ApiKind::Demo, demo.modelId);
    registry.m_models.append(demo);

    NetworkPolicy &network = registry.m_network;
    const auto readEnvInt = [&](const QString &name, int minimum, int &target,
                                const QString &attribute) {
        if (!environment.contains(name))
            return;
        const auto value = toInteger(environment.value(name));
        if (!value || *value < minimum) {
            registry.m_problems << u"environment %1: '%2' is not a whole number ≥ %3"_s.arg(
                name, environment.value(name), QString::number(minimum));
            return;
        }
        target = *value;
        network.sources.insert(attribute, ValueSource::Environment);
    };
    readEnvInt(u"REQUEST_TIMEOUT"_s, 1, network.requestTimeoutSeconds, u"request_timeout"_s);
    readEnvInt(u"MAX_RETRIES"_s, 0, network.maxRetries, u"max_retries"_s);

    if (settings)
        registry.readSettings(*settings);
    for (ModelConfig &model : registry.m_models)
        applyPrice(model);
    return registry;
}

void ModelRegistry::readSettings(const Settings &settings)
{
    NetworkPolicy &network = m_network;

    const auto readSettingsInt = [&](const QVariant &value, int minimum, int &target,
                                     const QString &attribute) {
        if (!value.isValid())
            return;
        const auto number = toInteger(value);
        if (!number || *number < minimum) {
            m_problems << u"settings network/%1: '%2' is not a whole number ≥ %3"_s.arg(
                attribute, value.toString(), QString::number(minimum));
            return;
        }
        target = *number;
        network.sources.insert(attribute, ValueSource::Settings);
    };
    readSettingsInt(settings.requestTimeoutSeconds(), 1, network.requestTimeoutSeconds,
                    u"request_timeout"_s);
    readSettingsInt(settings.maxRetries(), 0, network.maxRetries, u"max_retries"_s);

    QStringList userAliases = settings.modelAliases();
    std::sort(userAliases.begin(), userAliases.end());
    for (const QString &alias : userAliases) {
        const QVariantMap attributes = settings.modelAttributes(alias);
        const QString where = u"settings models/"_s + alias;
        if (alias == demoAlias()) {
            m_problems << where + u": the name 'demo' is reserved for the demo model"_s;
            continue;
        }
        auto existing = std::find_if(m_models.begin(), m_models.end(),
                                     [&](const ModelConfig &m) { return m.alias == alias; });
        if (existing != m_models.end()) {
            applyAttributes(*existing, attributes, ValueSource::Settings, where, m_problems);
            continue;
        }
        ModelConfig model;
        model.alias = alias;
        applyAttributes(model, attributes, ValueSource::Settings, where, m_problems);
        if (!attributes.contains(u"max_tokens_field"_s) &&
            !attributes.contains(u"accepts_temperature"_s))
            model.policy = ParameterPolicy::forModel(model.kind, model.modelId);
        m_models.append(model);
    }
}

ModelConfig ModelRegistry::slotFromEnvironment(const QString &alias)
{
    const QProcessEnvironment &env = m_environment;
    const QString upper = alias.toUpper();
    const auto fromEnv = [&](ModelConfig &model, const QString &attribute) {
        model.sources.insert(attribute, ValueSource::Environment);
    };

    ModelConfig model;
    model.alias = alias;

    const bool onlyAnthropicKey =
        env.contains(u"ANTHROPIC_API_KEY"_s) && !env.contains(u"OPENAI_API_KEY"_s);

    // Model id: {SLOT}_MODEL, MIDDLE falling back to BIG, then the defaults.
    const QString ownVariable = upper + u"_MODEL"_s;
    if (env.contains(ownVariable)) {
        model.modelId = env.value(ownVariable);
        fromEnv(model, u"model_id"_s);
    } else if (alias == u"middle"_s && env.contains(u"BIG_MODEL"_s)) {
        model.modelId = env.value(u"BIG_MODEL"_s);
        fromEnv(model, u"model_id"_s);
    } else if (onlyAnthropicKey) {
        model.modelId = kClaudeDefaults.value(alias);
    } else {
        model.modelId = alias == u"small"_s ? u"gpt-4o-mini"_s : u"gpt-4o"_s;
    }

    const bool claude = model.modelId.startsWith(u"claude-"_s);
    model.kind = claude ? ApiKind::Anthropic : ApiKind::OpenAI;
    if (claude) {
        model.baseUrl = QUrl(kAnthropicBaseUrl);
        model.apiKeyRef = u"env:ANTHROPIC_API_KEY"_s;
    } else {
        if (env.contains(u"OPENAI_BASE_URL"_s)) {
            model.baseUrl = QUrl(env.value(u"OPENAI_BASE_URL"_s));
            fromEnv(model, u"base_url"_s);
        } else {
            model.baseUrl = QUrl(kOpenAIBaseUrl);
        }
        model.apiKeyRef = u"env:OPENAI_API_KEY"_s;
        if (env.contains(u"AZURE_API_VERSION"_s)) {
            model.azureApiVersion = env.value(u"AZURE_API_VERSION"_s);
            fromEnv(model, u"azure_api_version"_s);
        }
    }
    if (env.contains(u"OPENAI_API_KEY"_s) || env.contains(u"ANTHROPIC_API_KEY"_s))
        fromEnv(model, u"api_key_ref"_s);

    // A slot with its own endpoint: {SLOT}_ENDPOINT and {SLOT}_API_KEY (falling back to the
    // kind's shared key).
    if (isTrue(env.value(u"ENABLE_"_s + upper + u"_ENDPOINT"_s))) {
        const QString endpointVariable = upper + u"_ENDPOINT"_s;
        const QUrl endpoint(env.value(endpointVariable));
        if (endpoint.isValid() && !endpoint.scheme().isEmpty() && !endpoint.host().isEmpty()) {
            model.baseUrl = endpoint;
            fromEnv(model, u"base_url"_s);
        } else {
            m_problems << u"environment %1: '%2' is not an http(s) URL"_s.arg(
                endpointVariable, env.value(endpointVariable));
        }
        const QString keyVariable = upper + u"_API_KEY"_s;
        if (env.contains(keyVariable)) {
            model.apiKeyRef = u"env:"_s + keyVariable;
            fromEnv(model, u"api_key_ref"_s);
        }
    }

    model.policy = ParameterPolicy::forModel(model.kind, model.modelId);

    if (isTrue(env.value(u"ENABLE_CUSTOM_"_s + upper + u"_PROMPT"_s))) {
        SlotPersona persona;
        persona.filePath = env.value(upper + u"_SYSTEM_PROMPT_FILE"_s);
        if (persona.filePath.isEmpty())
            persona.text = env.value(upper + u"_SYSTEM_PROMPT"_s);
        if (!persona.filePath.isEmpty() || !persona.text.isEmpty())
            m_slotPersonas.insert(alias, persona);
    }
    return model;
}

void ModelRegistry::applyAttributes(ModelConfig &model, const QVariantMap &attributes,
                                    ValueSource source, const QString &where, QStringList &problems)
{
    const auto problem = [&](const QString &name, const QString &what) {
        problems << u"%1.%2: %3"_s.arg(where, name, what);
    };
    for (auto it = attributes.cbegin(); it != attributes.cend(); ++it) {
        const QString &name = it.key();
        const QVariant &value = it.value();
        const QString text = value.toString().trimmed();
        bool applied = true;
        if (name == u"kind"_s) {
            const auto kind = enumFromString<ApiKind>(text);
            if (!kind || *kind == ApiKind::Demo) {
                problem(name, u"must be 'openai' or 'anthropic', not '%1'"_s.arg(text));
                applied = false;
            } else {
                model.kind = *kind;
            }
        } else if (name == u"base_url"_s) {
            const QUrl url(text);
            if (!url.isValid() || (url.scheme() != u"http"_s && url.scheme() != u"https"_s) ||
                url.host().isEmpty()) {
                problem(name, u"'%1' is not an http(s) URL"_s.arg(text));
                applied = false;
            } else {
                model.baseUrl = url;
            }
        } else if (name == u"model_id"_s) {
            if (text.isEmpty()) {
                problem(name, u"must not be empty"_s);
                applied = false;
            } else {
                model.modelId = text;
            }
        } else if (name == u"api_key_ref"_s) {
            if (!text.isEmpty() && !text.startsWith(u"env:"_s) &&
                !text.startsWith(u"keychain:"_s)) {
                problem(name, u"must start with 'env:' or 'keychain:' (a key itself is never "
                              "stored in the settings)"_s);
                applied = false;
            } else {
                model.apiKeyRef = text;
            }
        } else if (name == u"temperature"_s || name == u"top_p"_s) {
            const auto number = toNumber(value);
            const double maximum = name == u"temperature"_s ? 2.0 : 1.0;
            if (!number || *number < 0 || *number > maximum) {
                problem(name, u"must be a number from 0 to %1"_s.arg(maximum));
                applied = false;
            } else {
                (name == u"temperature"_s ? model.temperature : model.topP) = *number;
            }
        } else if (name == u"max_output_tokens"_s || name == u"context_budget_tokens"_s) {
            const auto number = toInteger(value);
            if (!number || *number < 1) {
                problem(name, u"must be a whole number ≥ 1"_s);
                applied = false;
            } else if (name == u"max_output_tokens"_s) {
                model.maxOutputTokens = *number;
            } else {
                model.contextBudgetTokens = *number;
            }
        } else if (name == u"max_tokens_field"_s) {
            if (text == u"max_tokens"_s) {
                model.policy.maxTokensField = ParameterPolicy::MaxTokensField::MaxTokens;
            } else if (text == u"max_completion_tokens"_s) {
                model.policy.maxTokensField = ParameterPolicy::MaxTokensField::MaxCompletionTokens;
            } else {
                problem(name, u"must be 'max_tokens' or 'max_completion_tokens'"_s);
                applied = false;
            }
        } else if (name == u"accepts_temperature"_s || name == u"accepts_top_p"_s ||
                   name == u"temperature_excludes_top_p"_s || name == u"force_http1"_s) {
            const auto flag = toBool(value);
            if (!flag) {
                problem(name, u"must be true or false"_s);
                applied = false;
            } else if (name == u"accepts_temperature"_s) {
                model.policy.acceptsTemperature = *flag;
            } else if (name == u"accepts_top_p"_s) {
                model.policy.acceptsTopP = *flag;
            } else if (name == u"temperature_excludes_top_p"_s) {
                model.policy.temperatureExcludesTopP = *flag;
            } else {
                model.forceHttp1 = *flag;
            }
        } else if (name == u"input_price_per_million"_s || name == u"output_price_per_million"_s) {
            const auto number = toNumber(value);
            if (!number || *number < 0) {
                problem(name, u"must be a number ≥ 0"_s);
                applied = false;
            } else {
                (name == u"input_price_per_million"_s ? model.inputPricePerMillion
                                                      : model.outputPricePerMillion) = *number;
            }
        } else if (name == u"azure_api_version"_s) {
            model.azureApiVersion = text;
        } else {
            problem(name, u"unknown attribute"_s);
            applied = false;
        }
        if (applied)
            model.sources.insert(name, source);
    }
}

QVariantMap ModelRegistry::attributesOf(const ModelConfig &model)
{
    QVariantMap map;
    map.insert(u"kind"_s, enumToString(model.kind));
    if (!model.baseUrl.isEmpty())
        map.insert(u"base_url"_s, model.baseUrl.toString());
    map.insert(u"model_id"_s, model.modelId);
    if (!model.apiKeyRef.isEmpty())
        map.insert(u"api_key_ref"_s, model.apiKeyRef);
    if (model.temperature)
        map.insert(u"temperature"_s, *model.temperature);
    if (model.maxOutputTokens)
        map.insert(u"max_output_tokens"_s, *model.maxOutputTokens);
    if (model.topP)
        map.insert(u"top_p"_s, *model.topP);
    map.insert(u"max_tokens_field"_s,
               model.policy.maxTokensField == ParameterPolicy::MaxTokensField::MaxTokens
                   ? u"max_tokens"_s
                   : u"max_completion_tokens"_s);
    map.insert(u"accepts_temperature"_s, model.policy.acceptsTemperature);
    map.insert(u"accepts_top_p"_s, model.policy.acceptsTopP);
    map.insert(u"temperature_excludes_top_p"_s, model.policy.temperatureExcludesTopP);
    // Only the user's own prices are stored; a list price comes from the table each time.
    if (model.priceOrigin == PriceOrigin::Settings) {
        map.insert(u"input_price_per_million"_s, model.inputPricePerMillion);
        map.insert(u"output_price_per_million"_s, model.outputPricePerMillion);
    }
    map.insert(u"context_budget_tokens"_s, model.contextBudgetTokens);
    map.insert(u"force_http1"_s, model.forceHttp1);
    if (!model.azureApiVersion.isEmpty())
        map.insert(u"azure_api_version"_s, model.azureApiVersion);
    return map;
}

QStringList ModelRegistry::aliases() const
{
    QStringList list;
    list.reserve(m_models.size());
    for (const ModelConfig &model : m_models)
        list << model.alias;
    return list;
}

std::optional<ModelConfig> ModelRegistry::model(const QString &alias) const
{
    for (const ModelConfig &model : m_models)
        if (model.alias == alias)
            return model;
    return std::nullopt;
}

void ModelRegistry::addForThisRun(const ModelConfig &model)
{
    m_models.removeIf([&](const ModelConfig &m) { return m.alias == model.alias; });
    m_models.append(model);
    applyPrice(m_models.last());
}

std::optional<SlotPersona> ModelRegistry::slotPersona(const QString &alias) const
{
    const auto it = m_slotPersonas.constFind(alias);
    return it == m_slotPersonas.cend() ? std::nullopt : std::optional(*it);
}

QString ModelRegistry::environmentKey(const ModelConfig &model) const
{
    if (!model.apiKeyRef.startsWith(u"env:"_s))
        return {};
    return m_environment.value(model.apiKeyRef.mid(4));
}

} // namespace Crosstalk
