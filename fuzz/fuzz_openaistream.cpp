// SPDX-License-Identifier: GPL-3.0-or-later
// The OpenAI Chat Completions stream decoder on an arbitrary event stream.
#include "llm/openaichatcall.h"
#include "streamdecoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Crosstalk::Fuzz::decodeStream<Crosstalk::OpenAIChatCall>(data, size);
    return 0;
}
