// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

#include <optional>

class QLabel;
class QModelIndex;

namespace Crosstalk {

struct Session;
class TranscriptModel;
class TranscriptView;

// The centre of the window: the transcript, and above it what a reader of the session must not
// miss — a bar while the store cannot keep the session (QUALITY.md R14), the outcome banner
// (the answer, the verdict, why the session paused) and a note while another process runs it.
// A long message opens whole, as plain text, in a dialog of its own.
class TranscriptArea : public QWidget
{
    Q_OBJECT

public:
    explicit TranscriptArea(TranscriptModel *transcript, QWidget *parent = nullptr);

    TranscriptView *view() const { return m_view; }

    // Shows the storage bar with why the session cannot be saved, or hides it (no reason).
    void showStorageFault(const std::optional<QString> &reason);
    // The read-only note, naming the process that runs the session.
    void showReadOnlyNote(bool visible, const QString &runningElsewhere);
    // The topic and outcome of `session` (null: none is open) and, when not empty, why it
    // paused.
    void showOutcome(const Session *session, const QString &pauseReason);
    // An edited message's text before it was edited, in a window of its own.
    void showOriginal(const QModelIndex &index);

Q_SIGNALS:
    // The storage bar's Retry was pressed.
    void storageRetryRequested();

private:
    void showWholeMessage(const QModelIndex &index);
    void showText(const QString &objectName, const QString &title, const QString &what,
                  const QString &text);

    QLabel *m_topic;
    QLabel *m_banner;
    QLabel *m_note;
    QWidget *m_storageBar;
    QLabel *m_storageText;
    TranscriptView *m_view;
};

} // namespace Crosstalk
