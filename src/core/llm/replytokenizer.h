// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace Crosstalk {

// Splits text into the pieces a streamed reply is delivered in. A token is a run of white
// space followed by a run of anything else, so joining the tokens gives back the text exactly
// and a character is never cut in half (surrogate pairs stay together). It is deterministic,
// which makes it usable both for streaming and for counting usage.
namespace ReplyTokenizer {

QStringList split(QStringView text);
qsizetype count(QStringView text);

} // namespace ReplyTokenizer
} // namespace Crosstalk
