// SPDX-License-Identifier: GPL-3.0-or-later
#include "plaintextbox.h"

#include <QInputDialog>
#include <QLineEdit>

namespace Crosstalk::PlainTextBox {

namespace {

QMessageBox::StandardButton show(QMessageBox::Icon icon, QWidget *parent, const QString &title,
                                 const QString &text, QMessageBox::StandardButtons buttons,
                                 QMessageBox::StandardButton defaultButton)
{
    QMessageBox box(icon, title, text, buttons, parent);
    box.setTextFormat(Qt::PlainText);
    box.setDefaultButton(defaultButton);
    return QMessageBox::StandardButton(box.exec());
}

} // namespace

QMessageBox::StandardButton question(QWidget *parent, const QString &title, const QString &text,
                                     QMessageBox::StandardButtons buttons,
                                     QMessageBox::StandardButton defaultButton)
{
    return show(QMessageBox::Question, parent, title, text, buttons, defaultButton);
}

void information(QWidget *parent, const QString &title, const QString &text)
{
    show(QMessageBox::Information, parent, title, text, QMessageBox::Ok, QMessageBox::Ok);
}

void warning(QWidget *parent, const QString &title, const QString &text)
{
    show(QMessageBox::Warning, parent, title, text, QMessageBox::Ok, QMessageBox::Ok);
}

std::optional<QString> askText(QWidget *parent, const QString &title, const QString &label,
                               const QString &text)
{
    QInputDialog dialog(parent);
    dialog.setWindowTitle(title);
    dialog.setLabelText(label);
    dialog.setTextValue(text);
    // The title bar holds the title, its icon and three buttons. QInputDialog's layout sets
    // its minimum size, so the field is what is made wide enough.
    if (auto *field = dialog.findChild<QLineEdit *>())
        field->setMinimumWidth(
            std::max(340, dialog.fontMetrics().horizontalAdvance(title) * 3 / 2 + 120));
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.textValue();
}

} // namespace Crosstalk::PlainTextBox
