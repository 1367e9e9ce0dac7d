// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtTypes>

namespace Crosstalk {

// Tokens and cost of one message, or totals of a session.
struct Usage
{
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    // True when a server reported no usage and the numbers were estimated from the text.
    bool estimated = false;
    // In US dollars, from the model's configured prices; 0 when no price is configured.
    double cost = 0.0;

    bool operator==(const Usage &) const = default;
};

} // namespace Crosstalk
