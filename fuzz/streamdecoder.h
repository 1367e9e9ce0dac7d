// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fuzzsupport.h"
#include "llm/httpchatcall.h"
#include "llm/sseparser.h"

#include <QUrl>

namespace Crosstalk::Fuzz {

// A provider call whose stream decoding is reachable without a network: the bytes go through
// the SSE parser into handleEvent, as HttpChatCall does with a reply's bytes, and the call is
// never started.
template<typename Call>
class OfflineCall : public Call
{
public:
    using Call::Call;
    using Call::handleEvent;
};

template<typename Call>
void decodeStream(const uint8_t *data, size_t size)
{
    ensureApplication();
    ModelConfig model;
    model.alias = QStringLiteral("fuzz");
    model.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9/v1"));
    model.modelId = QStringLiteral("fuzz-model");
    ChatRequest request;
    request.system = QStringLiteral("You are a fuzz target.");
    OfflineCall<Call> call(nullptr, model, QString(), request, CallTiming{}, nullptr);
    SseParser parser;
    const QList<SseEvent> events =
        parser.feed(QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));
    for (const SseEvent &event : events) {
        call.handleEvent(event);
        if (call.isDone())
            break;
    }
}

} // namespace Crosstalk::Fuzz
