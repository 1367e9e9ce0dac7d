// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "llm/scriptcontext.h"

#include <QHttpHeaders>
#include <QJsonObject>

namespace Crosstalk::Fake {

enum class Api
{
    OpenAi,
    Anthropic
};

// What a chat request asks for, as far as the fake server cares.
struct ChatRequest
{
    Api api = Api::OpenAi;
    ScriptContext context;
    bool stream = false;
    bool includeUsage = false; // OpenAI's stream_options.include_usage
    int maxTokens = -1;        // -1: no limit given
    int inputTokens = 0;
};

// Recovers the scripted engine's context from a request body, the way the conversation
// engine writes requests (PRODUCT.md §2, "Context of a request"); the rules are listed in
// tests/support/README.md. Headers x-fake-participant, x-fake-round and x-fake-kind override
// the inference, so tests can address a participant without composing a whole persona.
// Returns an error message in *error for bodies the real API would reject with 400.
ChatRequest inferChatRequest(Api api, const QJsonObject &body, const QHttpHeaders &headers,
                             quint64 defaultSeed, QString *error);

} // namespace Crosstalk::Fake
