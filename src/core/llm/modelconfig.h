// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "llm/apikind.h"

#include <QHash>
#include <QMetaType>
#include <QString>
#include <QUrl>

#include <optional>

namespace Crosstalk {

// Which request parameters a model accepts. Providers differ, and sending one a model
// refuses fails the whole request.
struct ParameterPolicy
{
    enum class MaxTokensField
    {
        MaxTokens,           // `max_tokens`: most servers
        MaxCompletionTokens, // `max_completion_tokens`: OpenAI reasoning models (o1, o3, gpt-5…)
    };
    MaxTokensField maxTokensField = MaxTokensField::MaxTokens;
    bool acceptsTemperature = true;
    bool acceptsTopP = true;
    // Newer Anthropic models refuse `temperature` and `top_p` in one request.
    bool temperatureExcludesTopP = false;

    bool operator==(const ParameterPolicy &) const = default;

    // The policy a model id is known to need; servers not recognised get the defaults.
    static ParameterPolicy forModel(ApiKind kind, const QString &modelId);
};

// Where the value of a model attribute came from; the Settings window shows it.
enum class ValueSource
{
    Default,
    Environment,
    Settings
};

// A configured model: everything needed to send it a request, except the key itself, which
// is looked up at request time from `apiKeyRef` and never stored with the rest.
struct ModelConfig
{
    QString alias; // "big", "gpt4o", "local-llama"…
    ApiKind kind = ApiKind::OpenAI;
    QUrl baseUrl;    // e.g. https://api.openai.com/v1
    QString modelId; // e.g. gpt-4o
    // "env:OPENAI_API_KEY", "keychain:ALIAS", "run:ALIAS" (a model and key kept in memory for
    // this run of the program only), or empty for servers that need no key.
    QString apiKeyRef;
    std::optional<double> temperature;
    std::optional<int> maxOutputTokens;
    std::optional<double> topP;
    ParameterPolicy policy;
    double inputPricePerMillion = 0; // in the user's currency, for budget caps
    double outputPricePerMillion = 0;
    int contextBudgetTokens = 128000;
    bool forceHttp1 = false;
    // Azure OpenAI: sent as the `api-version` query, with the key in an `api-key` header.
    QString azureApiVersion;

    // Attribute name (as in the settings: "base_url", "model_id"…) → where its value came from.
    // Absent means Default.
    QHash<QString, ValueSource> sources;

    ValueSource sourceOf(const QString &attribute) const
    {
        return sources.value(attribute, ValueSource::Default);
    }

    // The price of a reply, from the model's prices per million tokens.
    double cost(qint64 inputTokens, qint64 outputTokens) const
    {
        return (inputTokens * inputPricePerMillion + outputTokens * outputPricePerMillion) / 1e6;
    }

    // What people see wherever a model is named: "big (gpt-4o)", or the demo label.
    QString displayName() const;

    bool operator==(const ModelConfig &) const = default;
};

} // namespace Crosstalk
