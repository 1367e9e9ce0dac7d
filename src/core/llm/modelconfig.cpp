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

} // namespace Crosstalk
