// SPDX-License-Identifier: GPL-3.0-or-later
// The text of a PDF as a reader would select it, through poppler's pdftotext.
#pragma once

#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>

namespace Crosstalk::Test {

// Empty when pdftotext is not installed (poppler-utils); tests skip then.
inline QString pdftotext()
{
    return QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
}

// The PDF's text, or a message starting "pdftotext failed" when it could not be read.
inline QString pdfText(const QString &pdfPath)
{
    QProcess process;
    process.start(pdftotext(),
                  {QStringLiteral("-enc"), QStringLiteral("UTF-8"), pdfPath, QStringLiteral("-")});
    if (!process.waitForFinished(30000) || process.exitCode() != 0) {
        return QStringLiteral("pdftotext failed: ") +
               QString::fromUtf8(process.readAllStandardError());
    }
    return QString::fromUtf8(process.readAllStandardOutput());
}

// Extracted text as comparable with what was written: pdftotext gives Arabic as its shaped
// presentation forms and wraps right-to-left runs in embedding marks; NFKC folds the forms
// back, and the marks go.
inline QString comparable(const QString &extracted)
{
    QString text = extracted.normalized(QString::NormalizationForm_KC);
    text.removeIf([](QChar c) {
        return (c >= QChar(0x202a) && c <= QChar(0x202e)) ||
               (c >= QChar(0x2066) && c <= QChar(0x2069)) || c == QChar(0x200e) ||
               c == QChar(0x200f);
    });
    return text;
}

// The words of `text` that a PDF can carry with the fonts at hand: emoji (no emoji font is
// installed, so they become blank glyphs) and their joiners and selectors left out.
inline QStringList printableWords(const QString &text)
{
    QString kept = text;
    kept.removeIf([](QChar c) {
        return c.isSurrogate() || c.category() == QChar::Symbol_Other || c == QChar(0x200d) ||
               c == QChar(0xfe0f);
    });
    return kept.split(u' ', Qt::SkipEmptyParts);
}

} // namespace Crosstalk::Test
