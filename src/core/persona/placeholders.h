// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace Crosstalk {

// What the placeholders of a persona stand for in one request.
struct PlaceholderValues
{
    QString name;
    QString topic;
    // Every participant's name, in session order; `{{participants}}` joins them with ", ".
    QStringList participants;
    // The paradigm's wire name (`debate`).
    QString paradigm;
    // 0-based, as Message::round stores it; `{{round}}` shows it 1-based, as people count.
    int roundIndex = 0;
};

// The placeholder names a persona may use: name, topic, participants, paradigm, round.
const QStringList &knownPlaceholders();

// Replaces `{{name}}`, `{{topic}}`, `{{participants}}`, `{{paradigm}}` and `{{round}}` (white
// space inside the braces allowed: `{{ topic }}`). Unknown placeholders stay as written, and
// the values are inserted verbatim: a topic that contains `{{name}}` is not filled again.
QString fillPlaceholders(const QString &text, const PlaceholderValues &values);

// The distinct unknown placeholder names in a text, in order of first use, for the editor's
// warnings (a misspelt `{{topci}}` would otherwise reach the model as written).
QStringList findUnknownPlaceholders(const QString &text);

} // namespace Crosstalk
