// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/modelconfig.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace Crosstalk {

ParameterPolicy ParameterPolicy::forModel(ApiKind kind, const QString &modelId)
{
    ParameterPolicy policy;
    const QString id = modelId.toLower();
    if (kind == ApiKind::OpenAI) {
        // Reasoning models take max_completion_tokens and only their default sampling.
        static const QStringList reasoningPrefixes = {u"o1"_s, u"o3"_s, u"o4"_s, u"gpt-5"_s};
        for (const QString &prefix : reasoningPrefixes) {
            if (id == prefix || id.startsWith(prefix + u'-')) {
                policy.maxTokensField = MaxTokensField::MaxCompletionTokens;
                policy.acceptsTemperature = false;
                policy.acceptsTopP = false;
            }
        }
    } else if (kind == ApiKind::Anthropic) {
        // Claude models from the 4.5 generation on refuse temperature together with top_p.
        policy.temperatureExcludesTopP =
            !id.startsWith(u"claude-3"_s) && !id.startsWith(u"claude-2"_s);
    }
    return policy;
}

QString ModelConfig::displayName() const
{
    if (kind == ApiKind::Demo)
        return QCoreApplication::translate("Crosstalk", demoModelLabel);
    return modelLabel(kind, alias, modelId);
}

QString ModelConfig::priceNote() const
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("Crosstalk", text); };
    switch (priceOrigin) {
    case PriceOrigin::Settings:
        return tr("Your own prices, set in Settings.");
    case PriceOrigin::Free:
        return kind == ApiKind::Demo
                   ? tr("The offline demo model costs nothing.")
                   : tr("A server on this machine or its network: it costs nothing per token.");
    case PriceOrigin::ListPrice:
        return tr("The list price %1 published on %2 (“%3”).")
            .arg(listPrice->publisher, listPrice->published.toString(Qt::ISODate),
                 listPrice->title);
    case PriceOrigin::Unpriced:
        break;
    }
    return tr("No list price is known for %1 at %2: a cost cap cannot count it until its "
              "prices are set.")
        .arg(modelId, baseUrl.host());
}

} // namespace Crosstalk
