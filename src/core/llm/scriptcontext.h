// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

namespace Crosstalk {

// The message kinds a participant can be asked for (PRODUCT.md §1, "Message").
enum class TurnKind
{
    Opening,
    Exchange,
    Verdict
};

QString turnKindName(TurnKind kind);
std::optional<TurnKind> turnKindFromName(QStringView name);

// One message the speaker can see, attributed to whoever said it.
struct ScriptTurn
{
    QString speaker;
    QString text;

    bool operator==(const ScriptTurn &) const = default;
};

// Everything the scripted reply engine needs to answer one request. The demo model fills it
// from the orchestrator's state; the fake LLM server infers it from an HTTP request. Keeping
// it this small is what lets both produce the same replies for the same conversation.
struct ScriptContext
{
    QString speaker; // the participant's (persona's) name
    QString model;   // the model id the request named
    QString topic;
    int round = 0;       // 0-based; round 0 holds the openings
    int totalRounds = 1; // every round, round 0 included
    TurnKind kind = TurnKind::Opening;
    QList<ScriptTurn> visible; // what the speaker can see of the others, oldest first
    QString lastUserText;      // the final user turn verbatim, for the echo rule
    quint64 seed = 0;

    bool operator==(const ScriptContext &) const = default;
};

} // namespace Crosstalk
