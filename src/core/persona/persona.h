// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/parsed.h"

#include <QByteArray>
#include <QColor>
#include <QString>
#include <QStringList>

namespace Crosstalk {

// A system prompt and the defaults it brings when it joins a session (PRODUCT.md §1).
//
// A persona file is UTF-8 text that may begin with YAML front matter:
//
//     ---
//     name: Alice
//     colour: "#e07a5f"
//     model: big
//     description: An optimistic brainstormer
//     ---
//     You are {{name}}, …
//
// The front matter must start on the very first line. Unknown front matter keys are not an
// error but a warning (in `warnings`): other tools put their own keys (tags, authors) into
// Markdown front matter, and a persona must not become unusable because of them.
struct Persona
{
    // Limits on the prompt, counted in Unicode code points after trimming white space.
    static constexpr qsizetype minLength = 3;
    static constexpr qsizetype maxLength = 50000;
    // A file larger than this cannot hold a prompt within the limit; it is refused unread.
    static constexpr qint64 maxFileBytes = 4 * maxLength + 64 * 1024;

    // The text sent to the model (placeholders not yet filled).
    QString prompt;
    // Front matter; empty or invalid when not given.
    QString name;
    QColor colour;
    QString model;
    QString description;
    // What to record as the participant's persona source (`path:alice.md`, a library file
    // name); empty for inline text.
    QString source;
    // The absolute path of the file it was read from; empty for inline text.
    QString filePath;
    QStringList warnings;

    // What a participant is told when no persona was given.
    static QString defaultPrompt();

    bool hasFrontMatter() const;

    // The text of a persona file: front matter (when any field is set), then the prompt.
    QString toFileText() const;

    // Reads the bytes of a persona file. `where` names the file in every error.
    static Parsed<Persona> fromFileBytes(const QByteArray &bytes, const QString &where);
    // Inline text is taken literally: it has no front matter.
    static Parsed<Persona> fromInlineText(const QString &text, const QString &where);
    // Reads a file; `where` names it in errors (defaults to the path).
    static Parsed<Persona> readFile(const QString &path, const QString &where = {});

    bool operator==(const Persona &) const = default;
};

// The byte offset of the first byte that is not valid UTF-8, or -1 when all are. Overlong
// forms, surrogates and code points above U+10FFFF are invalid.
qsizetype invalidUtf8Offset(const QByteArray &bytes);

} // namespace Crosstalk
