// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QDialog;
class QWidget;

namespace Crosstalk::HelpDialogs {

// Help → Keyboard Shortcuts: every action of `window` that has a shortcut, by menu, in a
// non-modal dialog (returned, deleted on close).
QDialog *showKeyboardShortcuts(QWidget *window);

// Help → Documentation: the guides installed with Crosstalk (README and docs/ in its
// documentation folder), else the project's site.
void openDocumentation();

} // namespace Crosstalk::HelpDialogs
