// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QListWidget;
class QSplitter;
class QTabWidget;
class QToolButton;

namespace Crosstalk {

class PersonaEditor;
class PersonaLibrary;

// The Personas dock: the library's persona files, and tabs with the ones open for editing.
// New, duplicate and delete work on the library folder; the list follows changes on disk.
class PersonaPanel : public QWidget
{
    Q_OBJECT

public:
    explicit PersonaPanel(PersonaLibrary *library, QWidget *parent = nullptr);

    // Opens a library file in a tab (or shows its tab) and returns the editor; null when the
    // file cannot be read.
    PersonaEditor *open(const QString &fileName);
    PersonaEditor *editor(const QString &fileName) const;
    PersonaEditor *currentEditor() const;
    QTabWidget *tabs() const { return m_tabs; }
    QListWidget *fileList() const { return m_files; }

    // Creates a new persona file from a template (or a copy of `from`) and opens it. Errors
    // are shown and returned; an empty string means success.
    QString createPersona(const QString &fileName, const QString &from = {});
    // Deletes a library file and closes its tab, without asking (the actions ask first).
    QString deletePersona(const QString &fileName);

    // Asks about unsaved edits; false when the user chose to stay.
    bool closeAll();

    void refreshList();

    // The split between the file list and the editors, kept by the window across starts.
    QByteArray splitState() const;
    void restoreSplitState(const QByteArray &state);

private:
    void newPersona();
    void duplicatePersona();
    void confirmDelete();
    bool closeTab(int index);
    void updateTabTitle(PersonaEditor *editor);
    QString askFileName(const QString &title, const QString &suggestion);
    QString selectedFileName() const;

    PersonaLibrary *m_library;
    QListWidget *m_files = nullptr;
    QSplitter *m_splitter = nullptr;
    QTabWidget *m_tabs = nullptr;
};

} // namespace Crosstalk
