// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QString>

namespace Crosstalk {

// One voice in a session. The persona is kept as the text actually used, so a session reads
// the same later even if the persona file it came from changes or disappears.
struct Participant
{
    QString name;
    QString modelAlias;
    QString persona;
    // Where the persona came from (`path:alice.md`, a library file name); empty for inline text.
    QString personaSource;
    QColor colour;

    bool operator==(const Participant &) const = default;
};

} // namespace Crosstalk
