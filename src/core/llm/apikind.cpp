// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/apikind.h"

using namespace Qt::StringLiterals;

namespace Crosstalk {

QString modelLabel(ApiKind kind, const QString &alias, const QString &modelId)
{
    if (kind == ApiKind::Demo)
        return QString::fromUtf8(demoModelLabel);
    if (modelId.isEmpty() || modelId == alias)
        return alias;
    return u"%1 (%2)"_s.arg(alias, modelId);
}

} // namespace Crosstalk
