// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cmath>
#include <functional>

namespace Crosstalk {

// Turns a progress fraction (0 to 1, as SessionStore::open reports a schema update) into whole
// steps of `step` percent, each reported once: for a terminal or a log, where every fraction
// would be noise.
inline std::function<void(double done)> progressInSteps(int step,
                                                        std::function<void(int percent)> report)
{
    return [step, report = std::move(report), last = -1](double done) mutable {
        const int percent = int(std::floor(done * 100 / step)) * step;
        if (percent > last) {
            last = percent;
            report(percent);
        }
    };
}

} // namespace Crosstalk
