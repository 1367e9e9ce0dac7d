// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/session.h"

#include <QString>

#include <optional>

namespace Crosstalk {

// Answer mode (PRODUCT.md §2): participants end with "The answer is …"; the answers, not the
// models' say-so, give each participant's confidence and the session's result, as in the
// Exchange-of-Thought paper.
namespace Answers {

// The instruction added to every request in answer mode.
QString instruction();

// The answer in a message: the text after the last case-insensitive "the answer is" to the end
// of that line, without Markdown emphasis or code marks and trailing punctuation, whitespace
// collapsed, numbers normalised (1,234.0 → 1234). None when the message states no answer.
std::optional<QString> extract(const QString &content);

// Answers compare case-insensitively.
QString key(const QString &answer);

// A participant's confidence after its answers so far: how often it gave its most frequent
// answer, over how many answers it gave. Defined from the second answer on.
std::optional<double> confidence(const QStringList &answersSoFar);

// The majority of the participants' latest answers, with its votes; a tie goes to the answer
// given earliest. None when nobody answered.
std::optional<Result> majority(const Session &session);

// Whether every participant that answered in `round` gave the same answer (and one did).
bool unanimous(const Session &session, int round);

} // namespace Answers
} // namespace Crosstalk
