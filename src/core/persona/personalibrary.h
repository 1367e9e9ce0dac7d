// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/parsed.h"
#include "persona/persona.h"

#include <QDateTime>
#include <QFileSystemWatcher>
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace Crosstalk {

struct SlotPersona;

// Who named a persona reference, which decides where its file may be (PRODUCT.md §6).
enum class PersonaTrust
{
    // The local user, directly: the window, CLI flags, environment variables, preset files.
    // Any file the user can read; relative paths are relative to a base folder (the preset's
    // folder, or the current folder).
    Local,
    // REST and MCP input: only files inside the library. Absolute paths, `..` components and
    // symlinks that lead out of the library are refused.
    Remote,
};

// The persona library: a folder of persona files (`.md`, `.txt`, subfolders allowed), seeded
// with the bundled personas, watched for changes on disk, and the one place that turns a
// persona reference into persona text.
class PersonaLibrary : public QObject
{
    Q_OBJECT

public:
    // The folder need not exist yet; it is created when something is written to it.
    explicit PersonaLibrary(const QString &folder = defaultFolder(), QObject *parent = nullptr);

    // `personas` in the application data folder (~/.local/share/crosstalk/personas).
    static QString defaultFolder();
    // The bundled personas, as paths relative to the library (`alice.md`,
    // `examples/prompts/alice.txt`), sorted.
    static QStringList bundledFileNames();

    // Whether a name has a persona file's extension (`.md`, `.txt`).
    static bool isPersonaFileName(const QString &name);

    QString folder() const { return m_folder; }

    // Persona files in the library, relative to it with `/` separators, sorted.
    QStringList fileNames() const;

    // Copies the bundled personas into the library when it holds no persona file, so a new
    // user starts with examples; never overwrites a file. Returns the names copied (none when
    // the library was not empty) or what went wrong.
    Parsed<QStringList> installBundledIfEmpty();

    // Turns a persona reference into a persona. A reference is one of:
    //  - `path:FILE`: a file; at Local trust FILE may be absolute or start with `~/`, and a
    //    relative FILE is looked up in `baseFolder` (the current folder when empty), then in
    //    the library; at Remote trust FILE is relative to the library;
    //  - a single line ending in `.md` or `.txt`: a file name, as with `path:`;
    //  - a single line naming a library file without its extension (`alice` for `alice.md`);
    //  - anything else: the persona text itself, taken literally.
    // Errors name the reference and the reason.
    Parsed<Persona> resolve(const QString &reference, PersonaTrust trust,
                            const QString &baseFolder = {}) const;
    // A file path, as after `path:`.
    Parsed<Persona> resolveFile(const QString &file, PersonaTrust trust,
                                const QString &baseFolder = {}) const;
    // A slot's default persona from the environment (`{SLOT}_SYSTEM_PROMPT_FILE`, else
    // `{SLOT}_SYSTEM_PROMPT`), at Local trust relative to the current folder. `alias` names
    // the slot in errors.
    Parsed<Persona> resolveSlotPersona(const QString &alias, const SlotPersona &slot) const;

    // Reads a library file by its name relative to the library.
    Parsed<Persona> read(const QString &fileName) const;
    // Writes a persona file into the library atomically (a crash never leaves half a file).
    // The name follows the Remote rules and must end in `.md` or `.txt`; the persona must be
    // one that reads back. Returns what went wrong, if anything.
    std::optional<FieldError> save(const QString &fileName, const Persona &persona);

Q_SIGNALS:
    // A persona file appeared, changed or disappeared on disk (by any program, this one
    // included). `fileName` is relative to the library.
    void personaChanged(const QString &fileName);

private:
    struct FileStamp
    {
        QDateTime modified;
        qint64 size = 0;
        bool operator==(const FileStamp &) const = default;
    };

    // The absolute path of a library file named by Remote input, after the Remote checks.
    Parsed<QString> libraryFilePath(const QString &fileName, const QString &where) const;
    Parsed<Persona> readLibraryFile(const QString &fileName, const QString &where,
                                    const QString &source) const;
    // A file named by the local user: absolute, `~/`, or relative to the base folder, then
    // to the library.
    Parsed<Persona> readLocalFile(const QString &file, const QString &baseFolder) const;
    std::optional<QString> findLibraryAlias(const QString &alias) const;
    QHash<QString, FileStamp> scan() const;
    void rewatch();
    void onChanged(const QString &path);

    QString m_folder;
    QFileSystemWatcher m_watcher;
    QHash<QString, FileStamp> m_snapshot;
};

} // namespace Crosstalk
