// SPDX-License-Identifier: GPL-3.0-or-later
// The PDF transcript: a QTextDocument built block by block and printed through QPdfWriter,
// which paginates it, numbers the pages, keeps the text real (selectable, searchable) and
// embeds the fonts it uses. Message content goes in as the HTML export renders it, so the
// PDF gets the same safety (no images read from anywhere, no `javascript:` links) and the
// same highlighted code.
#include "export/codehighlighter.h"
#include "export/exportformats.h"
#include "export/markdownhtml.h"
#include "export/transcriptlabels.h"

#include <QFontDatabase>
#include <QGuiApplication>
#include <QPdfWriter>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>

using namespace Qt::StringLiterals;

namespace Crosstalk::ExportFormats {

namespace {

const QColor muted(0x6e, 0x71, 0x75);
const QColor failed(0xda, 0x44, 0x53);

QTextCharFormat textFormat(qreal scale = 1.0, bool bold = false, const QColor &colour = {})
{
    QTextCharFormat format;
    format.setFontPointSize(10 * scale);
    format.setFontWeight(bold ? QFont::Bold : QFont::Normal);
    format.setForeground(colour.isValid() ? colour : QColor(Qt::black));
    return format;
}

QTextBlockFormat blockFormat(qreal topMargin, qreal bottomMargin = 0)
{
    QTextBlockFormat format;
    format.setTopMargin(topMargin);
    format.setBottomMargin(bottomMargin);
    return format;
}

// The header lines are English labels around names: laid out left to right even when a
// right-to-left name comes first, which would otherwise turn the whole line around.
QTextBlockFormat labelBlock(qreal topMargin, qreal bottomMargin = 0)
{
    QTextBlockFormat format = blockFormat(topMargin, bottomMargin);
    format.setLayoutDirection(Qt::LeftToRight);
    return format;
}

class PdfBuilder
{
public:
    PdfBuilder(const Session &session, QTextDocument &document)
        : m_session(session)
        , m_cursor(&document)
    {
        for (const Participant &p : session.participants) {
            m_colours.insert(p.name, p.colour);
        }
    }

    void build()
    {
        writeTitleBlock();
        int round = -1;
        for (const Message &message : m_session.messages) {
            if (message.round != round) {
                round = message.round;
                QTextBlockFormat format = blockFormat(18, 6);
                format.setAlignment(Qt::AlignHCenter);
                m_cursor.insertBlock(format, textFormat(1.1, true, muted));
                m_cursor.insertText(TranscriptLabels::roundTitle(round, m_session.rounds));
            }
            writeMessage(message);
        }
    }

private:
    void writeTitleBlock()
    {
        m_cursor.setBlockFormat(labelBlock(0, 8));
        m_cursor.setBlockCharFormat(textFormat(1.8, true));
        m_cursor.insertText(TranscriptLabels::title(m_session));

        QTextBlockFormat topic = blockFormat(0, 8);
        topic.setLeftMargin(12);
        m_cursor.insertBlock(topic, textFormat(1.1));
        m_cursor.insertText(m_session.topic);

        const QList<TranscriptLabels::Fact> facts = TranscriptLabels::facts(m_session);
        writeFact(facts.first());
        m_cursor.insertBlock(labelBlock(2), textFormat(1.0, true));
        m_cursor.insertText(u"Participants:"_s);
        for (const Participant &p : m_session.participants) {
            QTextBlockFormat format = labelBlock(1);
            format.setLeftMargin(12);
            m_cursor.insertBlock(format, textFormat());
            m_cursor.insertText(u"■ "_s, textFormat(1.0, false, p.colour));
            m_cursor.insertText(p.name, textFormat(1.0, true));
            m_cursor.insertText(u" — "_s + TranscriptLabels::participantModel(p, m_session),
                                textFormat());
        }
        for (qsizetype i = 1; i < facts.size(); ++i) {
            writeFact(facts[i]);
        }
    }

    void writeFact(const TranscriptLabels::Fact &fact)
    {
        m_cursor.insertBlock(labelBlock(2), textFormat(1.0, true));
        m_cursor.insertText(fact.label + u": "_s);
        m_cursor.insertText(fact.value, textFormat());
    }

    void writeMessage(const Message &message)
    {
        const bool participant =
            message.type != MessageType::Human && message.type != MessageType::Moderator;
        m_cursor.insertBlock(labelBlock(10, 2), textFormat());
        m_cursor.insertText(
            TranscriptLabels::speaker(message),
            textFormat(1.05, true, participant ? m_colours.value(message.speaker) : muted));
        for (const QString &part :
             {TranscriptLabels::turnNote(message, m_session), TranscriptLabels::model(message),
              TranscriptLabels::messageTime(message, m_session),
              TranscriptLabels::answer(message)}) {
            if (!part.isEmpty()) {
                m_cursor.insertText(u" · "_s + part, textFormat(0.85, false, muted));
            }
        }
        if (!message.content.isEmpty()) {
            m_html.resize(0);
            MarkdownHtml::render(message.content, m_html);
            m_cursor.insertBlock(blockFormat(0), textFormat());
            m_cursor.insertHtml(QString::fromUtf8(m_html));
        }
        if (const QString mark = TranscriptLabels::statusMark(message); !mark.isEmpty()) {
            QTextCharFormat format =
                textFormat(0.9, false, message.status == MessageStatus::Failed ? failed : muted);
            format.setFontItalic(true);
            m_cursor.insertBlock(labelBlock(2), format);
            m_cursor.insertText(u"("_s + mark + u")"_s);
        }
    }

    const Session &m_session;
    QTextCursor m_cursor;
    QHash<QString, QColor> m_colours;
    QByteArray m_html;
};

} // namespace

std::optional<Error> writePdf(const Session &session, QIODevice &device)
{
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance())) {
        return Error{ErrorCode::Internal,
                     u"PDF export needs a QGuiApplication for fonts and text layout (the "
                     "offscreen platform will do)"_s,
                     {}};
    }
    QTextDocument document;
    QFont font = QFontDatabase::systemFont(QFontDatabase::GeneralFont);
    font.setPointSize(10);
    // Ligatures ("ffl" as one glyph) would make the PDF's text copy and search differently
    // from what it says.
    font.setFeature(QFont::Tag("liga"), 0);
    document.setDefaultFont(font);
    if (MarkdownHtml::hasFencedCode(session)) {
        document.setDefaultStyleSheet(CodeHighlighter::styleSheet(CodeHighlighter::LightOnly));
    }
    PdfBuilder(session, document).build();

    QPdfWriter writer(&device);
    writer.setTitle(TranscriptLabels::title(session));
    writer.setCreator(u"Crosstalk"_s);
    writer.setPageSize(QPageSize(QPageSize::A4));
    // QTextDocument::print adds 2 cm of its own and puts the page number in the bottom one.
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout::Millimeter);
    document.print(&writer);
    return std::nullopt;
}

} // namespace Crosstalk::ExportFormats
