// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/session.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Crosstalk {

// The wording every export format shares, so that a transcript says the same things whether
// it is read as Markdown, HTML, PDF or plain text. Exports are documents, not UI: they use
// fixed English wording and fixed formats (UTC times, `.` decimals), so the same session
// always exports to the same bytes wherever it is run.
namespace TranscriptLabels {

// "Round 3 of 5": rounds are stored 0-based and shown 1-based.
QString roundTitle(int round, int rounds);

// The participant's name, or "Human" / "Moderator" for the speakers that are none.
QString speaker(const Message &message);
// What kind of turn it is when that is worth saying ("verdict", "summary", "to Ada, Bo"),
// else empty.
QString turnNote(const Message &message, const Session &session);
// The model's label ("big (gpt-4o)", "Demo (offline, scripted)"), empty for human messages;
// "first written by big (gpt-4o)" for an edited reply.
QString model(const Message &message);
// A participant's model as its messages name it, else its alias.
QString participantModel(const Participant &participant, const Session &session);

// "2026-11-25 14:03:07 UTC".
QString dateTime(const QDateTime &time);
// "14:03:07", with the date too when the message is from another day than the session start.
QString messageTime(const Message &message, const Session &session);
// "answer: 42 · confidence 50%" in answer mode, parts left out when absent; else empty.
QString answer(const Message &message);
// "failed: HTTP 503" or "partial" / "partial: connection reset"; "edited 2026-11-25 14:05:00 UTC"
// for an edited message; empty for other complete messages.
QString statusMark(const Message &message);

// Session facts for the header or title block, in order: paradigm, rounds, date, status,
// result, usage.
struct Fact
{
    QString label;
    QString value;
};
QList<Fact> facts(const Session &session);

// The session's title, or the topic's first line when it has none.
QString title(const Session &session);

} // namespace TranscriptLabels
} // namespace Crosstalk
