// SPDX-License-Identifier: GPL-3.0-or-later
#include "transcriptarea.h"

#include "conversation/session.h"
#include "messagedelegate.h"
#include "transcriptmodel.h"
#include "transcriptview.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

// The first paragraph of a verdict, short enough for the banner; the transcript has it all.
QString firstParagraph(const QString &text)
{
    constexpr qsizetype limit = 320;
    QString paragraph = text.trimmed().section(u"\n\n"_s, 0, 0).simplified();
    if (paragraph.size() > limit)
        paragraph = paragraph.left(limit).section(u' ', 0, -2) + u'…';
    return paragraph;
}

} // namespace

TranscriptArea::TranscriptArea(TranscriptModel *transcript, QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"transcriptArea"_s);
    setAccessibleName(tr("Transcript"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_topic = new QLabel(this);
    m_topic->setObjectName(u"topicHeader"_s);
    m_topic->setAccessibleName(tr("Topic"));
    m_topic->setWordWrap(true);
    m_topic->setTextFormat(Qt::PlainText);
    m_topic->setMargin(10);
    m_topic->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont topicFont = m_topic->font();
    topicFont.setBold(true);
    m_topic->setFont(topicFont);
    m_topic->hide();
    m_banner = new QLabel(this);
    m_banner->setObjectName(u"outcomeBanner"_s);
    m_banner->setAccessibleName(tr("Outcome"));
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::RichText);
    m_banner->setMargin(12);
    m_banner->setAutoFillBackground(true);
    m_banner->setBackgroundRole(QPalette::AlternateBase);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->hide();
    m_storageBar = new QWidget(this);
    m_storageBar->setObjectName(u"storageBar"_s);
    m_storageBar->setAccessibleName(tr("The transcript cannot be saved"));
    m_storageBar->setAutoFillBackground(true);
    m_storageBar->setBackgroundRole(QPalette::ToolTipBase);
    auto *storageLayout = new QHBoxLayout(m_storageBar);
    m_storageText = new QLabel(m_storageBar);
    m_storageText->setObjectName(u"storageText"_s);
    m_storageText->setWordWrap(true);
    m_storageText->setForegroundRole(QPalette::ToolTipText);
    m_storageText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *storageRetry = new QPushButton(tr("&Retry"), m_storageBar);
    storageRetry->setObjectName(u"storageRetry"_s);
    storageRetry->setToolTip(tr("Save what is held in memory, then go on"));
    connect(storageRetry, &QPushButton::clicked, this, &TranscriptArea::storageRetryRequested);
    storageLayout->addWidget(m_storageText, 1);
    storageLayout->addWidget(storageRetry);
    m_storageBar->hide();
    m_note = new QLabel(this);
    m_note->setObjectName(u"readOnlyNote"_s);
    m_note->setAccessibleName(tr("Read-only note"));
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::PlainText);
    m_note->setMargin(8);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    m_note->hide();
    m_view = new TranscriptView(this);
    m_view->setObjectName(u"transcriptView"_s);
    m_view->setAccessibleName(tr("Messages"));
    m_view->setModel(transcript);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view->messageDelegate(), &MessageDelegate::showAllRequested, this,
            &TranscriptArea::showWholeMessage);
    connect(m_view->messageDelegate(), &MessageDelegate::originalRequested, this,
            &TranscriptArea::showOriginal);
    layout->addWidget(m_topic);
    layout->addWidget(m_storageBar);
    layout->addWidget(m_banner);
    layout->addWidget(m_note);
    layout->addWidget(m_view, 1);
}

void TranscriptArea::showStorageFault(const std::optional<QString> &reason)
{
    m_storageText->setText(
        reason ? tr("%1 What follows is kept in memory until it can be saved.").arg(*reason)
               : QString());
    m_storageBar->setVisible(reason.has_value());
}

void TranscriptArea::showReadOnlyNote(bool visible, const QString &runningElsewhere)
{
    m_note->setVisible(visible);
    m_note->setText(
        tr("This session runs in %1. It is shown live and read-only here.").arg(runningElsewhere));
}

void TranscriptArea::showOutcome(const Session *session, const QString &pauseReason)
{
    // The topic heads the transcript; a long one shows its beginning, all of it on hover.
    const QString topic = session ? session->topic.simplified() : QString();
    m_topic->setText(topic.size() > 300 ? topic.left(300).section(u' ', 0, -2) + u'…' : topic);
    m_topic->setToolTip(topic.size() > 300 ? Qt::convertFromPlainText(session->topic) : QString());
    m_topic->setVisible(!topic.isEmpty());

    // The answer-mode result, else the debate's latest verdict.
    QString banner;
    if (session && session->result) {
        banner =
            tr("<b>Answer:</b> %1 &nbsp;<span>(%n vote(s))</span>", nullptr, session->result->votes)
                .arg(session->result->answer.toHtmlEscaped());
    } else if (session) {
        for (auto it = session->messages.crbegin(); it != session->messages.crend(); ++it) {
            if (it->type == MessageType::Verdict && it->status == MessageStatus::Complete) {
                banner = tr("<b>Verdict of %1:</b> %2")
                             .arg(it->speaker.toHtmlEscaped(),
                                  firstParagraph(it->content).toHtmlEscaped());
                break;
            }
        }
    }
    if (!pauseReason.isEmpty()) {
        const QString reason = tr("<b>Paused:</b> %1").arg(pauseReason.toHtmlEscaped());
        banner = banner.isEmpty() ? reason : banner + u"<br>"_s + reason;
    }
    m_banner->setText(banner);
    m_banner->setVisible(!banner.isEmpty());
}

void TranscriptArea::showWholeMessage(const QModelIndex &index)
{
    showText(u"wholeMessage"_s,
             tr("Message of %1").arg(index.data(TranscriptModel::SpeakerRole).toString()),
             tr("Whole message"), index.data(TranscriptModel::ContentRole).toString());
}

void TranscriptArea::showOriginal(const QModelIndex &index)
{
    const QDateTime edited = index.data(TranscriptModel::EditedRole).toDateTime();
    if (!edited.isValid())
        return;
    showText(u"originalMessage"_s,
             tr("Message of %1 before it was edited")
                 .arg(index.data(TranscriptModel::SpeakerRole).toString()),
             tr("Original message"), index.data(TranscriptModel::OriginalContentRole).toString());
}

void TranscriptArea::showText(const QString &objectName, const QString &title, const QString &what,
                              const QString &text)
{
    // A plain text view lays out only what it shows, so megabytes open at once.
    auto *dialog = new QDialog(window());
    dialog->setObjectName(objectName);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(title);
    auto *layout = new QVBoxLayout(dialog);
    auto *view = new QPlainTextEdit(dialog);
    view->setReadOnly(true);
    view->setAccessibleName(what);
    view->setPlainText(text);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    layout->addWidget(view);
    layout->addWidget(buttons);
    dialog->resize(820, 640);
    dialog->show();
}

} // namespace Crosstalk
