// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

class QDockWidget;
class QLabel;

namespace Crosstalk {

// The main window: the session list on the left, the transcript in the centre and the
// persona editors on the right. Panels are dock widgets so people can rearrange them; the
// arrangement and the window geometry are restored at the next start.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createPanels();
    void createMenus();
    void restoreLayout();
    void saveLayout() const;
    void showAbout();

    QDockWidget *m_sessionsDock = nullptr;
    QDockWidget *m_personasDock = nullptr;
};

} // namespace Crosstalk
