// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "llm/apikind.h"

#include <QString>

namespace Crosstalk {

// Which configured model produced something: enough to show and to record it, without the
// endpoint's URL or key.
struct ModelRef
{
    QString alias;
    QString modelId;
    ApiKind kind = ApiKind::OpenAI;

    // What a person sees wherever a model name shows (modelLabel()), in English. The demo
    // model is always labelled as such, so its scripted replies are never mistaken for a real
    // model's.
    QString label() const { return modelLabel(kind, alias, modelId); }

    bool operator==(const ModelRef &) const = default;
};

} // namespace Crosstalk
