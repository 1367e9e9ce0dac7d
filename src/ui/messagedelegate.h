// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/message.h"

#include <QCache>
#include <QHash>
#include <QStyledItemDelegate>
#include <QUuid>

#include <memory>

class QAbstractItemView;
class QTextDocument;

namespace KSyntaxHighlighting {
class Repository;
}

namespace Crosstalk {

class MessageDocument;

// Paints a transcript row (TranscriptModel) as a bubble: a round separator above the first
// message of a round, the speaker's name in its colour with the model, the text — plain while
// it streams, Markdown with highlighted code blocks once complete — and a footer with tokens,
// timings and the answer. Failed and partial messages are marked, a streaming one shows that
// its speaker is still typing. Text from models and people renders through MessageDocument:
// no raw HTML, no resource loaded but small `data:` images. A very long message shows its
// beginning as plain text with a Show all button.
//
// Heights are cached per message and width, so scrolling costs no text layout. A row that was
// never painted is given an estimate from its length; the first paint replaces it with the
// exact height and asks the view to lay out again. Rendered documents are cached for the rows
// painted most recently only, since a long transcript would not fit in memory as documents.
class MessageDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit MessageDelegate(QAbstractItemView *view);
    ~MessageDelegate() override;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;

    // The text the row's bubble shows, as plain text: its rendered document's.
    QString shownText(const QModelIndex &index) const;

    // Where a failed or partial message's Retry button is in the view; empty for others.
    QRect retryButtonRect(const QModelIndex &index) const;
    // Where a long message's Show all button is in the view; empty for others.
    QRect showAllButtonRect(const QModelIndex &index) const;
    // Where an edited message's Original button is in the view; empty for others.
    QRect originalButtonRect(const QModelIndex &index) const;

    // Forgets cached layouts, e.g. when the palette or font changed.
    void clearCache();
    // A speaker colour adjusted, if needed, to stay readable on `background`.
    static QColor readableColour(const QColor &colour, const QColor &background);
    // `a` with `amountOfB` (0–1) of `b` mixed in.
    static QColor mix(const QColor &a, const QColor &b, double amountOfB);

Q_SIGNALS:
    // The Retry button of a failed or partial message was clicked.
    void retryRequested(const QModelIndex &index);
    // The Show all button of a long message was clicked.
    void showAllRequested(const QModelIndex &index);
    // The Original button of an edited message was clicked.
    void originalRequested(const QModelIndex &index);

private:
    struct Layout
    {
        int width = 0;
        qsizetype contentSize = -1;
        MessageStatus status = MessageStatus::Complete;
        bool firstOfRound = false;
        bool edited = false;
        int height = 0; // of the text
        int chrome = 0; // of the rest: heading, padding, header and footer
        bool exact = false;
    };
    struct Rendered
    {
        std::unique_ptr<MessageDocument> document;
        QString content; // what it shows (shared with the model's copy)
        MessageStatus status = MessageStatus::Complete;
        int width = 0;
        QRgb text = 0;
    };
    struct Geometry;

    struct FooterButtons
    {
        QRect showAll;
        QRect retry;
        QRect original;
    };

    Geometry geometry(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    FooterButtons footerButtons(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    FooterButtons footerButtons(const QModelIndex &index) const;
    int bodyWidth() const;
    QTextDocument *document(const QModelIndex &index, const QPalette &palette) const;
    int exactHeight(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    int estimatedHeight(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    int chromeHeight(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    QString footerText(const QModelIndex &index) const;

    QAbstractItemView *m_view;
    mutable QHash<QUuid, Layout> m_layouts;
    mutable QCache<QUuid, Rendered> m_documents;
    // Loading the syntax definitions takes a while: only when the first code block shows.
    mutable std::unique_ptr<KSyntaxHighlighting::Repository> m_repository;
};

} // namespace Crosstalk
