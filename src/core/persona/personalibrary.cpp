// SPDX-License-Identifier: GPL-3.0-or-later
#include "persona/personalibrary.h"

#include "llm/modelregistry.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

const auto kBundledRoot = u":/crosstalk/personas"_s;
const auto kPathPrefix = u"path:"_s;

bool isSingleLine(const QString &text)
{
    return !text.isEmpty() && !text.contains(u'\n') && !text.contains(u'\r');
}

// Persona files under a folder, relative to it, sorted.
QStringList personaFilesUnder(const QString &folder)
{
    QStringList names;
    const QDir root(folder);
    QDirIterator it(folder, QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (PersonaLibrary::isPersonaFileName(path)) {
            names.append(root.relativeFilePath(path));
        }
    }
    names.sort();
    return names;
}

QString expandHome(const QString &path)
{
    if (path == u"~"_s || path.startsWith(u"~/"_s)) {
        return QDir::homePath() + path.mid(1);
    }
    return path;
}

template<typename T>
Parsed<T> failure(const QString &where, const QString &problem)
{
    return {std::nullopt, {{where, problem}}};
}

} // namespace

PersonaLibrary::PersonaLibrary(const QString &folder, QObject *parent)
    : QObject(parent)
    , m_folder(QDir::cleanPath(QDir(folder).absolutePath()))
{
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &PersonaLibrary::onChanged);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &PersonaLibrary::onChanged);
    m_snapshot = scan();
    rewatch();
}

QString PersonaLibrary::defaultFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/personas"_s;
}

bool PersonaLibrary::isPersonaFileName(const QString &name)
{
    return name.endsWith(u".md"_s, Qt::CaseInsensitive) ||
           name.endsWith(u".txt"_s, Qt::CaseInsensitive);
}

QStringList PersonaLibrary::bundledFileNames()
{
    return personaFilesUnder(kBundledRoot);
}

QStringList PersonaLibrary::fileNames() const
{
    return personaFilesUnder(m_folder);
}

Parsed<QStringList> PersonaLibrary::installBundledIfEmpty()
{
    if (!fileNames().isEmpty()) {
        return {QStringList(), {}};
    }
    QStringList installed;
    QList<FieldError> errors;
    for (const QString &name : bundledFileNames()) {
        const QString target = m_folder + u'/' + name;
        if (!QDir().mkpath(QFileInfo(target).absolutePath())) {
            errors.append({target, u"cannot create the folder"_s});
            continue;
        }
        QFile source(kBundledRoot + u'/' + name);
        if (!source.open(QIODevice::ReadOnly)) {
            errors.append({source.fileName(), u"cannot be read: "_s + source.errorString()});
            continue;
        }
        // NewOnly, not a copy: a file that appeared meanwhile is the user's and stays, and the
        // copy gets ordinary permissions rather than the resource's read-only ones.
        QFile file(target);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
            if (!file.exists()) {
                errors.append({target, u"cannot be written: "_s + file.errorString()});
            }
            continue;
        }
        if (file.write(source.readAll()) < 0 || !file.flush()) {
            errors.append({target, u"cannot be written: "_s + file.errorString()});
            continue;
        }
        installed.append(name);
    }
    rewatch();
    if (!errors.isEmpty()) {
        return {std::nullopt, errors};
    }
    return {installed, {}};
}

Parsed<QString> PersonaLibrary::libraryFilePath(const QString &fileName, const QString &where) const
{
    if (fileName.isEmpty()) {
        return failure<QString>(where, u"no file name given"_s);
    }
    if (fileName.contains(QChar(0))) {
        return failure<QString>(where, u"the file name contains a NUL character"_s);
    }
    if (QDir::isAbsolutePath(fileName) || fileName.startsWith(u'~')) {
        return failure<QString>(
            where, u"is an absolute path: only files inside the persona library may be named "
                   u"here, relative to it (e.g. `alice.md`)"_s);
    }
    const QStringList components = fileName.split(u'/');
    if (components.contains(u".."_s)) {
        return failure<QString>(
            where, u"contains a `..` component: only files inside the persona library may be "
                   u"named here"_s);
    }
    const QString path = QDir::cleanPath(m_folder + u'/' + fileName);
    const QFileInfo info(path);
    if (!info.exists()) {
        return failure<QString>(where, u"file not found in the persona library"_s);
    }
    // Symlinks are followed, but only as long as they end inside the library: otherwise a
    // link would let remote input read any file the user can.
    const QString library = QFileInfo(m_folder).canonicalFilePath();
    const QString canonical = info.canonicalFilePath();
    if (library.isEmpty() || !canonical.startsWith(library + u'/')) {
        return failure<QString>(where, u"is a symlink that leads outside the persona library"_s);
    }
    return {path, {}};
}

Parsed<Persona> PersonaLibrary::readLibraryFile(const QString &fileName, const QString &where,
                                                const QString &source) const
{
    const Parsed<QString> path = libraryFilePath(fileName, where);
    if (!path) {
        return {std::nullopt, path.errors};
    }
    Parsed<Persona> persona = Persona::readFile(*path.value, where);
    if (persona.value) {
        persona.value->source = source;
    }
    return persona;
}

std::optional<QString> PersonaLibrary::findLibraryAlias(const QString &alias) const
{
    for (const QString &extension : {u".md"_s, u".txt"_s}) {
        const QString name = alias + extension;
        if (libraryFilePath(name, name).value) {
            return name;
        }
    }
    return std::nullopt;
}

Parsed<Persona> PersonaLibrary::resolve(const QString &reference, PersonaTrust trust,
                                        const QString &baseFolder) const
{
    if (reference.startsWith(kPathPrefix)) {
        Parsed<Persona> persona = resolveFile(reference.mid(kPathPrefix.size()), trust, baseFolder);
        if (persona.value) {
            persona.value->source = reference;
        }
        for (FieldError &error : persona.errors) {
            error.path = reference;
        }
        return persona;
    }
    if (isSingleLine(reference) && PersonaLibrary::isPersonaFileName(reference)) {
        return resolveFile(reference, trust, baseFolder);
    }
    if (isSingleLine(reference) && !reference.contains(u'/')) {
        if (const std::optional<QString> name = findLibraryAlias(reference.trimmed())) {
            return readLibraryFile(*name, reference, *name);
        }
    }
    return Persona::fromInlineText(reference, u"inline persona text"_s);
}

Parsed<Persona> PersonaLibrary::resolveFile(const QString &file, PersonaTrust trust,
                                            const QString &baseFolder) const
{
    if (trust == PersonaTrust::Remote) {
        return readLibraryFile(file, file, file);
    }
    Parsed<Persona> persona = readLocalFile(file, baseFolder);
    if (persona.value) {
        persona.value->source = file;
    }
    return persona;
}

Parsed<Persona> PersonaLibrary::readLocalFile(const QString &file, const QString &baseFolder) const
{
    if (file.isEmpty()) {
        return failure<Persona>(file, u"no file name given"_s);
    }
    const QString expanded = expandHome(file);
    if (QDir::isAbsolutePath(expanded)) {
        return Persona::readFile(expanded, file);
    }
    const QDir base(baseFolder.isEmpty() ? QDir::currentPath() : baseFolder);
    const QString path = base.absoluteFilePath(expanded);
    if (QFileInfo::exists(path)) {
        return Persona::readFile(path, file);
    }
    // The local user may keep a library file wherever a symlink points, so no Remote checks.
    const QString inLibrary = QDir(m_folder).absoluteFilePath(expanded);
    if (QFileInfo::exists(inLibrary)) {
        return Persona::readFile(inLibrary, file);
    }
    return failure<Persona>(file,
                            u"file not found: "_s + path + u" (nor in the persona library)"_s);
}

Parsed<Persona> PersonaLibrary::resolveSlotPersona(const QString &alias,
                                                   const SlotPersona &slot) const
{
    const QString variable = alias.toUpper() + u"_SYSTEM_PROMPT"_s;
    Parsed<Persona> persona = slot.filePath.isEmpty()
                                  ? resolve(slot.text, PersonaTrust::Local)
                                  : resolveFile(slot.filePath, PersonaTrust::Local);
    if (!slot.filePath.isEmpty() && persona.value) {
        persona.value->source = kPathPrefix + slot.filePath;
    }
    const QString where = slot.filePath.isEmpty() ? variable : variable + u"_FILE"_s;
    for (FieldError &error : persona.errors) {
        error.path = where + u" ("_s + error.path + u')';
    }
    return persona;
}

Parsed<Persona> PersonaLibrary::read(const QString &fileName) const
{
    return readLibraryFile(fileName, fileName, fileName);
}

std::optional<FieldError> PersonaLibrary::save(const QString &fileName, const Persona &persona)
{
    if (fileName.isEmpty() || QDir::isAbsolutePath(fileName) || fileName.startsWith(u'~') ||
        fileName.split(u'/').contains(u".."_s) || fileName.contains(QChar(0))) {
        return FieldError{fileName, u"must be a file name inside the persona library, such as "
                                    u"`alice.md`"_s};
    }
    if (!PersonaLibrary::isPersonaFileName(fileName)) {
        return FieldError{fileName, u"must end in .md or .txt"_s};
    }
    const QByteArray bytes = persona.toFileText().toUtf8();
    if (const Parsed<Persona> check = Persona::fromFileBytes(bytes, fileName); !check) {
        return check.errors.constFirst();
    }
    const QString path = m_folder + u'/' + fileName;
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        return FieldError{fileName,
                          u"cannot create the folder "_s + QFileInfo(path).absolutePath()};
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        return FieldError{fileName, u"cannot be written: "_s + file.errorString()};
    }
    rewatch();
    return std::nullopt;
}

QHash<QString, PersonaLibrary::FileStamp> PersonaLibrary::scan() const
{
    QHash<QString, FileStamp> stamps;
    for (const QString &name : fileNames()) {
        const QFileInfo info(m_folder + u'/' + name);
        stamps.insert(name, {info.lastModified(QTimeZone::UTC), info.size()});
    }
    return stamps;
}

void PersonaLibrary::rewatch()
{
    if (!QFileInfo(m_folder).isDir()) {
        return;
    }
    QStringList paths{m_folder};
    QDirIterator folders(m_folder, QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (folders.hasNext()) {
        paths.append(folders.next());
    }
    for (const QString &name : fileNames()) {
        paths.append(m_folder + u'/' + name);
    }
    const QStringList watched = m_watcher.files() + m_watcher.directories();
    QStringList missing;
    for (const QString &path : std::as_const(paths)) {
        if (!watched.contains(path)) {
            missing.append(path);
        }
    }
    if (!missing.isEmpty()) {
        m_watcher.addPaths(missing);
    }
}

void PersonaLibrary::onChanged(const QString &path)
{
    const QHash<QString, FileStamp> now = scan();
    QStringList changed;
    for (auto it = now.cbegin(); it != now.cend(); ++it) {
        if (!m_snapshot.contains(it.key()) || m_snapshot.value(it.key()) != it.value()) {
            changed.append(it.key());
        }
    }
    for (auto it = m_snapshot.cbegin(); it != m_snapshot.cend(); ++it) {
        if (!now.contains(it.key())) {
            changed.append(it.key());
        }
    }
    // A file rewritten within the clock's resolution keeps its stamp; the watcher still knows.
    const QString name = QDir(m_folder).relativeFilePath(path);
    if (PersonaLibrary::isPersonaFileName(name) && !changed.contains(name)) {
        changed.append(name);
    }
    m_snapshot = now;
    rewatch();
    changed.sort();
    for (const QString &file : std::as_const(changed)) {
        Q_EMIT personaChanged(file);
    }
}

} // namespace Crosstalk
