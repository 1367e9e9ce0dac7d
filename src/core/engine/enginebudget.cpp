// SPDX-License-Identifier: GPL-3.0-or-later
// Engine: budget caps and the prices they count (PRODUCT.md §3).
#include "engine/engine.h"

#include "engine/sessionrun.h"

using namespace Qt::StringLiterals;

namespace Crosstalk {

QStringList Engine::unpricedModels(const Session &session) const
{
    if (!session.options.budgetCost)
        return {};
    QStringList aliases;
    for (const Participant &participant : session.participants)
        aliases << participant.modelAlias;
    aliases << session.options.summariserModel << session.options.moderatorModel;
    QStringList unpriced;
    for (const QString &alias : std::as_const(aliases)) {
        const std::optional<ModelConfig> model = m_registry.model(alias);
        if (!model || model->isPriced())
            continue;
        const QString name =
            tr("%1 (model %2 at %3)").arg(model->alias, model->modelId, model->baseUrl.host());
        if (!unpriced.contains(name))
            unpriced << name;
    }
    return unpriced;
}

QString Engine::costCapRefusal(const QStringList &models)
{
    return tr("a cost cap cannot count %1: no price is known for it. Set its prices in "
              "Settings, or leave the cost cap out.",
              nullptr, int(models.size()))
        .arg(models.join(u", "_s));
}

std::optional<Error> Engine::setBudget(const QUuid &sessionId, const BudgetChange &change,
                                       UnpricedModels unpriced)
{
    SessionRun *r = nullptr;
    if (auto error = whyNotIdle(sessionId, &r))
        return error;
    QList<FieldError> problems;
    if (change.tokens && *change.tokens && **change.tokens < 1)
        problems.append({u"budget.tokens"_s, u"must be a whole number ≥ 1, or null"_s});
    if (change.cost && *change.cost && !(**change.cost >= 0))
        problems.append({u"budget.cost"_s, u"must be a number ≥ 0, or null"_s});
    Session changed = r->session();
    change.applyTo(changed.options);
    if (const QStringList models = unpricedModels(changed);
        !models.isEmpty() && unpriced == UnpricedModels::Refuse && change.cost)
        problems.append({u"budget.cost"_s, costCapRefusal(models)});
    if (!problems.isEmpty())
        return Error::invalidInput(problems);
    r->setOptions(changed.options);
    return std::nullopt;
}

} // namespace Crosstalk
