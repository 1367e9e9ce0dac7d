// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/modelregistry.h"
#include "persona/personalibrary.h"
#include "persona/placeholders.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    file.write(bytes);
}

const QByteArray alice = "---\nname: Alice\nmodel: big\n---\nYou are {{name}}, an optimist.\n";

} // namespace

// A library with files inside and outside it, and symlinks between them:
//   ROOT/library/{alice.md, notes.txt, sub/inner.md, bad.md, short.md, long.md, folder.md/,
//                 inside-link.md -> alice.md, out-link.md -> ../outside/secret.md,
//                 out-dir -> ../outside}
//   ROOT/outside/secret.md
//   ROOT/preset/local.md
class TestPersonaLibrary : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_root;
    QString m_library;
    QString m_outside;

private slots:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        m_library = m_root.filePath(u"library"_s);
        m_outside = m_root.filePath(u"outside"_s);
        writeFile(m_library + u"/alice.md"_s, alice);
        writeFile(m_library + u"/notes.txt"_s, "Plain text persona.");
        writeFile(m_library + u"/sub/inner.md"_s, "An inner persona.");
        writeFile(m_library + u"/bad.md"_s, "Bad \x80 byte");
        writeFile(m_library + u"/short.md"_s, "Hi");
        writeFile(m_library + u"/long.md"_s, QByteArray(Persona::maxLength + 1, 'x'));
        QVERIFY(QDir().mkpath(m_library + u"/folder.md"_s));
        writeFile(m_outside + u"/secret.md"_s, "A secret outside the library.");
        writeFile(m_root.filePath(u"preset/local.md"_s), "A persona next to a preset.");
        QVERIFY(QFile::link(m_library + u"/alice.md"_s, m_library + u"/inside-link.md"_s));
        QVERIFY(QFile::link(m_outside + u"/secret.md"_s, m_library + u"/out-link.md"_s));
        QVERIFY(QFile::link(m_outside, m_library + u"/out-dir"_s));
    }

    void listsPersonaFiles()
    {
        const PersonaLibrary library(m_library);
        const QStringList names = library.fileNames();
        for (const QString &name : {u"alice.md"_s, u"notes.txt"_s, u"sub/inner.md"_s}) {
            QVERIFY2(names.contains(name), qPrintable(names.join(u", "_s)));
        }
        QVERIFY(!names.contains(u"folder.md"_s));
        QVERIFY(std::is_sorted(names.cbegin(), names.cend()));
    }

    // QUALITY.md R7: what arrives over REST or MCP stays inside the library.
    void remoteRefusals_data()
    {
        QTest::addColumn<QString>("reference");
        QTest::addColumn<QString>("reason");

        const QString absolute = m_outside + u"/secret.md"_s;
        QTest::newRow("absolute path") << u"path:"_s + absolute << u"is an absolute path"_s;
        QTest::newRow("absolute path into the library")
            << u"path:"_s + m_library + u"/alice.md"_s << u"is an absolute path"_s;
        QTest::newRow("absolute bare name") << absolute << u"is an absolute path"_s;
        QTest::newRow("home folder") << u"path:~/secret.md"_s << u"is an absolute path"_s;
        QTest::newRow("parent component")
            << u"path:../outside/secret.md"_s << u"contains a `..` component"_s;
        QTest::newRow("parent component inside")
            << u"path:sub/../alice.md"_s << u"contains a `..` component"_s;
        QTest::newRow("parent in bare name")
            << u"../outside/secret.md"_s << u"contains a `..` component"_s;
        QTest::newRow("symlink to a file outside")
            << u"path:out-link.md"_s << u"symlink that leads outside the persona library"_s;
        QTest::newRow("symlinked folder outside")
            << u"path:out-dir/secret.md"_s << u"symlink that leads outside the persona library"_s;
        QTest::newRow("not UTF-8") << u"path:bad.md"_s << u"is not UTF-8 text"_s;
        QTest::newRow("too short") << u"path:short.md"_s << u"is too short"_s;
        QTest::newRow("too long") << u"path:long.md"_s << u"is too long"_s;
        QTest::newRow("directory") << u"path:folder.md"_s << u"is a directory"_s;
        QTest::newRow("not found") << u"path:nobody.md"_s << u"not found"_s;
        QTest::newRow("empty path") << u"path:"_s << u"no file name given"_s;
        QTest::newRow("only in the preset folder") << u"path:local.md"_s << u"not found"_s;
    }

    void remoteRefusals()
    {
        QFETCH(QString, reference);
        QFETCH(QString, reason);
        const PersonaLibrary library(m_library);
        const Parsed<Persona> persona =
            library.resolve(reference, PersonaTrust::Remote, m_root.filePath(u"preset"_s));
        QVERIFY(!persona.value);
        QCOMPARE(persona.errors.size(), 1);
        const FieldError &error = persona.errors.constFirst();
        QCOMPARE(error.path, reference);
        QVERIFY2(error.problem.contains(reason), qPrintable(error.toString()));
        // Remote callers learn nothing about where files outside the library are.
        QVERIFY2(!error.problem.contains(m_outside), qPrintable(error.toString()));
    }

    void remoteResolves_data()
    {
        QTest::addColumn<QString>("reference");
        QTest::addColumn<QString>("prompt");
        QTest::addColumn<QString>("source");

        QTest::newRow("path") << u"path:alice.md"_s << u"You are {{name}}, an optimist."_s
                              << u"path:alice.md"_s;
        QTest::newRow("bare file name")
            << u"notes.txt"_s << u"Plain text persona."_s << u"notes.txt"_s;
        QTest::newRow("alias") << u"alice"_s << u"You are {{name}}, an optimist."_s
                               << u"alice.md"_s;
        QTest::newRow("subfolder")
            << u"path:sub/inner.md"_s << u"An inner persona."_s << u"path:sub/inner.md"_s;
        QTest::newRow("symlink inside")
            << u"path:inside-link.md"_s << u"You are {{name}}, an optimist."_s
            << u"path:inside-link.md"_s;
        QTest::newRow("inline text") << u"You are terse."_s << u"You are terse."_s << QString();
        QTest::newRow("inline path-like text") << u"/etc/passwd"_s << u"/etc/passwd"_s << QString();
    }

    void remoteResolves()
    {
        QFETCH(QString, reference);
        QFETCH(QString, prompt);
        QFETCH(QString, source);
        const PersonaLibrary library(m_library);
        const Parsed<Persona> persona = library.resolve(reference, PersonaTrust::Remote);
        QVERIFY2(persona.value, qPrintable(persona.errors.value(0).toString()));
        QCOMPARE(persona.value->prompt, prompt);
        QCOMPARE(persona.value->source, source);
    }

    void localResolves_data()
    {
        QTest::addColumn<QString>("reference");
        QTest::addColumn<QString>("prompt");

        QTest::newRow("relative to the base folder")
            << u"path:local.md"_s << u"A persona next to a preset."_s;
        QTest::newRow("bare name in the base folder")
            << u"local.md"_s << u"A persona next to a preset."_s;
        QTest::newRow("parent folder")
            << u"path:../outside/secret.md"_s << u"A secret outside the library."_s;
        QTest::newRow("absolute") << u"path:"_s + m_outside + u"/secret.md"_s
                                  << u"A secret outside the library."_s;
        QTest::newRow("library fallback") << u"path:sub/inner.md"_s << u"An inner persona."_s;
        QTest::newRow("symlink leaving the library")
            << u"path:out-link.md"_s << u"A secret outside the library."_s;
    }

    void localResolves()
    {
        QFETCH(QString, reference);
        QFETCH(QString, prompt);
        const PersonaLibrary library(m_library);
        const Parsed<Persona> persona =
            library.resolve(reference, PersonaTrust::Local, m_root.filePath(u"preset"_s));
        QVERIFY2(persona.value, qPrintable(persona.errors.value(0).toString()));
        QCOMPARE(persona.value->prompt, prompt);
        QCOMPARE(persona.value->source, reference);
        QVERIFY(QFileInfo(persona.value->filePath).isAbsolute());
    }

    void localRefusalsNameFileAndReason_data()
    {
        QTest::addColumn<QString>("reference");
        QTest::addColumn<QString>("reason");
        QTest::newRow("missing") << u"path:missing.md"_s
                                 << u"file not found: "_s + m_root.filePath(u"preset/missing.md"_s);
        QTest::newRow("missing bare name") << u"missing.md"_s << u"file not found"_s;
        QTest::newRow("directory")
            << u"path:"_s + m_library + u"/folder.md"_s << u"is a directory"_s;
        QTest::newRow("not UTF-8") << u"path:"_s + m_library + u"/bad.md"_s << u"byte offset 4"_s;
        QTest::newRow("inline too short") << u"Hi"_s << u"is too short"_s;
    }

    void localRefusalsNameFileAndReason()
    {
        QFETCH(QString, reference);
        QFETCH(QString, reason);
        const PersonaLibrary library(m_library);
        const Parsed<Persona> persona =
            library.resolve(reference, PersonaTrust::Local, m_root.filePath(u"preset"_s));
        QVERIFY(!persona.value);
        const QString message = persona.errors.value(0).toString();
        QVERIFY2(message.contains(reason), qPrintable(message));
    }

    void slotPersonaFromEnvironment()
    {
        const PersonaLibrary library(m_library);
        const Parsed<Persona> file = library.resolveSlotPersona(
            u"big"_s, SlotPersona{QString(), m_outside + u"/secret.md"_s});
        QVERIFY(file.value);
        QCOMPARE(file.value->prompt, u"A secret outside the library."_s);
        QCOMPARE(file.value->source, u"path:"_s + m_outside + u"/secret.md"_s);

        const Parsed<Persona> text =
            library.resolveSlotPersona(u"small"_s, SlotPersona{u"Be concise."_s, QString()});
        QVERIFY(text.value);
        QCOMPARE(text.value->prompt, u"Be concise."_s);

        const Parsed<Persona> bad = library.resolveSlotPersona(
            u"middle"_s, SlotPersona{QString(), m_library + u"/short.md"_s});
        QVERIFY(!bad.value);
        const QString message = bad.errors.value(0).toString();
        QVERIFY2(message.startsWith(u"MIDDLE_SYSTEM_PROMPT_FILE ("_s), qPrintable(message));
        QVERIFY2(message.contains(u"too short"_s), qPrintable(message));
    }

    void installsBundledPersonasIntoAnEmptyLibrary()
    {
        QTemporaryDir folder;
        PersonaLibrary library(folder.filePath(u"personas"_s));
        QVERIFY(library.fileNames().isEmpty());

        const Parsed<QStringList> installed = library.installBundledIfEmpty();
        QVERIFY2(installed.value, qPrintable(installed.errors.value(0).toString()));
        QCOMPARE(*installed.value, PersonaLibrary::bundledFileNames());
        QCOMPARE(library.fileNames(), PersonaLibrary::bundledFileNames());
        for (const QString &name :
             {u"alice.md"_s, u"bob.md"_s, u"sceptic.md"_s, u"expert.md"_s, u"judge.md"_s,
              u"teacher.md"_s, u"examples/prompts/alice.txt"_s, u"examples/prompts/bob.txt"_s}) {
            QVERIFY2(installed.value->contains(name), qPrintable(name));
            const Parsed<Persona> persona = library.read(name);
            QVERIFY2(persona.value, qPrintable(persona.errors.value(0).toString()));
            QVERIFY(persona.value->warnings.isEmpty());
            QVERIFY2(findUnknownPlaceholders(persona.value->prompt).isEmpty(), qPrintable(name));
            if (name.endsWith(u".md"_s)) {
                QVERIFY2(!persona.value->name.isEmpty() && persona.value->colour.isValid() &&
                             !persona.value->description.isEmpty(),
                         qPrintable(name));
                QVERIFY2(persona.value->prompt.contains(u"{{topic}}"_s), qPrintable(name));
            }
            // Installed copies are the user's to edit.
            QVERIFY(QFileInfo(library.folder() + u'/' + name).isWritable());
        }
        // The old tool's documented curl example names these files over REST.
        QVERIFY(library.resolve(u"path:examples/prompts/alice.txt"_s, PersonaTrust::Remote).value);

        const Parsed<QStringList> again = library.installBundledIfEmpty();
        QVERIFY(again.value && again.value->isEmpty());
    }

    void neverOverwritesUserFiles()
    {
        QTemporaryDir folder;
        writeFile(folder.filePath(u"alice.md"_s), "My own Alice.");
        PersonaLibrary library(folder.path());
        const Parsed<QStringList> installed = library.installBundledIfEmpty();
        QVERIFY(installed.value && installed.value->isEmpty());
        QCOMPARE(library.fileNames(), QStringList{u"alice.md"_s});
        QCOMPARE(library.read(u"alice.md"_s).value->prompt, u"My own Alice."_s);
    }

    void savesAtomicallyAndReadsBack()
    {
        QTemporaryDir folder;
        PersonaLibrary library(folder.filePath(u"personas"_s));
        Persona persona;
        persona.name = u"Quinn"_s;
        persona.colour = QColor(u"#118ab2"_s);
        persona.description = u"A note-taker"_s;
        persona.prompt = u"You are {{name}}. Summarise what {{participants}} said."_s;
        QCOMPARE(library.save(u"team/quinn.md"_s, persona), std::nullopt);
        const Parsed<Persona> back = library.read(u"team/quinn.md"_s);
        QVERIFY(back.value);
        QCOMPARE(back.value->name, persona.name);
        QCOMPARE(back.value->colour, persona.colour);
        QCOMPARE(back.value->prompt, persona.prompt);
        QCOMPARE(QDir(library.folder() + u"/team"_s).entryList(QDir::Files),
                 QStringList{u"quinn.md"_s});
    }

    void saveRefusals_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QString>("prompt");
        QTest::addColumn<QString>("reason");
        QTest::newRow("parent") << u"../x.md"_s << u"Fine text"_s
                                << u"inside the persona library"_s;
        QTest::newRow("absolute") << u"/tmp/x.md"_s << u"Fine text"_s
                                  << u"inside the persona library"_s;
        QTest::newRow("extension") << u"x.json"_s << u"Fine text"_s << u".md or .txt"_s;
        QTest::newRow("too short") << u"x.md"_s << u"Hi"_s << u"too short"_s;
    }

    void saveRefusals()
    {
        QFETCH(QString, fileName);
        QFETCH(QString, prompt);
        QFETCH(QString, reason);
        QTemporaryDir folder;
        PersonaLibrary library(folder.path());
        Persona persona;
        persona.prompt = prompt;
        const std::optional<FieldError> error = library.save(fileName, persona);
        QVERIFY(error);
        QCOMPARE(error->path, fileName);
        QVERIFY2(error->problem.contains(reason), qPrintable(error->toString()));
        QVERIFY(library.fileNames().isEmpty());
    }

    void notifiesChangesOnDisk()
    {
        QTemporaryDir folder;
        writeFile(folder.filePath(u"alice.md"_s), alice);
        PersonaLibrary library(folder.path());
        QSignalSpy spy(&library, &PersonaLibrary::personaChanged);
        const auto seen = [&spy](const QString &name) {
            for (const QList<QVariant> &arguments : spy) {
                if (arguments.value(0).toString() == name) {
                    return true;
                }
            }
            return false;
        };

        writeFile(folder.filePath(u"bob.md"_s), "A new persona file.");
        QTRY_VERIFY(seen(u"bob.md"_s));

        spy.clear();
        writeFile(folder.filePath(u"alice.md"_s), "Alice, edited elsewhere.");
        QTRY_VERIFY(seen(u"alice.md"_s));
        QCOMPARE(library.read(u"alice.md"_s).value->prompt, u"Alice, edited elsewhere."_s);

        spy.clear();
        writeFile(folder.filePath(u"deeper/carol.md"_s), "A persona in a new folder.");
        QTRY_VERIFY(seen(u"deeper/carol.md"_s));

        spy.clear();
        QVERIFY(QFile::remove(folder.filePath(u"bob.md"_s)));
        QTRY_VERIFY(seen(u"bob.md"_s));
        QVERIFY(!seen(u"alice.md"_s));
    }
};

QTEST_GUILESS_MAIN(TestPersonaLibrary)
#include "tst_personalibrary.moc"
