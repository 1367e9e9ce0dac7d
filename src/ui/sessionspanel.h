// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QTimer>
#include <QUuid>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;

namespace Crosstalk {

class Engine;
class SessionListModel;

// The Sessions panel: a search box, a status filter and an order above the list of sessions.
// Titles and topics match the search as substrings; sessions whose messages contain every word
// of it are added from the store's full-text index.
class SessionsPanel : public QWidget
{
    Q_OBJECT

public:
    SessionsPanel(Engine *engine, SessionListModel *sessions, QWidget *parent = nullptr);

    QListView *sessionList() const { return m_list; }
    // Marks the session's row as chosen, without announcing it: the session is shown already.
    void select(const QUuid &id);
    // Puts the cursor into the search box, its text selected.
    void focusSearch();
    // The seq of the newest message of the session that the search text matched, if any: the
    // session opens there.
    std::optional<int> hitIn(const QUuid &id) const;

Q_SIGNALS:
    // The user chose a session in the list.
    void sessionChosen(const QUuid &id);
    // The context menu of the chosen session, at this point of the screen.
    void contextMenuRequested(const QPoint &globalPosition);

private:
    void applyFilter();
    void updateEmptyState();
    void onCurrentChanged();
    void onContextMenu(const QPoint &position);

    Engine *m_engine;
    SessionListModel *m_sessions;
    int m_searches = 0;
    QHash<QUuid, int> m_hitSeq;
    QLineEdit *m_search = nullptr;
    QComboBox *m_statusFilter = nullptr;
    QComboBox *m_sort = nullptr;
    QListView *m_list = nullptr;
    QLabel *m_empty = nullptr;
    QTimer m_searchDelay;
};

} // namespace Crosstalk
