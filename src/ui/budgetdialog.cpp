// SPDX-License-Identifier: GPL-3.0-or-later
#include "budgetdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Crosstalk {

BudgetDialog::BudgetDialog(const Session &session, Purpose purpose, QWidget *parent)
    : QDialog(parent)
    , m_was(session.options)
    , m_session(session)
    , m_purpose(purpose)
{
    setObjectName(u"budgetDialog"_s);
    setWindowTitle(tr("Change Budget"));
    auto *layout = new QVBoxLayout(this);

    const QString reached = budgetReached(session);
    auto *intro = new QLabel(this);
    intro->setTextFormat(Qt::PlainText);
    intro->setWordWrap(true);
    const Usage &usage = session.usage;
    const QString used =
        tr("So far “%1” has used %2 tokens, costing $%3.")
            .arg(session.title, QLocale().toString(usage.tokensIn + usage.tokensOut))
            .arg(usage.cost, 0, 'f', 2);
    intro->setText(reached.isEmpty() ? used
                                     : reached + u' ' + used + u' ' +
                                           tr("Raise or remove the cap for the session to go on."));
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    m_limitTokens = new QCheckBox(tr("Pause after &tokens:"), this);
    m_tokens = new QSpinBox(this);
    m_tokens->setObjectName(u"budgetTokens"_s);
    m_tokens->setAccessibleName(tr("Token cap"));
    m_tokens->setRange(1, 2'000'000'000);
    m_tokens->setSingleStep(10'000);
    m_tokens->setGroupSeparatorShown(true);
    m_limitTokens->setChecked(m_was.budgetTokens.has_value());
    m_tokens->setValue(int(std::min<qint64>(m_was.budgetTokens.value_or(100'000), 2'000'000'000)));
    form->addRow(m_limitTokens, m_tokens);
    m_limitCost = new QCheckBox(tr("Pause after &cost:"), this);
    m_cost = new QDoubleSpinBox(this);
    m_cost->setObjectName(u"budgetCost"_s);
    m_cost->setAccessibleName(tr("Cost cap in US dollars"));
    m_cost->setRange(0, 1'000'000);
    m_cost->setDecimals(2);
    m_cost->setPrefix(u"$"_s);
    m_limitCost->setChecked(m_was.budgetCost.has_value());
    m_cost->setValue(m_was.budgetCost.value_or(1.0));
    form->addRow(m_limitCost, m_cost);
    layout->addLayout(form);

    m_stillReached = new QLabel(this);
    m_stillReached->setObjectName(u"stillReached"_s);
    m_stillReached->setTextFormat(Qt::PlainText);
    m_stillReached->setWordWrap(true);
    layout->addWidget(m_stillReached);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)
        ->setText(purpose == Purpose::Resume ? tr("Set and &Resume") : tr("&Set Budget"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);

    for (QCheckBox *box : {m_limitTokens, m_limitCost})
        connect(box, &QCheckBox::toggled, this, &BudgetDialog::update);
    connect(m_tokens, &QSpinBox::valueChanged, this, &BudgetDialog::update);
    connect(m_cost, &QDoubleSpinBox::valueChanged, this, &BudgetDialog::update);
    update();
    setMinimumWidth(460);
}

BudgetChange BudgetDialog::change() const
{
    BudgetChange change;
    const std::optional<qint64> tokens =
        m_limitTokens->isChecked() ? std::optional<qint64>(m_tokens->value()) : std::nullopt;
    const std::optional<double> cost =
        m_limitCost->isChecked() ? std::optional(m_cost->value()) : std::nullopt;
    if (tokens != m_was.budgetTokens)
        change.tokens = tokens;
    if (cost != m_was.budgetCost)
        change.cost = cost;
    return change;
}

void BudgetDialog::update()
{
    m_tokens->setEnabled(m_limitTokens->isChecked());
    m_cost->setEnabled(m_limitCost->isChecked());
    Session after = m_session;
    change().applyTo(after.options);
    const QString reached = budgetReached(after);
    m_stillReached->setText(
        reached.isEmpty()
            ? QString()
            : tr("Still reached: the session would pause again at once. Raise the cap above "
                 "what was used, or remove it."));
    m_stillReached->setVisible(!reached.isEmpty());
    adjustSize(); // no gap where the note was
    m_buttons->button(QDialogButtonBox::Ok)
        ->setEnabled(!change().isEmpty() && (m_purpose == Purpose::Change || reached.isEmpty()));
}

bool BudgetDialog::acceptUnpriced(QWidget *parent, const QStringList &models)
{
    QMessageBox box(QMessageBox::Warning, tr("Cost Cap"),
                    tr("No price is known for %1, so the cost cap counts nothing for it: the "
                       "session may cost more than the cap. Set its prices in Settings → Models "
                       "for the cap to count it.",
                       nullptr, int(models.size()))
                        .arg(models.join(u", "_s)),
                    QMessageBox::Cancel, parent);
    box.setObjectName(u"unpricedCostCapWarning"_s);
    box.setTextFormat(Qt::PlainText);
    QPushButton *keep = box.addButton(tr("&Keep the Cap Anyway"), QMessageBox::AcceptRole);
    box.setDefaultButton(qobject_cast<QPushButton *>(box.button(QMessageBox::Cancel)));
    box.exec();
    return box.clickedButton() == keep;
}

} // namespace Crosstalk
