// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/modelref.h"

using namespace Qt::StringLiterals;

namespace Crosstalk {

QString ModelRef::label() const
{
    if (kind == ModelKind::Demo) {
        return u"Demo (offline, scripted)"_s;
    }
    if (modelId.isEmpty() || modelId == alias) {
        return alias;
    }
    return alias + u" ("_s + modelId + u')';
}

} // namespace Crosstalk
