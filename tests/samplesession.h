// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/session.h"

namespace Crosstalk::Samples {

enum class Optionals
{
    Absent,
    Present,
};

// A consistent session with messages of every type, Unicode text (emoji, joined emoji,
// right-to-left scripts) and the optional fields either all set or all left out.
Session session(SessionStatus status, Optionals optionals);

// 2026-11-25T14:03:07.125Z plus an offset, so times carry milliseconds.
QDateTime time(qint64 offsetMs = 0);

} // namespace Crosstalk::Samples
