// SPDX-License-Identifier: GPL-3.0-or-later
// The Anthropic Messages stream decoder on an arbitrary event stream.
#include "llm/anthropicchatcall.h"
#include "streamdecoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Crosstalk::Fuzz::decodeStream<Crosstalk::AnthropicChatCall>(data, size);
    return 0;
}
