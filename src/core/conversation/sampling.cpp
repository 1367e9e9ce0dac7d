// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/sampling.h"

#include <QStringList>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Crosstalk {

std::optional<Sampling> Sampling::fromText(const QString &text, QString *problem)
{
    Sampling sampling;
    const QStringList pairs = text.split(u',', Qt::SkipEmptyParts);
    if (pairs.isEmpty()) {
        *problem = u"give temperature=T, top_p=P or max_tokens=N, joined by commas"_s;
        return std::nullopt;
    }
    for (const QString &pair : pairs) {
        const qsizetype equals = pair.indexOf(u'=');
        const QString key = pair.left(equals).trimmed();
        const QString value = equals < 0 ? QString() : pair.mid(equals + 1).trimmed();
        bool ok = false;
        if (key == u"temperature"_s) {
            const double number = value.toDouble(&ok);
            if (!ok || !std::isfinite(number) || number < 0 || number > maxTemperature) {
                *problem = u"temperature must be a number from 0 to 2, not '%1'"_s.arg(value);
                return std::nullopt;
            }
            sampling.temperature = number;
        } else if (key == u"top_p"_s) {
            const double number = value.toDouble(&ok);
            if (!ok || !std::isfinite(number) || number < 0 || number > 1) {
                *problem = u"top_p must be a number from 0 to 1, not '%1'"_s.arg(value);
                return std::nullopt;
            }
            sampling.topP = number;
        } else if (key == u"max_tokens"_s) {
            const int number = value.toInt(&ok);
            if (!ok || number < 1 || number > maxMaxTokens) {
                *problem = u"max_tokens must be a whole number from 1 to %1, not '%2'"_s.arg(
                    QString::number(maxMaxTokens), value);
                return std::nullopt;
            }
            sampling.maxTokens = number;
        } else {
            *problem = u"'%1' is not temperature, top_p or max_tokens"_s.arg(key);
            return std::nullopt;
        }
    }
    return sampling;
}

} // namespace Crosstalk
