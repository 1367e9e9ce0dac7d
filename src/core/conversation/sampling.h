// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace Crosstalk {

// A participant's own sampling (PRODUCT.md §2): each value set overrides the model's, and the
// model's parameter policy still decides what is sent (no temperature to a model that takes
// none, max_completion_tokens for OpenAI reasoning models).
struct Sampling
{
    static constexpr double maxTemperature = 2.0;
    static constexpr int maxMaxTokens = 1'000'000;

    std::optional<double> temperature; // 0–2
    std::optional<double> topP;        // 0–1
    std::optional<int> maxTokens;      // 1–1,000,000

    bool isEmpty() const { return !temperature && !topP && !maxTokens; }
    bool operator==(const Sampling &) const = default;

    // "temperature=0.7,top_p=0.9,max_tokens=1500" (the command line's form; any of the three,
    // in any order); nullopt with `problem` saying what is wrong.
    static std::optional<Sampling> fromText(const QString &text, QString *problem);
};

} // namespace Crosstalk
