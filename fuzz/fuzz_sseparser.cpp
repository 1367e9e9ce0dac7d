// SPDX-License-Identifier: GPL-3.0-or-later
// The SSE parser on arbitrary bytes. The first byte chooses where the rest is split into two
// network chunks; the events must not depend on the chunking, so the whole input fed at once,
// in two chunks and byte by byte must give the same events.
#include "fuzzsupport.h"
#include "llm/sseparser.h"

using namespace Crosstalk;

namespace {

struct Outcome
{
    QList<SseEvent> events;
    bool incomplete = false;
    bool operator==(const Outcome &) const = default;
};

Outcome parseInChunks(QByteArrayView bytes, qsizetype chunkSize)
{
    SseParser parser;
    Outcome outcome;
    for (qsizetype at = 0; at < bytes.size(); at += chunkSize)
        outcome.events += parser.feed(bytes.sliced(at, qMin(chunkSize, bytes.size() - at)));
    outcome.incomplete = parser.hasIncompleteEvent();
    return outcome;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArrayView stream(data + 1, qsizetype(size - 1));
    const qsizetype split = stream.isEmpty() ? 0 : data[0] % (stream.size() + 1);

    const Outcome whole = parseInChunks(stream, qMax<qsizetype>(stream.size(), 1));

    SseParser parser;
    Outcome twoChunks;
    twoChunks.events = parser.feed(stream.first(split));
    twoChunks.events += parser.feed(stream.sliced(split));
    twoChunks.incomplete = parser.hasIncompleteEvent();

    if (!(twoChunks == whole))
        Fuzz::fail("two chunks parse differently from the whole stream");
    if (!(parseInChunks(stream, 1) == whole))
        Fuzz::fail("byte-by-byte parses differently from the whole stream");
    return 0;
}
