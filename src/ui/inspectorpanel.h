// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QModelIndex;
class QPlainTextEdit;

namespace Crosstalk {

// The Inspector panel: what exactly was sent for the message chosen in the transcript (the
// stored request, keys removed, as indented JSON), and a button that copies it.
class InspectorPanel : public QWidget
{
    Q_OBJECT

public:
    explicit InspectorPanel(QWidget *parent = nullptr);

    // Shows the stored request of the transcript's message at `index`; nothing when it has none.
    void showRequestOf(const QModelIndex &index);

private:
    QPlainTextEdit *m_text;
};

} // namespace Crosstalk
