// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/codehighlighter.h"

#include <KSyntaxHighlighting/AbstractHighlighter>
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Format>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/State>
#include <KSyntaxHighlighting/Theme>

#include <QColor>
#include <QHash>
#include <QMetaEnum>
#include <QMutex>
#include <QStringTokenizer>

using namespace Qt::StringLiterals;
using KSyntaxHighlighting::Theme;

namespace Crosstalk::CodeHighlighter {

namespace {

// Loading every syntax definition takes a noticeable moment: done once, and only when an
// export first has code to highlight. Definitions are not safe to use from two threads at
// once, hence the lock around all use.
struct Shared
{
    QMutex mutex;
    KSyntaxHighlighting::Repository repository;
    QHash<QString, KSyntaxHighlighting::Definition> byLanguage;
};
Q_GLOBAL_STATIC(Shared, shared)

QString className(Theme::TextStyle style)
{
    static const QMetaEnum styles = QMetaEnum::fromType<Theme::TextStyle>();
    return u"hl-"_s + QString::fromLatin1(styles.valueToKey(style)).toLower();
}

void appendEscaped(QString &html, QStringView text)
{
    for (const QChar c : text) {
        switch (c.unicode()) {
        case '&':
            html += u"&amp;";
            break;
        case '<':
            html += u"&lt;";
            break;
        case '>':
            html += u"&gt;";
            break;
        case '"':
            html += u"&quot;";
            break;
        default:
            html += c;
        }
    }
}

class HtmlHighlighter : public KSyntaxHighlighting::AbstractHighlighter
{
public:
    HtmlHighlighter(const KSyntaxHighlighting::Definition &definition, QString &html)
        : m_html(html)
    {
        setDefinition(definition);
        // Formats are turned into classes, not colours; a theme is still needed for
        // highlighting to run at all.
        setTheme(shared->repository.defaultTheme(KSyntaxHighlighting::Repository::LightTheme));
    }

    void highlight(QStringView code)
    {
        KSyntaxHighlighting::State state;
        bool first = true;
        for (const QStringView line : QStringTokenizer(code, u'\n')) {
            if (!first) {
                m_html += u'\n';
            }
            first = false;
            m_line = line;
            m_written = 0;
            state = highlightLine(line, state);
            appendEscaped(m_html, line.sliced(m_written));
        }
    }

protected:
    void applyFormat(int offset, int length, const KSyntaxHighlighting::Format &format) override
    {
        if (offset > m_written) {
            appendEscaped(m_html, m_line.sliced(m_written, offset - m_written));
        }
        const QStringView run = m_line.sliced(offset, length);
        const Theme::TextStyle style = format.textStyle();
        if (!format.isValid() || style == Theme::Normal) {
            appendEscaped(m_html, run);
        } else {
            m_html += u"<span class=\""_s + className(style) + u"\">"_s;
            appendEscaped(m_html, run);
            m_html += u"</span>"_s;
        }
        m_written = offset + length;
    }

private:
    QString &m_html;
    QStringView m_line;
    qsizetype m_written = 0;
};

KSyntaxHighlighting::Definition definitionFor(Shared &s, QStringView language)
{
    const QString key = language.toString().toLower();
    const auto known = s.byLanguage.constFind(key);
    if (known != s.byLanguage.cend()) {
        return *known;
    }
    // Fences name languages by name (`python`) or by file extension (`py`, `cpp`).
    KSyntaxHighlighting::Definition definition = s.repository.definitionForName(key);
    if (!definition.isValid()) {
        definition = s.repository.definitionForFileName(u"code."_s + key);
    }
    s.byLanguage.insert(key, definition);
    return definition;
}

QString colour(QRgb rgb)
{
    return QColor::fromRgb(rgb).name(QColor::HexRgb);
}

QString themeRules(const Theme &theme)
{
    QString css = u"pre{background:%1;color:%2}\n"_s.arg(
        colour(theme.editorColor(Theme::BackgroundColor)), colour(theme.textColor(Theme::Normal)));
    const QMetaEnum styles = QMetaEnum::fromType<Theme::TextStyle>();
    for (int i = 0; i < styles.keyCount(); ++i) {
        const auto style = Theme::TextStyle(styles.value(i));
        if (style == Theme::Normal) {
            continue;
        }
        QString rule;
        if (const QRgb rgb = theme.textColor(style); qAlpha(rgb) != 0) {
            rule += u"color:"_s + colour(rgb) + u';';
        }
        if (theme.isBold(style)) {
            rule += u"font-weight:bold;"_s;
        }
        if (theme.isItalic(style)) {
            rule += u"font-style:italic;"_s;
        }
        if (theme.isUnderline(style)) {
            rule += u"text-decoration:underline;"_s;
        }
        if (!rule.isEmpty()) {
            css += u'.' + className(style) + u'{' + rule + u"}\n"_s;
        }
    }
    return css;
}

} // namespace

bool toHtml(QStringView language, QStringView code, QString &html)
{
    Shared &s = *shared;
    QMutexLocker lock(&s.mutex);
    const KSyntaxHighlighting::Definition definition = definitionFor(s, language);
    if (!definition.isValid()) {
        return false;
    }
    HtmlHighlighter(definition, html).highlight(code);
    return true;
}

QString styleSheet(ColourSchemes schemes)
{
    Shared &s = *shared;
    QMutexLocker lock(&s.mutex);
    using KSyntaxHighlighting::Repository;
    QString css = themeRules(s.repository.defaultTheme(Repository::LightTheme));
    if (schemes == LightAndDark) {
        css += u"@media (prefers-color-scheme: dark) {\n"_s +
               themeRules(s.repository.defaultTheme(Repository::DarkTheme)) + u"}\n"_s;
    }
    return css;
}

} // namespace Crosstalk::CodeHighlighter
