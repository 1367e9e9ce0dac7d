// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

namespace Crosstalk {

// Code as HTML, highlighted by KSyntaxHighlighting: one span per highlighted run, classed
// after the theme's text style (`hl-keyword`, `hl-string`…) rather than coloured inline, so
// one style sheet colours it for light and dark alike. The syntax repository is loaded once
// per process, on first use, and shared; calls may come from any thread.
namespace CodeHighlighter {

// Appends the escaped, highlighted code to `html`; returns false and appends nothing when no
// syntax definition fits the language (a fence's info word: `cpp`, `python`, `C++`, `rs`…).
bool toHtml(QStringView language, QStringView code, QString &html);

enum ColourSchemes
{
    LightOnly,    // for print, and for Qt's rich text, which knows no media queries
    LightAndDark, // the dark rules under `prefers-color-scheme: dark`
};

// CSS rules for the classes and for `pre` code blocks, from KSyntaxHighlighting's default
// light (and dark) theme.
QString styleSheet(ColourSchemes schemes);

} // namespace CodeHighlighter
} // namespace Crosstalk
