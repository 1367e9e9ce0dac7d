// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "llm/scriptengine.h"

#include <QString>

#include <optional>

namespace Crosstalk::Fake {

// One way for a reply to go wrong. Written as NAME[:ARGS] (tests/support/README.md lists
// them); the same text works in the x-fake-fault header, --fault and script files.
struct Fault
{
    enum class Kind
    {
        Status,        // NNN[:RETRY_AFTER]: an error status with the API's error JSON
        Close,         // close the connection without answering
        Reset,         // reset:N — TCP reset after N tokens
        Truncate,      // truncate:N — end the HTTP body cleanly after N tokens, no end marker
        Malformed,     // malformed:N — a broken JSON chunk after N tokens, then carry on
        StreamError,   // stream-error:N — the API's in-stream error after N tokens, then end
        Stall,         // stall[:N] — nothing at all, or the head and N tokens, then silence
        Trickle,       // trickle[:MS[:BYTES]] — the response BYTES at a time, MS apart
        InvalidUtf8,   // bytes that are not UTF-8 inside a text delta
        SplitUtf8,     // multi-byte characters split across two writes
        Large,         // large[:TOKENS] — a very long reply
        KeyEcho,       // key-echo:PAD[:FROM[:LENGTH]] — a 401 quoting part of the key after PAD
        EndlessDeltas, // endless-deltas[:KIB] — text deltas of KIB KiB each, for ever
        EndlessLine,   // endless-line — one line that never ends
        EndlessEvent,  // endless-event — data lines of an event that never ends
    };

    Kind kind = Kind::Status;
    int status = 0;
    int retryAfterSeconds = 1;
    int afterTokens = 0; // -1 for a stall before the response head
    int intervalMs = 0;
    int bytesPerWrite = 1;
    int tokens = 0;
    int padding = 0;    // key-echo: characters before the quoted key
    int keyFrom = 0;    // key-echo: the first character of the key quoted
    int keyLength = -1; // key-echo: how many characters of the key; -1 for the rest
    int kibibytes = 64; // endless-*: the size of each repeated write
    QString spec;

    static std::optional<Fault> parse(const QString &spec, QString *error);
};

// A fault for the requests a match selects, optionally only the nth of them (1-based).
struct FaultRule
{
    Fault fault;
    ScriptMatch match;
    int nth = 0;

    // NAME[:ARGS][@model=M,participant=P,round=R,nth=N]
    static std::optional<FaultRule> parse(const QString &spec, QString *error);
};

} // namespace Crosstalk::Fake
