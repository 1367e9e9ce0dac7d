// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/markdownhtml.h"

#include "export/codehighlighter.h"

#include <md4c-html.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Crosstalk::MarkdownHtml {

namespace {

// md4c-html writes these shapes (and escapes `&<>"` in text and attributes, so a `"` or `>`
// can only end an attribute or a tag, and `</code></pre>` can only end a code block).
constexpr QByteArrayView codeOpen = "<pre><code";
constexpr QByteArrayView languageAttribute = " class=\"language-";
constexpr QByteArrayView codeClose = "</code></pre>";
constexpr QByteArrayView imageOpen = "<img src=\"";
constexpr QByteArrayView altAttribute = "\" alt=\"";
constexpr QByteArrayView linkOpen = "<a href=\"";

void collect(const MD_CHAR *text, MD_SIZE size, void *userdata)
{
    static_cast<QByteArray *>(userdata)->append(text, qsizetype(size));
}

QByteArray unescaped(QByteArrayView html)
{
    QByteArray text = html.toByteArray();
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    return text;
}

bool hasScheme(QByteArrayView url, QByteArrayView scheme)
{
    return url.size() > scheme.size() && url.at(scheme.size()) == ':' &&
           url.first(scheme.size()).compare(scheme, Qt::CaseInsensitive) == 0;
}

bool isWebAddress(QByteArrayView url)
{
    return hasScheme(url, "http") || hasScheme(url, "https");
}

// Following a link leaves the page on purpose; loading is what a self-contained page must not
// do, and `javascript:` or file links have no place in a transcript.
bool isSafeLink(QByteArrayView url)
{
    return isWebAddress(url) || hasScheme(url, "mailto") || url.startsWith('#');
}

// From `at` (a `<pre><code` tag) to past its `</code></pre>`: highlighted when the fence names
// a language KSyntaxHighlighting knows, else as md4c-html wrote it.
qsizetype codeBlock(QByteArrayView raw, qsizetype at, QByteArray &html)
{
    const qsizetype tagEnd = raw.indexOf('>', at + codeOpen.size());
    const qsizetype close = raw.indexOf(codeClose, tagEnd);
    if (tagEnd < 0 || close < 0) {
        html.append(raw.sliced(at));
        return raw.size();
    }
    const qsizetype end = close + codeClose.size();
    const QByteArrayView tag = raw.sliced(at, tagEnd + 1 - at);
    if (tag.sliced(codeOpen.size()).startsWith(languageAttribute)) {
        const QByteArrayView language =
            tag.sliced(codeOpen.size() + languageAttribute.size()).chopped(2);
        QString highlighted;
        const QString code =
            QString::fromUtf8(unescaped(raw.sliced(tagEnd + 1, close - tagEnd - 1)));
        if (CodeHighlighter::toHtml(QString::fromUtf8(unescaped(language)), code, highlighted)) {
            html.append(tag).append(highlighted.toUtf8()).append(codeClose);
            return end;
        }
    }
    html.append(raw.sliced(at, end - at));
    return end;
}

// `<img src="URL" alt="ALT"[ title="…"]>` becomes a link to the image, or only its
// description when it is not on the web.
qsizetype image(QByteArrayView raw, qsizetype at, QByteArray &html)
{
    const qsizetype srcStart = at + imageOpen.size();
    const qsizetype srcEnd = raw.indexOf('"', srcStart);
    const qsizetype tagEnd = raw.indexOf('>', srcStart);
    if (srcEnd < 0 || tagEnd < 0 || !raw.sliced(srcEnd).startsWith(altAttribute)) {
        html.append("&lt;");
        return at + 1;
    }
    const QByteArrayView src = raw.sliced(srcStart, srcEnd - srcStart);
    const qsizetype altStart = srcEnd + altAttribute.size();
    const qsizetype altEnd = raw.indexOf('"', altStart);
    QByteArrayView alt = raw.sliced(altStart, std::max(altEnd, altStart) - altStart);
    if (alt.isEmpty()) {
        alt = "image";
    }
    if (isWebAddress(src)) {
        html.append("<a class=\"image\" href=\"")
            .append(src)
            .append("\">[")
            .append(alt)
            .append("]</a>");
    } else {
        html.append("<span class=\"image\">[").append(alt).append("]</span>");
    }
    return tagEnd + 1;
}

// `<a href="URL"…>`: kept when the URL is safe, else the attribute is dropped.
qsizetype link(QByteArrayView raw, qsizetype at, QByteArray &html)
{
    const qsizetype urlStart = at + linkOpen.size();
    const qsizetype urlEnd = raw.indexOf('"', urlStart);
    if (urlEnd < 0) {
        html.append("&lt;");
        return at + 1;
    }
    if (isSafeLink(raw.sliced(urlStart, urlEnd - urlStart))) {
        html.append(raw.sliced(at, urlEnd + 1 - at));
    } else {
        html.append("<a");
    }
    return urlEnd + 1;
}

} // namespace

void render(QStringView markdown, QByteArray &html)
{
    const QByteArray input = markdown.toUtf8();
    QByteArray raw;
    raw.reserve(input.size() + input.size() / 4 + 64);
    md_html(input.constData(), MD_SIZE(input.size()), collect, &raw,
            MD_DIALECT_GITHUB | MD_FLAG_NOHTML, MD_HTML_FLAG_SKIP_UTF8_BOM);

    qsizetype pos = 0;
    for (qsizetype at = raw.indexOf('<'); at >= 0; at = raw.indexOf('<', pos)) {
        const QByteArrayView rest = QByteArrayView(raw).sliced(at);
        qsizetype next = -1;
        if (rest.startsWith(codeOpen)) {
            html.append(QByteArrayView(raw).sliced(pos, at - pos));
            next = codeBlock(raw, at, html);
        } else if (rest.startsWith(imageOpen)) {
            html.append(QByteArrayView(raw).sliced(pos, at - pos));
            next = image(raw, at, html);
        } else if (rest.startsWith(linkOpen)) {
            html.append(QByteArrayView(raw).sliced(pos, at - pos));
            next = link(raw, at, html);
        } else {
            html.append(QByteArrayView(raw).sliced(pos, at + 1 - pos));
            next = at + 1;
        }
        pos = next;
    }
    html.append(QByteArrayView(raw).sliced(pos));
}

bool hasFencedCode(const Session &session)
{
    return std::any_of(session.messages.cbegin(), session.messages.cend(), [](const Message &m) {
        return m.content.contains(u"```"_s) || m.content.contains(u"~~~"_s);
    });
}

} // namespace Crosstalk::MarkdownHtml
