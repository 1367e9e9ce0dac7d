// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/budget.h"
#include "conversation/session.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace Crosstalk {

// Changes a session's token and cost caps (Session → Change Budget…, and Resume on a session a
// cap paused): what it used so far, each cap on or off with its value. To resume, OK stays off
// while a cap would still be reached.
class BudgetDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Purpose
    {
        Change,
        Resume,
    };

    BudgetDialog(const Session &session, Purpose purpose, QWidget *parent = nullptr);
    BudgetChange change() const;

    // Warns that a cost cap cannot count `models` (no price is known for them); true when the
    // user accepts the cap anyway.
    static bool acceptUnpriced(QWidget *parent, const QStringList &models);

private:
    void update();

    const SessionOptions m_was;
    const Session m_session; // a copy: events may change the shown one meanwhile
    const Purpose m_purpose;
    QCheckBox *m_limitTokens;
    QSpinBox *m_tokens;
    QCheckBox *m_limitCost;
    QDoubleSpinBox *m_cost;
    QLabel *m_stillReached;
    QDialogButtonBox *m_buttons;
};

} // namespace Crosstalk
