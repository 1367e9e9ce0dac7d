// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QFileSystemWatcher>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace KSyntaxHighlighting {
class SyntaxHighlighter;
}

namespace Crosstalk {

// One persona file open for editing: the text with persona highlighting (front matter,
// Markdown, {{placeholders}}) in the palette's light or dark theme, live validation with a
// character count, save and revert. When the file changes on disk it reloads silently if there
// are no unsaved edits, and otherwise asks in a bar above the text whether to reload.
class PersonaEditor : public QWidget
{
    Q_OBJECT

public:
    // `fileName` is relative to `libraryFolder`.
    PersonaEditor(const QString &libraryFolder, const QString &fileName, QWidget *parent = nullptr);

    QString fileName() const { return m_fileName; }
    QString filePath() const { return m_path; }
    QString text() const;
    bool isDirty() const;
    // The problems that stop saving, one per line; empty when the text is a valid persona.
    QStringList problems() const { return m_problems; }
    // Whether the bar asking about a change on disk is shown.
    bool hasConflict() const;
    QPlainTextEdit *textEdit() const { return m_edit; }

    // Reads the file again, dropping unsaved edits. Returns false (and shows why) on failure.
    bool reload();
    // Writes the text as it is (atomically). Returns false and shows why when it is not a
    // valid persona or cannot be written.
    bool save();

Q_SIGNALS:
    void dirtyChanged(bool dirty);
    // After a successful save; the library's list may have to show a new file.
    void saved(const QString &fileName);

protected:
    void changeEvent(QEvent *event) override;
    // Ctrl+Tab and Ctrl+Shift+Tab leave the text, where Tab types a tab.
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void applyTheme();
    void validate();
    void onFileChanged();
    void showConflict(const QString &message);
    void hideConflict();

    QString m_folder;
    QString m_fileName;
    QString m_path;
    // The bytes last read from or written to the file: a change notification whose bytes
    // equal these is our own save, not someone else's edit.
    QByteArray m_diskBytes;
    QStringList m_problems;
    QFileSystemWatcher *m_watcher = new QFileSystemWatcher(this);

    QWidget *m_conflictBar = nullptr;
    QLabel *m_conflictText = nullptr;
    QPlainTextEdit *m_edit = nullptr;
    KSyntaxHighlighting::SyntaxHighlighter *m_highlighter = nullptr;
    QLabel *m_count = nullptr;
    QLabel *m_warnings = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_saveButton = nullptr;
    QPushButton *m_revertButton = nullptr;
};

} // namespace Crosstalk
