// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/enumtraits.h"

#include <QString>

#include <array>

namespace Crosstalk {

// Which wire protocol a model speaks. Its names are stored with every message's model and in
// the settings' `kind` of a model.
enum class ApiKind
{
    OpenAI,    // Chat Completions and compatible servers (Ollama, vLLM, llama.cpp, …)
    Anthropic, // Anthropic Messages
    Demo,      // the built-in offline, scripted demo model
};

template<>
struct EnumTraits<ApiKind>
{
    static constexpr std::array<EnumName<ApiKind>, 3> names{{
        {ApiKind::OpenAI, QLatin1StringView("openai")},
        {ApiKind::Anthropic, QLatin1StringView("anthropic")},
        {ApiKind::Demo, QLatin1StringView("demo")},
    }};
};

// How the demo model is named wherever a model name shows, so that its scripted replies are
// never mistaken for a real model's (PRODUCT.md §1). The window shows it translated.
inline constexpr char demoModelLabel[] = QT_TRANSLATE_NOOP("Crosstalk", "Demo (offline, scripted)");

// What people see wherever a model is named, in English: "big (gpt-4o)", "big" when the model
// id is empty or the alias itself, and demoModelLabel for the demo model.
QString modelLabel(ApiKind kind, const QString &alias, const QString &modelId);

} // namespace Crosstalk
