// SPDX-License-Identifier: GPL-3.0-or-later
#include "messagedelegate.h"

#include "export/messagedocument.h"
#include "transcriptmodel.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>

#include <QAbstractItemView>
#include <QAbstractTextDocumentLayout>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

constexpr int kOuterMargin = 12;
constexpr int kRowGap = 8;
constexpr int kPadding = 12;
constexpr int kColourBar = 4;
constexpr int kLineGap = 4;
constexpr int kHeadingHeight = 28;
constexpr int kPlaceholderLines = 8;
// Documents rendered recently enough to be painted again without layout.
constexpr int kDocumentCacheSize = 200;
// A message longer than this shows its beginning as plain text, with Show all for the rest:
// laying out megabytes of text in a bubble would stall the window.
constexpr qsizetype kLongMessage = 20'000;

bool isCodeBlock(const QTextBlock &block)
{
    const QTextBlockFormat format = block.blockFormat();
    return format.hasProperty(QTextFormat::BlockCodeFence) ||
           format.hasProperty(QTextFormat::BlockCodeLanguage) || format.nonBreakableLines();
}

// Highlights the code blocks of a rendered Markdown document and leaves its prose alone.
class CodeBlockHighlighter : public KSyntaxHighlighting::SyntaxHighlighter
{
public:
    using SyntaxHighlighter::SyntaxHighlighter;

protected:
    void highlightBlock(const QString &text) override
    {
        if (isCodeBlock(currentBlock()))
            SyntaxHighlighter::highlightBlock(text);
    }
};

double luminance(const QColor &c)
{
    const auto channel = [](double v) {
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightnessF() < 0.5;
}

QFont smallFont(const QFont &base)
{
    QFont font = base;
    font.setPointSizeF(base.pointSizeF() * 0.85);
    return font;
}

QFont boldFont(const QFont &base)
{
    QFont font = base;
    font.setBold(true);
    return font;
}

// Negative (failed) and neutral (partial) marks in the KDE colour scheme's hues, made
// readable on the palette's base.
QColor negativeColour(const QPalette &palette)
{
    return MessageDelegate::readableColour(QColor(0xda, 0x44, 0x53), palette.color(QPalette::Base));
}

QColor neutralColour(const QPalette &palette)
{
    return MessageDelegate::readableColour(QColor(0xf6, 0x74, 0x00), palette.color(QPalette::Base));
}

bool offersRetry(const QModelIndex &index)
{
    const auto status = index.data(TranscriptModel::StatusRole).value<MessageStatus>();
    return status == MessageStatus::Failed || status == MessageStatus::Partial;
}

bool isEdited(const QModelIndex &index)
{
    return index.data(TranscriptModel::EditedRole).toDateTime().isValid();
}

bool isLong(const QModelIndex &index)
{
    return index.data(TranscriptModel::ContentRole).toString().size() > kLongMessage;
}

} // namespace

struct MessageDelegate::Geometry
{
    QRect heading;
    QRect bubble;
    QRect header;
    QRect body;
    QRect footer;
};

MessageDelegate::MessageDelegate(QAbstractItemView *view)
    : QStyledItemDelegate(view)
    , m_view(view)
    , m_documents(kDocumentCacheSize)
{}

MessageDelegate::~MessageDelegate() = default;

void MessageDelegate::clearCache()
{
    m_layouts.clear();
    m_documents.clear();
}

QColor MessageDelegate::readableColour(const QColor &colour, const QColor &background)
{
    // 4.5:1 is WCAG AA for normal text; names are bold, but the bubble tints the background.
    constexpr double minimum = 4.5;
    QColor c = colour.isValid() ? colour : QColor(Qt::gray);
    const bool darken = luminance(background) > 0.4;
    for (int step = 0; step < 20 && contrast(c, background) < minimum; ++step)
        c = darken ? c.darker(112) : c.lighter(112);
    return c;
}

QColor MessageDelegate::mix(const QColor &a, const QColor &b, double amountOfB)
{
    return QColor::fromRgbF(float(a.redF() * (1 - amountOfB) + b.redF() * amountOfB),
                            float(a.greenF() * (1 - amountOfB) + b.greenF() * amountOfB),
                            float(a.blueF() * (1 - amountOfB) + b.blueF() * amountOfB));
}

int MessageDelegate::bodyWidth() const
{
    const int viewport = m_view->viewport()->width();
    return std::max(120, viewport - 2 * kOuterMargin - 2 * kPadding - kColourBar);
}

QString MessageDelegate::footerText(const QModelIndex &index) const
{
    QStringList parts;
    const auto status = index.data(TranscriptModel::StatusRole).value<MessageStatus>();
    if (status == MessageStatus::Failed) {
        const QString error = index.data(TranscriptModel::ErrorRole).toString();
        parts << (error.isEmpty() ? tr("Failed") : tr("Failed: %1").arg(error));
    } else if (status == MessageStatus::Partial) {
        parts << tr("Partial: the reply was cut short");
    }
    if (const QDateTime edited = index.data(TranscriptModel::EditedRole).toDateTime();
        edited.isValid()) {
        // The tokens and timings are those of the text the person replaced.
        parts
            << tr("Edited %1").arg(QLocale().toString(edited.toLocalTime(), QLocale::ShortFormat));
    } else {
        if (const qint64 tokens = index.data(TranscriptModel::TokensRole).toLongLong(); tokens > 0)
            parts << tr("%n tokens", nullptr, int(tokens));
        if (const QVariant ttft = index.data(TranscriptModel::TtftRole); !ttft.isNull()) {
            const qint64 ms = ttft.toLongLong();
            parts << (ms < 1000 ? tr("first token %1 ms").arg(ms)
                                : tr("first token %1 s").arg(ms / 1000.0, 0, 'f', 1));
        }
        if (const QVariant duration = index.data(TranscriptModel::DurationRole); !duration.isNull())
            parts << tr("%1 s").arg(duration.toLongLong() / 1000.0, 0, 'f', 1);
    }
    if (const QVariant answer = index.data(TranscriptModel::AnswerRole); !answer.isNull())
        parts << tr("answer: %1").arg(answer.toString());
    if (const QVariant confidence = index.data(TranscriptModel::ConfidenceRole);
        !confidence.isNull())
        parts << tr("confidence %1%").arg(qRound(confidence.toDouble() * 100));
    if (isLong(index))
        parts << tr("%L1 of %L2 characters shown")
                     .arg(kLongMessage)
                     .arg(index.data(TranscriptModel::ContentRole).toString().size());
    return parts.join(u"  ·  "_s);
}

QTextDocument *MessageDelegate::document(const QModelIndex &index, const QPalette &palette) const
{
    const QUuid id = index.data(TranscriptModel::IdRole).toUuid();
    const QString content = index.data(TranscriptModel::ContentRole).toString();
    const auto status = index.data(TranscriptModel::StatusRole).value<MessageStatus>();
    const int width = bodyWidth();
    const QRgb text = palette.color(QPalette::Text).rgb();
    if (Rendered *cached = m_documents.object(id);
        cached && cached->status == status && cached->text == text) {
        QTextDocument *doc = cached->document.get();
        if (cached->width != width) {
            doc->setTextWidth(width);
            cached->width = width;
        }
        if (cached->content.size() == content.size())
            return doc;
        // A long reply shows its beginning only, which growing does not change.
        if (status == MessageStatus::Streaming && cached->content.size() > kLongMessage) {
            cached->content = content;
            return doc;
        }
        // A streaming reply grows at its end: lay out only the paragraph that grew.
        if (status == MessageStatus::Streaming && content.size() <= kLongMessage &&
            content.startsWith(cached->content)) {
            QTextCursor cursor(doc);
            cursor.movePosition(QTextCursor::End);
            cursor.insertText(content.sliced(cached->content.size()));
            cached->content = content;
            return doc;
        }
    }

    auto rendered = std::make_unique<Rendered>();
    rendered->document = std::make_unique<MessageDocument>();
    MessageDocument *doc = rendered->document.get();
    doc->setDocumentMargin(0);
    doc->setDefaultFont(m_view->font());
    // Markdown half-written is misleading (an unclosed fence swallows the rest): it is
    // rendered once the reply is complete.
    if (content.size() > kLongMessage) {
        doc->setPlainText(content.first(kLongMessage) + u"…"_s);
    } else if (status == MessageStatus::Streaming || status == MessageStatus::Failed) {
        doc->setPlainText(content);
    } else {
        doc->setMessageMarkdown(content);
        QString language;
        bool hasCode = false;
        for (QTextBlock block = doc->begin(); block.isValid(); block = block.next()) {
            if (!isCodeBlock(block))
                continue;
            if (!hasCode)
                language = block.blockFormat().stringProperty(QTextFormat::BlockCodeLanguage);
            hasCode = true;
        }
        if (hasCode) {
            if (!m_repository)
                m_repository = std::make_unique<KSyntaxHighlighting::Repository>();
            const KSyntaxHighlighting::Theme theme = m_repository->defaultTheme(
                isDark(palette) ? KSyntaxHighlighting::Repository::DarkTheme
                                : KSyntaxHighlighting::Repository::LightTheme);
            QTextBlockFormat codeBackground;
            codeBackground.setBackground(
                QColor::fromRgba(theme.editorColor(KSyntaxHighlighting::Theme::BackgroundColor)));
            QTextCursor cursor(doc);
            for (QTextBlock block = doc->begin(); block.isValid(); block = block.next()) {
                if (!isCodeBlock(block))
                    continue;
                cursor.setPosition(block.position());
                cursor.mergeBlockFormat(codeBackground);
            }
            KSyntaxHighlighting::Definition definition =
                m_repository->definitionForFileName(u"code."_s + language);
            if (!definition.isValid())
                definition = m_repository->definitionForName(language);
            if (definition.isValid()) {
                // Parented to the document: it lives exactly as long as the formats it applies.
                auto *highlighter = new CodeBlockHighlighter(doc);
                highlighter->setTheme(theme);
                highlighter->setDefinition(definition);
                highlighter->rehighlight();
            }
        }
    }
    doc->setTextWidth(width);
    rendered->content = content;
    rendered->status = status;
    rendered->width = width;
    rendered->text = text;
    m_documents.insert(id, rendered.release());
    return doc;
}

QString MessageDelegate::shownText(const QModelIndex &index) const
{
    return document(index, m_view->palette())->toPlainText();
}

MessageDelegate::Geometry MessageDelegate::geometry(const QStyleOptionViewItem &option,
                                                    const QModelIndex &index) const
{
    Geometry g;
    const QRect row = option.rect;
    int y = row.top() + kRowGap / 2;
    if (index.data(TranscriptModel::FirstOfRoundRole).toBool()) {
        g.heading =
            QRect(row.left() + kOuterMargin, y, row.width() - 2 * kOuterMargin, kHeadingHeight);
        y += kHeadingHeight;
    }
    g.bubble = QRect(row.left() + kOuterMargin, y, row.width() - 2 * kOuterMargin,
                     row.bottom() - kRowGap / 2 - y + 1);
    const int left = g.bubble.left() + kColourBar + kPadding;
    const int width = g.bubble.width() - kColourBar - 2 * kPadding;
    const QFontMetrics bold(boldFont(option.font));
    const QFontMetrics small(smallFont(option.font));
    g.header = QRect(left, g.bubble.top() + kPadding, width, bold.height());
    const bool hasFooter = !footerText(index).isEmpty();
    const int footerHeight = hasFooter ? small.height() : 0;
    g.footer = QRect(left, g.bubble.bottom() - kPadding - footerHeight + 1, width, footerHeight);
    const int bodyTop = g.header.bottom() + 1 + kLineGap;
    const int bodyBottom = hasFooter ? g.footer.top() - kLineGap : g.bubble.bottom() - kPadding + 1;
    g.body = QRect(left, bodyTop, width, std::max(0, bodyBottom - bodyTop));
    return g;
}

MessageDelegate::FooterButtons MessageDelegate::footerButtons(const QStyleOptionViewItem &option,
                                                              const QModelIndex &index) const
{
    FooterButtons buttons;
    const bool retry = offersRetry(index);
    const bool showAll = isLong(index);
    const bool original = isEdited(index);
    if (!retry && !showAll && !original)
        return buttons;
    const Geometry g = geometry(option, index);
    const QFontMetrics metrics(smallFont(option.font));
    int right = g.footer.right() + 1;
    const auto place = [&](const QString &text) {
        const int width = metrics.horizontalAdvance(text) + 20;
        right -= width;
        const QRect rect(right, g.footer.top(), width, g.footer.height());
        right -= 8;
        return rect;
    };
    if (retry)
        buttons.retry = place(tr("Retry"));
    if (showAll)
        buttons.showAll = place(tr("Show all"));
    if (original)
        buttons.original = place(tr("Original"));
    return buttons;
}

MessageDelegate::FooterButtons MessageDelegate::footerButtons(const QModelIndex &index) const
{
    QStyleOptionViewItem option;
    option.initFrom(m_view);
    option.rect = m_view->visualRect(index);
    return footerButtons(option, index);
}

QRect MessageDelegate::retryButtonRect(const QModelIndex &index) const
{
    return footerButtons(index).retry;
}

QRect MessageDelegate::showAllButtonRect(const QModelIndex &index) const
{
    return footerButtons(index).showAll;
}

QRect MessageDelegate::originalButtonRect(const QModelIndex &index) const
{
    return footerButtons(index).original;
}

bool MessageDelegate::editorEvent(QEvent *event, QAbstractItemModel *model,
                                  const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() == QEvent::MouseButtonRelease) {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        const FooterButtons buttons = footerButtons(option, index);
        if (mouse->button() == Qt::LeftButton &&
            buttons.retry.contains(mouse->position().toPoint())) {
            Q_EMIT retryRequested(index);
            return true;
        }
        if (mouse->button() == Qt::LeftButton &&
            buttons.showAll.contains(mouse->position().toPoint())) {
            Q_EMIT showAllRequested(index);
            return true;
        }
        if (mouse->button() == Qt::LeftButton &&
            buttons.original.contains(mouse->position().toPoint())) {
            Q_EMIT originalRequested(index);
            return true;
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

int MessageDelegate::exactHeight(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QTextDocument *doc = document(index, option.palette);
    return int(std::ceil(doc->size().height()));
}

int MessageDelegate::estimatedHeight(const QStyleOptionViewItem &option,
                                     const QModelIndex &index) const
{
    const QFontMetrics metrics(option.font);
    const QString whole = index.data(TranscriptModel::ContentRole).toString();
    const QStringView content = QStringView(whole).first(std::min(whole.size(), kLongMessage));
    const int charsPerLine = std::max(1, bodyWidth() / std::max(1, metrics.averageCharWidth()));
    int lines = 0;
    for (const QStringView paragraph : QStringTokenizer(content, u'\n'))
        lines += 1 + int(paragraph.size()) / charsPerLine;
    return lines * metrics.lineSpacing();
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    // The view asks for every row at each layout (opening a session, each streamed update):
    // a current layout answers from the cache without formatting the footer again.
    // The delegate paints TranscriptModel rows only; the fields are read without QVariants.
    const auto *model = static_cast<const TranscriptModel *>(index.model());
    const Message &message = model->message(index.row());
    // A row whose page is still being read takes the space of a typical reply, so the scroll
    // bar spans the transcript as it will be.
    if (!model->isLoaded(index.row()))
        return {m_view->viewport()->width(),
                chromeHeight(option, index) + kPlaceholderLines * option.fontMetrics.lineSpacing()};
    const bool firstOfRound = model->firstOfRound(index.row());
    const int width = bodyWidth();
    Layout &layout = m_layouts[message.id];
    if (layout.width != width || layout.contentSize != message.content.size() ||
        layout.status != message.status || layout.firstOfRound != firstOfRound ||
        layout.edited != message.isEdited()) {
        // The streaming row and rows still rendered are measured exactly; others estimated
        // until they are painted.
        const bool cheap =
            m_documents.contains(message.id) || message.status == MessageStatus::Streaming;
        layout.width = width;
        layout.contentSize = message.content.size();
        layout.status = message.status;
        layout.firstOfRound = firstOfRound;
        layout.edited = message.isEdited();
        layout.exact = cheap;
        layout.height = cheap ? exactHeight(option, index) : estimatedHeight(option, index);
        layout.chrome = chromeHeight(option, index);
    }
    return {m_view->viewport()->width(), layout.chrome + layout.height};
}

int MessageDelegate::chromeHeight(const QStyleOptionViewItem &option,
                                  const QModelIndex &index) const
{
    const QFontMetrics bold(boldFont(option.font));
    const QFontMetrics small(smallFont(option.font));
    int height = kRowGap + 2 * kPadding + bold.height() + kLineGap;
    if (!footerText(index).isEmpty())
        height += kLineGap + small.height();
    if (index.data(TranscriptModel::FirstOfRoundRole).toBool())
        height += kHeadingHeight;
    return height;
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    if (!static_cast<const TranscriptModel *>(index.model())->isLoaded(index.row())) {
        painter->save();
        painter->setPen(option.palette.color(QPalette::PlaceholderText));
        painter->drawText(option.rect.adjusted(kPadding, kPadding, -kPadding, -kPadding),
                          Qt::AlignLeft | Qt::AlignTop, tr("Loading…"));
        painter->restore();
        return;
    }
    const QUuid id = index.data(TranscriptModel::IdRole).toUuid();
    const QPalette &palette = option.palette;
    QTextDocument *doc = document(index, palette);
    Layout &layout = m_layouts[id];
    const int height = int(std::ceil(doc->size().height()));
    if (!layout.exact || layout.height != height) {
        layout.exact = true;
        if (layout.height != height) {
            layout.height = height;
            // Paint runs inside the view's paint event; the new height is laid out after it.
            QMetaObject::invokeMethod(
                const_cast<MessageDelegate *>(this),
                [this, index = QPersistentModelIndex(index)] {
                    if (index.isValid())
                        Q_EMIT const_cast<MessageDelegate *>(this)->sizeHintChanged(index);
                },
                Qt::QueuedConnection);
        }
    }

    const Geometry g = geometry(option, index);
    const auto status = index.data(TranscriptModel::StatusRole).value<MessageStatus>();
    const QColor base = palette.color(QPalette::Base);
    const QColor speaker =
        readableColour(index.data(TranscriptModel::SpeakerColourRole).value<QColor>(), base);
    const bool selected = option.state & QStyle::State_Selected;

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);

    if (!g.heading.isNull()) {
        const QString heading = index.data(TranscriptModel::RoundHeadingRole).toString();
        const QFont font = boldFont(smallFont(option.font));
        const QFontMetrics metrics(font);
        const int textWidth = metrics.horizontalAdvance(heading) + 2 * kPadding;
        const int middle = g.heading.center().y();
        painter->setPen(QPen(palette.color(QPalette::Mid), 1));
        const int lineEnd = g.heading.center().x() - textWidth / 2;
        painter->drawLine(g.heading.left(), middle, lineEnd, middle);
        painter->drawLine(g.heading.right() - (lineEnd - g.heading.left()), middle,
                          g.heading.right(), middle);
        painter->setFont(font);
        painter->setPen(palette.color(QPalette::PlaceholderText));
        painter->drawText(g.heading, Qt::AlignCenter, heading);
    }

    // The bubble: a tint of the speaker's colour, its colour as a bar on the left.
    QColor fill = mix(base, speaker, isDark(palette) ? 0.14 : 0.08);
    if (selected)
        fill = mix(fill, palette.color(QPalette::Highlight), 0.25);
    QPainterPath bubble;
    bubble.addRoundedRect(QRectF(g.bubble).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    painter->fillPath(bubble, fill);
    QColor border = mix(base, speaker, 0.35);
    if (status == MessageStatus::Failed)
        border = negativeColour(palette);
    else if (status == MessageStatus::Partial)
        border = neutralColour(palette);
    painter->setPen(QPen(border, status == MessageStatus::Complete ? 1 : 2,
                         status == MessageStatus::Partial ? Qt::DashLine : Qt::SolidLine));
    painter->drawPath(bubble);
    painter->save();
    painter->setClipPath(bubble);
    painter->fillRect(QRect(g.bubble.left(), g.bubble.top(), kColourBar, g.bubble.height()),
                      speaker);
    painter->restore();

    // Header: speaker in its colour, the model muted, a badge for unusual states.
    const QFont bold = boldFont(option.font);
    const QFont small = smallFont(option.font);
    QString badge;
    QColor badgeColour = palette.color(QPalette::PlaceholderText);
    if (status == MessageStatus::Streaming) {
        badge = tr("typing…");
    } else if (status == MessageStatus::Failed) {
        badge = tr("failed");
        badgeColour = negativeColour(palette);
    } else if (status == MessageStatus::Partial) {
        badge = tr("partial");
        badgeColour = neutralColour(palette);
    }
    int badgeWidth = 0;
    if (!badge.isEmpty()) {
        const QFontMetrics metrics(small);
        badgeWidth = metrics.horizontalAdvance(badge) + 16;
        const QRect badgeRect(g.header.right() - badgeWidth + 1, g.header.top(), badgeWidth,
                              g.header.height());
        painter->setPen(QPen(badgeColour, 1));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(QRectF(badgeRect).adjusted(0.5, 1.5, -0.5, -1.5), 8, 8);
        painter->setFont(small);
        painter->drawText(badgeRect, Qt::AlignCenter, badge);
    }
    const QString name = index.data(TranscriptModel::SpeakerRole).toString();
    const QFontMetrics boldMetrics(bold);
    const int nameRoom = g.header.width() - badgeWidth - 8;
    const QString shownName = boldMetrics.elidedText(name, Qt::ElideRight, nameRoom);
    painter->setFont(bold);
    painter->setPen(speaker);
    painter->drawText(g.header, Qt::AlignLeft | Qt::AlignVCenter, shownName);
    const QString model = index.data(TranscriptModel::ModelLabelRole).toString();
    if (!model.isEmpty()) {
        const int nameWidth = boldMetrics.horizontalAdvance(shownName) + 10;
        QRect modelRect = g.header.adjusted(nameWidth, 0, -badgeWidth - 8, 0);
        painter->setFont(small);
        painter->setPen(palette.color(QPalette::PlaceholderText));
        painter->drawText(modelRect, Qt::AlignLeft | Qt::AlignVCenter,
                          QFontMetrics(small).elidedText(model, Qt::ElideRight, modelRect.width()));
    }

    // Body.
    painter->save();
    painter->translate(g.body.topLeft());
    QAbstractTextDocumentLayout::PaintContext context;
    context.palette = palette;
    context.palette.setColor(QPalette::Text, palette.color(QPalette::Text));
    context.clip = QRectF(0, 0, g.body.width(), g.body.height());
    painter->setClipRect(context.clip);
    doc->documentLayout()->draw(painter, context);
    painter->restore();

    // Footer, with buttons on the right: Show all for a long message, Retry for failed and
    // partial replies.
    const QString footer = footerText(index);
    if (!footer.isEmpty()) {
        QRect footerRect = g.footer;
        const FooterButtons buttons = footerButtons(option, index);
        const auto drawButton = [&](const QRect &rect, const QString &text, const QColor &colour) {
            painter->setPen(QPen(colour, 1));
            painter->setBrush(Qt::NoBrush);
            painter->drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8);
            painter->setFont(small);
            painter->drawText(rect, Qt::AlignCenter, text);
            footerRect.setRight(std::min(footerRect.right(), rect.left() - 8));
        };
        if (!buttons.retry.isEmpty())
            drawButton(buttons.retry, tr("Retry"),
                       status == MessageStatus::Failed ? negativeColour(palette)
                                                       : neutralColour(palette));
        if (!buttons.showAll.isEmpty())
            drawButton(buttons.showAll, tr("Show all"), palette.color(QPalette::Link));
        if (!buttons.original.isEmpty())
            drawButton(buttons.original, tr("Original"), palette.color(QPalette::Link));
        painter->setFont(small);
        painter->setPen(status == MessageStatus::Failed ? negativeColour(palette)
                                                        : palette.color(QPalette::PlaceholderText));
        painter->drawText(
            footerRect, Qt::AlignLeft | Qt::AlignVCenter,
            QFontMetrics(small).elidedText(footer, Qt::ElideRight, footerRect.width()));
    }
    if (option.state & QStyle::State_HasFocus) {
        painter->setPen(QPen(palette.color(QPalette::Highlight), 1, Qt::DotLine));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(QRectF(g.bubble).adjusted(2.5, 2.5, -2.5, -2.5), 5, 5);
    }
    painter->restore();
}

} // namespace Crosstalk
