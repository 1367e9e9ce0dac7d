// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/sampling.h"

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
    Sampling sampling;

    // Distinct colours, readable on light and dark backgrounds, for participants given none.
    static QColor defaultColour(qsizetype index)
    {
        static const char *const palette[] = {"#3daee9", "#e67e22", "#27ae60", "#9b59b6",
                                              "#e74c3c", "#16a085", "#c9a227", "#7f8c8d"};
        return QColor::fromString(QLatin1StringView(palette[index % 8]));
    }

    bool operator==(const Participant &) const = default;
};

} // namespace Crosstalk
