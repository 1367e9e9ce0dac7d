// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "llm/apikind.h"

#include <QDate>
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

// A published list price: where and when its maker published it (resources/prices.json).
struct ListPrice
{
    double inputPerMillion = 0; // US dollars
    double outputPerMillion = 0;
    QString publisher; // "OpenAI"
    QString title;     // the page's title
    QUrl url;
    QDate published;

    bool operator==(const ListPrice &) const = default;
};

// Where a model's prices come from; a cost cap counts only a model whose price is known.
enum class PriceOrigin
{
    Unpriced,  // neither listed nor set: counted as 0, which a cost cap cannot trust
    Free,      // the demo model, or a server on this machine or network
    ListPrice, // the maker's published price
    Settings,  // the user's own prices
};

template<>
struct EnumTraits<PriceOrigin>
{
    static constexpr std::array<EnumName<PriceOrigin>, 4> names{{
        {PriceOrigin::Unpriced, QLatin1StringView("unpriced")},
        {PriceOrigin::Free, QLatin1StringView("free")},
        {PriceOrigin::ListPrice, QLatin1StringView("list_price")},
        {PriceOrigin::Settings, QLatin1StringView("settings")},
    }};
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
    // In US dollars, as cost caps count them; PriceTable's applyPrice() fills them in.
    double inputPricePerMillion = 0;
    double outputPricePerMillion = 0;
    PriceOrigin priceOrigin = PriceOrigin::Unpriced;
    // The maker's list price, when the table has one (kept beside the user's own prices).
    std::optional<ListPrice> listPrice;
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

    bool isPriced() const { return priceOrigin != PriceOrigin::Unpriced; }
    // Where the price comes from, in a sentence for Settings and error messages.
    QString priceNote() const;

    // What people see wherever a model is named: "big (gpt-4o)", or the demo label.
    QString displayName() const;

    bool operator==(const ModelConfig &) const = default;
};

} // namespace Crosstalk
