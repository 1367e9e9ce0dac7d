// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QListView>

namespace Crosstalk {

class MessageDelegate;

// The transcript: a virtualised list of message bubbles (MessageDelegate) that lays a row out
// again when its text grows and follows the conversation while the reader is at the bottom.
class TranscriptView : public QListView
{
    Q_OBJECT

public:
    explicit TranscriptView(QWidget *parent = nullptr);

    MessageDelegate *messageDelegate() const { return m_delegate; }

protected:
    void dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                     const QList<int> &roles) override;
    void rowsInserted(const QModelIndex &parent, int start, int end) override;
    void changeEvent(QEvent *event) override;

private:
    bool atBottom() const;
    void followIfAtBottom(bool wasAtBottom);

    MessageDelegate *m_delegate;
};

} // namespace Crosstalk
