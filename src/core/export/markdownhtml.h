// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/session.h"

#include <QByteArray>
#include <QStringView>

namespace Crosstalk {

// Markdown from users and models as HTML, fit to embed in a self-contained page: rendered by
// md4c-html (GitHub dialect), with raw HTML shown as text, images turned into links instead
// of being loaded, links kept only to web and mail addresses (no `javascript:`, no files), and
// fenced code highlighted by KSyntaxHighlighting (CodeHighlighter's classes).
namespace MarkdownHtml {

// Appends the UTF-8 HTML to `html`.
void render(QStringView markdown, QByteArray &html);

// Whether any message may hold a fenced code block, so that the highlighting styles (and the
// syntax definitions behind them, slow to load) are only brought in when needed.
bool hasFencedCode(const Session &session);

} // namespace MarkdownHtml
} // namespace Crosstalk
