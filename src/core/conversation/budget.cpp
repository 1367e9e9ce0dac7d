// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/budget.h"

#include "common/jsonfields.h"
#include "conversation/session.h"
#include "conversation/turnplan.h"

#include <QCoreApplication>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace Crosstalk {

QString budgetReached(const Session &session)
{
    if (TurnPlan::currentRound(session) >= session.rounds)
        return {}; // nothing left to spend on
    const SessionOptions &options = session.options;
    const Usage &usage = session.usage;
    if (options.budgetTokens && usage.tokensIn + usage.tokensOut >= *options.budgetTokens)
        return QCoreApplication::translate("Crosstalk", "The token budget of %1 is reached.")
            .arg(*options.budgetTokens);
    if (options.budgetCost && usage.cost >= *options.budgetCost)
        return QCoreApplication::translate("Crosstalk", "The cost budget of $%1 is reached.")
            .arg(*options.budgetCost, 0, 'f', 2);
    return {};
}

void BudgetChange::applyTo(SessionOptions &options) const
{
    if (tokens)
        options.budgetTokens = *tokens;
    if (cost)
        options.budgetCost = *cost;
}

BudgetChange BudgetChange::fromJson(const QJsonObject &object, const QString &path,
                                    QList<FieldError> &errors)
{
    JsonFields fields(object, path, errors);
    BudgetChange change;
    // Presence::Nullable reads an absent key and a null alike: absent keeps the cap.
    if (object.contains(u"tokens"_s))
        change.tokens =
            fields.integer("tokens"_L1, 1, std::numeric_limits<qint64>::max(), Presence::Nullable);
    if (object.contains(u"cost"_s))
        change.cost =
            fields.number("cost"_L1, 0.0, std::numeric_limits<double>::max(), Presence::Nullable);
    fields.rejectUnknownKeys();
    return change;
}

std::optional<std::optional<qint64>> BudgetChange::tokensFromText(const QString &text)
{
    if (text == u"none"_s)
        return std::optional<qint64>();
    bool ok = false;
    const qint64 tokens = text.toLongLong(&ok);
    if (!ok || tokens < 1)
        return std::nullopt;
    return std::optional(tokens);
}

std::optional<std::optional<double>> BudgetChange::costFromText(const QString &text)
{
    if (text == u"none"_s)
        return std::optional<double>();
    bool ok = false;
    const double cost = text.toDouble(&ok);
    if (!ok || !std::isfinite(cost) || cost < 0)
        return std::nullopt;
    return std::optional(cost);
}

} // namespace Crosstalk
