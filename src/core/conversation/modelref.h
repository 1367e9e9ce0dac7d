// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/enumtraits.h"

#include <QString>

#include <array>

namespace Crosstalk {

// The protocol a model endpoint speaks.
enum class ModelKind
{
    OpenAi,    // Chat Completions and compatible servers
    Anthropic, // Anthropic Messages
    Demo,      // the built-in offline, scripted model
};

template<>
struct EnumTraits<ModelKind>
{
    static constexpr std::array<EnumName<ModelKind>, 3> names{{
        {ModelKind::OpenAi, QLatin1StringView("openai")},
        {ModelKind::Anthropic, QLatin1StringView("anthropic")},
        {ModelKind::Demo, QLatin1StringView("demo")},
    }};
};

// Which configured model produced something: enough to show and to record it, without the
// endpoint's URL or key.
struct ModelRef
{
    QString alias;
    QString modelId;
    ModelKind kind = ModelKind::OpenAi;

    // What a person sees wherever a model name shows. The demo model is always labelled as
    // such, so its scripted replies are never mistaken for a real model's.
    QString label() const;

    bool operator==(const ModelRef &) const = default;
};

} // namespace Crosstalk
