// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/parsed.h"
#include "conversation/sessionoptions.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace Crosstalk {

struct Session;

// Why a session may not spend more: a token or cost cap (PRODUCT.md §3) it has reached while
// rounds remain; empty when it may go on.
QString budgetReached(const Session &session);

// A change to a session's caps, to let a paused session go on: a cap left out stays as it is,
// one given as nullopt is removed.
struct BudgetChange
{
    std::optional<std::optional<qint64>> tokens;
    std::optional<std::optional<double>> cost; // US dollars

    bool isEmpty() const { return !tokens && !cost; }
    void applyTo(SessionOptions &options) const;
    bool operator==(const BudgetChange &) const = default;

    // `{"tokens": N or null, "cost": X or null}`, each key optional; problems name `path`.
    static BudgetChange fromJson(const QJsonObject &object, const QString &path,
                                 QList<FieldError> &errors);
    // A command-line value: a whole number of tokens ≥ 1, or "none".
    static std::optional<std::optional<qint64>> tokensFromText(const QString &text);
    // A command-line value: US dollars ≥ 0, or "none".
    static std::optional<std::optional<double>> costFromText(const QString &text);
};

} // namespace Crosstalk
