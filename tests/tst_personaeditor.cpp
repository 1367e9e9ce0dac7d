// SPDX-License-Identifier: GPL-3.0-or-later
// The persona editors over a real library folder: edit, save, revert, live validation, reload
// after a change on disk, the conflict when there are unsaved edits, new, duplicate, delete.
#include "persona/personalibrary.h"
#include "personaeditor.h"
#include "personapanel.h"

#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>

#include <QApplication>
#include <QFile>
#include <QFileSystemWatcher>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

class TestPersonaEditor : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<PersonaLibrary> m_library;
    std::unique_ptr<PersonaPanel> m_panel;

    QString path(const QString &name) const { return m_library->folder() + u'/' + name; }

    static QByteArray read(const QString &file)
    {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    // Another program writing the file, as editors do: a new file renamed over the old one.
    static void writeElsewhere(const QString &file, const QByteArray &bytes)
    {
        QFile temporary(file + u".tmp"_s);
        QVERIFY(temporary.open(QIODevice::WriteOnly));
        temporary.write(bytes);
        temporary.close();
        QFile::remove(file);
        QVERIFY(QFile::rename(temporary.fileName(), file));
    }

    static bool isDark(const KSyntaxHighlighting::Theme &theme)
    {
        return QColor::fromRgb(
                   theme.editorColor(KSyntaxHighlighting::Theme::EditorColorRole::BackgroundColor))
                   .lightness() < 128;
    }

    int tabOf(PersonaEditor *editor) const { return m_panel->tabs()->indexOf(editor); }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_library = std::make_unique<PersonaLibrary>(
            m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction())));
        QVERIFY(m_library->installBundledIfEmpty());
        m_panel = std::make_unique<PersonaPanel>(m_library.get());
        m_panel->resize(700, 600);
        m_panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    }

    void cleanup()
    {
        m_panel.reset();
        m_library.reset();
    }

    void listsTheLibraryAndOpensTabs()
    {
        QListWidget *files = m_panel->fileList();
        QVERIFY(files->findItems(u"alice.md"_s, Qt::MatchExactly).size() == 1);
        emit files->itemActivated(files->findItems(u"alice.md"_s, Qt::MatchExactly).first());
        QCOMPARE(m_panel->tabs()->count(), 1);
        PersonaEditor *editor = m_panel->currentEditor();
        QCOMPARE(editor->fileName(), u"alice.md"_s);
        QCOMPARE(editor->text().toUtf8(), read(path(u"alice.md"_s)));
        // The same file again shows its tab rather than a second one.
        QCOMPARE(m_panel->open(u"alice.md"_s), editor);
        QCOMPARE(m_panel->tabs()->count(), 1);
        // Highlighted with the persona definition, in the theme of the palette.
        auto *highlighter = editor->findChild<KSyntaxHighlighting::SyntaxHighlighter *>();
        QVERIFY(highlighter);
        QCOMPARE(highlighter->definition().name(), u"Crosstalk Persona"_s);
        QVERIFY(!isDark(highlighter->theme()));
        QPalette dark = editor->palette();
        dark.setColor(QPalette::Base, QColor(0x14, 0x16, 0x18));
        dark.setColor(QPalette::Text, Qt::white);
        editor->setPalette(dark);
        QVERIFY(isDark(highlighter->theme()));
    }

    void editSaveRevertAndUndo()
    {
        PersonaEditor *editor = m_panel->open(u"bob.md"_s);
        const QByteArray original = read(path(u"bob.md"_s));
        QVERIFY(!editor->isDirty());
        QCOMPARE(m_panel->tabs()->tabText(tabOf(editor)), u"bob.md"_s);

        editor->textEdit()->moveCursor(QTextCursor::End);
        QTest::keyClicks(editor->textEdit(), u"Be brief."_s);
        QVERIFY(editor->isDirty());
        QVERIFY(m_panel->tabs()->tabText(tabOf(editor)).endsWith(u"●"_s));
        // Undo takes the typing back.
        editor->textEdit()->undo();
        QCOMPARE(editor->text().toUtf8(), original);
        editor->textEdit()->redo();
        QVERIFY(editor->text().endsWith(u"Be brief."_s));

        // Ctrl+S saves exactly the text shown.
        QTest::keyClick(editor->textEdit(), Qt::Key_S, Qt::ControlModifier);
        QVERIFY(!editor->isDirty());
        QCOMPARE(m_panel->tabs()->tabText(tabOf(editor)), u"bob.md"_s);
        QCOMPARE(read(path(u"bob.md"_s)), original + "Be brief.");

        // Revert drops what was typed since.
        QTest::keyClicks(editor->textEdit(), u" And rude."_s);
        QVERIFY(editor->isDirty());
        QTest::mouseClick(editor->findChild<QPushButton *>(u"revertPersona"_s), Qt::LeftButton);
        QVERIFY(!editor->isDirty());
        QCOMPARE(editor->text().toUtf8(), original + "Be brief.");
    }

    void validatesLiveWithACharacterCount()
    {
        PersonaEditor *editor = m_panel->open(u"alice.md"_s);
        auto *count = editor->findChild<QLabel *>(u"characterCount"_s);
        auto *save = editor->findChild<QPushButton *>(u"savePersona"_s);
        QVERIFY(editor->problems().isEmpty());
        QVERIFY(save->isEnabled());

        editor->textEdit()->setPlainText(u"---\nname: Alice\n---\nHi"_s);
        QCOMPARE(count->text(), u"2 / 50,000 characters"_s);
        QVERIFY(!editor->problems().isEmpty());
        QVERIFY(!save->isEnabled());
        QVERIFY(!editor->save());
        QVERIFY(read(path(u"alice.md"_s)).contains("You are"));

        editor->textEdit()->setPlainText(QString(50001, u'x'));
        QCOMPARE(count->text(), u"50,001 / 50,000 characters"_s);
        QVERIFY(!editor->problems().isEmpty());

        // Code points, not UTF-16 units: an emoji counts once.
        editor->textEdit()->setPlainText(u"Hi 🙂"_s);
        QCOMPARE(count->text(), u"4 / 50,000 characters"_s);
        QVERIFY(editor->problems().isEmpty());

        // An unknown placeholder is a warning, not an error: shown apart, naming the known ones.
        editor->textEdit()->setPlainText(u"You discuss {{topci}}."_s);
        QVERIFY(editor->problems().isEmpty());
        QVERIFY(editor->findChild<QLabel *>(u"personaProblems"_s)->isHidden());
        const QString warning = editor->findChild<QLabel *>(u"personaWarnings"_s)->text();
        QVERIFY2(warning.contains(u"{{topci}}"_s) && warning.contains(u"topic"_s),
                 qPrintable(warning));
        QVERIFY(save->isEnabled());

        // Every problem of a file is listed, not only the first.
        editor->textEdit()->setPlainText(u"---\ncolour: blurple\n---\nHi"_s);
        QVERIFY2(editor->problems().size() >= 2, qPrintable(editor->problems().join(u" | "_s)));
    }

    void invalidUtf8IsReported()
    {
        QFile file(path(u"broken.md"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("You are \xff\xfe broken.\n");
        file.close();
        PersonaEditor *editor = m_panel->open(u"broken.md"_s);
        QVERIFY2(editor->problems().join(u' ').contains(u"UTF-8"_s),
                 qPrintable(editor->problems().join(u' ')));
    }

    void reloadsWhenCleanAndAsksWhenDirty()
    {
        PersonaEditor *editor = m_panel->open(u"judge.md"_s);
        const QString file = path(u"judge.md"_s);

        // No unsaved edits: the new text simply appears.
        writeElsewhere(file, "You are {{name}}, a fair judge.\n");
        QTRY_COMPARE_WITH_TIMEOUT(editor->text(), u"You are {{name}}, a fair judge.\n"_s, 10000);
        QVERIFY(!editor->hasConflict());
        QVERIFY(!editor->isDirty());

        // Unsaved edits: nothing is lost; a bar asks.
        editor->textEdit()->moveCursor(QTextCursor::End);
        QTest::keyClicks(editor->textEdit(), u"Mine."_s);
        writeElsewhere(file, "You are {{name}}, a strict judge.\n");
        QTRY_VERIFY_WITH_TIMEOUT(editor->hasConflict(), 10000);
        QVERIFY(editor->text().endsWith(u"Mine."_s));
        QVERIFY(editor->findChild<QWidget *>(u"conflictBar"_s)->isVisible());

        // Keeping mine and saving replaces theirs.
        QTest::mouseClick(editor->findChild<QPushButton *>(u"conflictKeep"_s), Qt::LeftButton);
        QVERIFY(!editor->hasConflict());
        QVERIFY(editor->save());
        QVERIFY(read(file).endsWith("Mine."));

        // Another change while dirty; this time reload theirs.
        QTest::keyClicks(editor->textEdit(), u" More."_s);
        writeElsewhere(file, "You are {{name}}, a lenient judge.\n");
        QTRY_VERIFY_WITH_TIMEOUT(editor->hasConflict(), 10000);
        QTest::mouseClick(editor->findChild<QPushButton *>(u"conflictReload"_s), Qt::LeftButton);
        QVERIFY(!editor->hasConflict());
        QVERIFY(!editor->isDirty());
        QCOMPARE(editor->text(), u"You are {{name}}, a lenient judge.\n"_s);

        // Our own save is not taken for someone else's change: with new edits on top, a
        // rewrite of the file with the saved bytes, noticed after anything the save caused,
        // raises no conflict.
        auto *watcher = editor->findChild<QFileSystemWatcher *>();
        QVERIFY(watcher);
        QSignalSpy noticed(watcher, &QFileSystemWatcher::fileChanged);
        QTest::keyClicks(editor->textEdit(), u"Ours."_s);
        QVERIFY(editor->save());
        const QByteArray saved = read(file);
        QVERIFY(saved.endsWith("Ours."));
        QTest::keyClicks(editor->textEdit(), u" Unsaved."_s);
        writeElsewhere(file, saved);
        QTRY_VERIFY_WITH_TIMEOUT(!noticed.isEmpty(), 10000);
        QVERIFY(!editor->hasConflict());
        QVERIFY(editor->isDirty());
        QVERIFY(editor->text().endsWith(u"Ours. Unsaved."_s));
    }

    void newDuplicateAndDelete()
    {
        QCOMPARE(m_panel->createPersona(u"critic.md"_s), QString());
        QVERIFY(QFile::exists(path(u"critic.md"_s)));
        PersonaEditor *critic = m_panel->currentEditor();
        QCOMPARE(critic->fileName(), u"critic.md"_s);
        QVERIFY(critic->problems().isEmpty());
        QVERIFY(!m_panel->fileList()->findItems(u"critic.md"_s, Qt::MatchExactly).isEmpty());

        // A duplicate copies what the editor shows, unsaved edits included.
        QTest::keyClicks(critic->textEdit(), u"Sharp. "_s);
        QCOMPARE(m_panel->createPersona(u"critic-copy.md"_s, u"critic.md"_s), QString());
        QVERIFY(read(path(u"critic-copy.md"_s)).contains("Sharp. "));

        // Names that are taken or leave the library are refused, with the reason.
        QTimer::singleShot(0, this, [] {
            if (QWidget *box = QApplication::activeModalWidget())
                box->close();
        });
        QVERIFY(m_panel->createPersona(u"critic.md"_s).contains(u"exists"_s));
        QTimer::singleShot(0, this, [] {
            if (QWidget *box = QApplication::activeModalWidget())
                box->close();
        });
        QVERIFY(m_panel->createPersona(u"../outside.md"_s).contains(u"not a persona file name"_s));
        QVERIFY(!QFile::exists(m_library->folder() + u"/../outside.md"_s));

        QCOMPARE(m_panel->deletePersona(u"critic-copy.md"_s), QString());
        QVERIFY(!QFile::exists(path(u"critic-copy.md"_s)));
        QVERIFY(!m_panel->editor(u"critic-copy.md"_s));
        QVERIFY(m_panel->fileList()->findItems(u"critic-copy.md"_s, Qt::MatchExactly).isEmpty());
    }
};

QTEST_MAIN(TestPersonaEditor)
#include "tst_personaeditor.moc"
