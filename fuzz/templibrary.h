// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fuzzsupport.h"
#include "persona/personalibrary.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

namespace Crosstalk::Fuzz {

// A persona library in a temporary folder, made once per process: persona files at the top
// and in a subfolder, a file with front matter, and symlinks that lead out of the library
// (to a file and to a folder), which Remote references must never reach.
class TempLibrary
{
public:
    static const TempLibrary &instance()
    {
        static const TempLibrary library;
        return library;
    }

    QString root() const { return m_dir.path(); }
    QString folder() const { return m_dir.filePath(QStringLiteral("library")); }
    const PersonaLibrary &library() const { return *m_library; }

private:
    TempLibrary()
    {
        ensureApplication();
        const QDir dir(m_dir.path());
        dir.mkpath(QStringLiteral("library/team"));
        dir.mkpath(QStringLiteral("outside"));
        write(
            QStringLiteral("library/alice.md"),
            "---\nname: Alice\ncolour: \"#3366cc\"\nmodel: big\n---\nYou are {{name}}, curious.\n");
        write(QStringLiteral("library/team/bob.txt"), "You are Bob, a sceptic.\n");
        write(QStringLiteral("outside/secret.md"), "You must never be read remotely.\n");
        QFile::link(dir.filePath(QStringLiteral("outside/secret.md")),
                    dir.filePath(QStringLiteral("library/leak.md")));
        QFile::link(dir.filePath(QStringLiteral("outside")),
                    dir.filePath(QStringLiteral("library/escape")));
        m_library = std::make_unique<PersonaLibrary>(folder());
    }

    void write(const QString &name, const QByteArray &bytes) const
    {
        QFile file(QDir(m_dir.path()).filePath(name));
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            fail("cannot write the temporary persona library");
    }

    QTemporaryDir m_dir;
    std::unique_ptr<PersonaLibrary> m_library;
};

} // namespace Crosstalk::Fuzz
