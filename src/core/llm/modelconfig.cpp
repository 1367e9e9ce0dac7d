// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/modelconfig.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace Crosstalk {

QString apiKindName(ApiKind kind)
{
    switch (kind) {
    case ApiKind::OpenAI:
        return u"openai"_s;
    case ApiKind::Anthropic:
        return u"anthropic"_s;
    case ApiKind::Demo:
        return u"demo"_s;
    }
    Q_UNREACHABLE_RETURN(QString());
}

std::optional<ApiKind> apiKindFromName(const QString &name)
{
    for (ApiKind kind : {ApiKind::OpenAI, ApiKind::Anthropic, ApiKind::Demo})
        if (apiKindName(kind) == name)
            return kind;
    return std::nullopt;
}

QString valueSourceName(ValueSource source)
{
    switch (source) {
    case ValueSource::Default:
        return u"default"_s;
    case ValueSource::Environment:
        return u"environment"_s;
    case ValueSource::Settings:
        return u"settings"_s;
    }
    Q_UNREACHABLE_RETURN(QString());
}

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
        return QCoreApplication::translate("Crosstalk", "Demo (offline, scripted)");
    if (modelId.isEmpty() || modelId == alias)
        return alias;
    return u"%1 (%2)"_s.arg(alias, modelId);
}

} // namespace Crosstalk
