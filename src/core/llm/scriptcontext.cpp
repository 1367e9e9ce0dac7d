// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/scriptcontext.h"

using namespace Qt::StringLiterals;

namespace Crosstalk {

QString turnKindName(TurnKind kind)
{
    switch (kind) {
    case TurnKind::Opening:
        return u"opening"_s;
    case TurnKind::Exchange:
        return u"exchange"_s;
    case TurnKind::Verdict:
        return u"verdict"_s;
    }
    Q_UNREACHABLE_RETURN(QString());
}

std::optional<TurnKind> turnKindFromName(QStringView name)
{
    for (TurnKind kind : {TurnKind::Opening, TurnKind::Exchange, TurnKind::Verdict}) {
        if (name.compare(turnKindName(kind), Qt::CaseInsensitive) == 0)
            return kind;
    }
    return std::nullopt;
}

} // namespace Crosstalk
