// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMessageBox>

#include <optional>

namespace Crosstalk::PlainTextBox {

// QMessageBox's static functions show text that looks like HTML as rich text, so a session
// title or a provider's message could restyle the box or load files (`<img src=…>`). These
// show every text exactly as written.
QMessageBox::StandardButton question(QWidget *parent, const QString &title, const QString &text,
                                     QMessageBox::StandardButtons buttons,
                                     QMessageBox::StandardButton defaultButton);
void information(QWidget *parent, const QString &title, const QString &text);
void warning(QWidget *parent, const QString &title, const QString &text);

// Asks for one line of text, in a dialog wide enough for its whole title (QInputDialog's
// static function sizes it to the field and window managers cut the title); nullopt when
// cancelled.
std::optional<QString> askText(QWidget *parent, const QString &title, const QString &label,
                               const QString &text);

} // namespace Crosstalk::PlainTextBox
