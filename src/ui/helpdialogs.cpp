// SPDX-License-Identifier: GPL-3.0-or-later
#include "helpdialogs.h"

#include <QAction>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Crosstalk::HelpDialogs {

QDialog *showKeyboardShortcuts(QWidget *window)
{
    auto *dialog = new QDialog(window);
    dialog->setObjectName(u"keyboardShortcuts"_s);
    dialog->setWindowTitle(QDialog::tr("Keyboard Shortcuts"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(dialog);
    auto *list = new QTreeWidget(dialog);
    list->setObjectName(u"shortcutList"_s);
    list->setAccessibleName(QDialog::tr("Keyboard shortcuts"));
    list->setHeaderLabels({QDialog::tr("Command"), QDialog::tr("Shortcut")});
    list->setRootIsDecorated(true);
    list->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    list->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    list->header()->setStretchLastSection(false);
    // The menus, in the order of the menu bar; then the shortcuts that live on the window only.
    const auto addActions = [list](const QString &group, const QList<QAction *> &actions) {
        QTreeWidgetItem *parent = nullptr;
        for (const QAction *action : actions) {
            if (action->shortcuts().isEmpty())
                continue;
            if (!parent) {
                parent = new QTreeWidgetItem(list, {group});
                parent->setFirstColumnSpanned(true);
            }
            QStringList keys;
            for (const QKeySequence &key : action->shortcuts())
                keys << key.toString(QKeySequence::NativeText);
            new QTreeWidgetItem(
                parent, {QString(action->text()).remove(u'&'), keys.join(QDialog::tr(" or "))});
        }
    };
    if (const auto *menuBar = window->findChild<QMenuBar *>()) {
        for (QAction *menuAction : menuBar->actions())
            if (const QMenu *menu = menuAction->menu())
                addActions(QString(menuAction->text()).remove(u'&'), menu->actions());
    }
    addActions(QDialog::tr("Window"), window->actions());
    list->expandAll();
    layout->addWidget(list);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog->resize(520, 560);
    dialog->show();
    return dialog;
}

void openDocumentation()
{
    const QString readme = QStringLiteral(CROSSTALK_DOC_DIR) + u"/README.md"_s;
    QDesktopServices::openUrl(QFileInfo::exists(readme) ? QUrl::fromLocalFile(readme)
                                                        : QUrl(QStringLiteral(CROSSTALK_HOMEPAGE)));
}

} // namespace Crosstalk::HelpDialogs
