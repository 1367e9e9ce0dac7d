// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace Crosstalk::Bench {

// A session store filled with synthetic completed sessions for the benchmarks: each message
// holds about `wordsPerMessage` words drawn from a Zipf distribution over a synthetic
// vocabulary (as words in natural text are), optionally as Markdown with some emphasis, lists
// and code blocks. Bulk-inserted with one prepared statement per table, bypassing the store's
// per-message transactions; the store's own schema comes from opening it with SessionStore.
struct StoreShape
{
    int sessions = 1;
    int messagesPerSession = 100;
    int wordsPerMessage = 200;
    bool markdown = false;
    // Each message stores the request that asked for it, as the engine does: an OpenAI chat
    // body with the persona and the last ten messages (the sessions' context window).
    bool requests = false;
};

// The synthetic vocabulary, most frequent word first.
QStringList vocabulary();

// Writes a new store at `path` (replacing any file there). Fails the benchmark on error.
void generateStore(const QString &path, const StoreShape &shape);

// A cached store of that shape in $CROSSTALK_BENCH_CACHE or ~/.cache/crosstalk-bench, generated
// under a temporary name on first use so an interrupted run never leaves a half-filled one.
QString cachedStore(const QString &name, const StoreShape &shape);

[[noreturn]] void fail(const QString &what);

} // namespace Crosstalk::Bench
