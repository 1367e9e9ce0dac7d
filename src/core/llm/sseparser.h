// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace Crosstalk {

// One dispatched server-sent event.
struct SseEvent
{
    QString type = QStringLiteral("message"); // the `event` field, "message" when none
    QString data;                             // `data` lines joined with '\n'
    QString lastEventId;
    std::optional<int> retryMs;

    bool operator==(const SseEvent &) const = default;
};

// Incremental event-stream parser following the WHATWG rules ("Parsing an event stream",
// "Interpreting an event stream"): bytes are buffered until a line is complete, lines end in
// LF, CRLF or CR (a trailing CR waits for the next byte, which may be its LF), each complete
// line is decoded as UTF-8 on its own — never a network chunk, so a character split across
// chunks decodes correctly — a blank line dispatches, ':' lines are comments, one space after
// the colon is dropped, and several `data` lines join with '\n'. Provider sentinels such as
// OpenAI's `[DONE]` are data like any other: the layer above interprets them.
//
// A line, and an event's data, is bounded (QUALITY.md R13): a server sending one endless line
// or an endless event would otherwise take all memory. Past a bound the parser stops for good,
// gives its buffers back and says which bound was exceeded; the events completed before it
// are still returned.
class SseParser
{
public:
    static constexpr qsizetype maxLineBytes = 1024 * 1024;
    static constexpr qsizetype maxEventBytes = 1024 * 1024;

    enum class Limit
    {
        None,
        Line,  // a line longer than maxLineBytes
        Event, // an event whose data is larger than maxEventBytes
    };

    // Feeds the next bytes of the stream; returns the events they completed, in order.
    QList<SseEvent> feed(QByteArrayView bytes);

    // The bound the stream exceeded; after that, feed() ignores everything.
    Limit exceededLimit() const { return m_exceeded; }

    // The stream ended. An event without its closing blank line is discarded, as the standard
    // says; this tells whether such a half-received event (or line) was pending.
    bool hasIncompleteEvent() const;

    qsizetype bufferedBytes() const { return m_line.size(); }

private:
    void processLine(QByteArrayView line, QList<SseEvent> &out);
    void dispatch(QList<SseEvent> &out);
    void exceed(Limit limit);

    QByteArray m_line;       // bytes of the line being received
    bool m_skipLf = false;   // the previous line ended in CR: a leading LF belongs to it
    bool m_firstLine = true; // a UTF-8 BOM may start the stream
    QString m_type;
    QString m_data;
    qsizetype m_dataBytes = 0; // the UTF-8 size of m_data, for the bound
    bool m_hasData = false;
    bool m_pendingFields = false;
    QString m_lastEventId;
    std::optional<int> m_retryMs;
    Limit m_exceeded = Limit::None;
};

} // namespace Crosstalk
