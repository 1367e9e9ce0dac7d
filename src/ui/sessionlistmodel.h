// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/engineevent.h"
#include "storage/sessionstore.h"

#include <QAbstractListModel>
#include <QSet>
#include <QTimer>

namespace Crosstalk {

class Engine;

// The stored sessions as the session list shows them: a page of SessionStore::listSessions
// under the current filter, kept current from this process's engine events and from writes
// by other processes (refresh() on StoreWatcher::changed()). Reads no messages.
class SessionListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role
    {
        // QUuid of the session.
        IdRole = Qt::UserRole + 1,
        // QString; also Qt::DisplayRole.
        TitleRole,
        // QString.
        TopicRole,
        // Crosstalk::Paradigm.
        ParadigmRole,
        // Crosstalk::SessionStatus.
        StatusRole,
        // int: rounds configured, openings included.
        RoundsRole,
        // int: rounds every participant finished.
        CompletedRoundsRole,
        // int.
        MessageCountRole,
        // QDateTime (UTC) of the last change.
        UpdatedRole,
        // QString: "crosstalk serve (pid 42 on laptop)" when another process runs the
        // session, empty otherwise.
        RunningElsewhereRole,
        // QString: where the search matched, the matched words between SearchHit::matchStart
        // and matchEnd; empty without a search, or when only the title or topic matched.
        SnippetRole,
        // QString: "fork of “Title”, at message 4" for a fork, empty for other sessions.
        ForkNoteRole,
    };
    Q_ENUM(Role)

    SessionListModel(Engine *engine, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setFilter(const SessionFilter &filter);
    SessionFilter filter() const { return m_filter; }
    // Restricts the list to these sessions (full-text search hits), each with where it
    // matched (SnippetRole); nullopt lifts it.
    void setOnly(const std::optional<QList<QUuid>> &ids,
                 const QHash<QUuid, QString> &snippets = {});

    // Reads the list again on the store's reader thread; rows whose session is unchanged emit
    // nothing. refreshed() says when the rows are in.
    void refresh();
    int rowOf(const QUuid &id) const;
    // Whether this process's engine runs the session now. A session loaded from the store
    // while another process ran it reads `running` too, so the engine's copy cannot tell.
    bool runsHere(const QUuid &id) const { return m_runningHere.contains(id); }
    QString errorString() const { return m_error; }

Q_SIGNALS:
    // A refresh() is done: the rows are as the store had them (or errorString() says why not).
    void refreshed();

private:
    struct Row
    {
        SessionSummary summary;
        QString runningElsewhere;
        bool operator==(const Row &) const = default;
    };

    // What a read found: the list, and who runs the running sessions that do not run here.
    struct Listing
    {
        SessionList list;
        QHash<QUuid, QString> elsewhere;
    };
    void show(const StoreResult<Listing> &listing);
    static QString forkNote(const SessionSummary &summary);
    void onEngineEvent(const EngineEvent &event);

    Engine *m_engine;
    SessionFilter m_filter;
    std::optional<QList<QUuid>> m_only;
    QHash<QUuid, QString> m_snippets;
    QList<Row> m_rows;
    QSet<QUuid> m_runningHere;
    QString m_error;
    bool m_reading = false;
    bool m_readAgain = false;
    // Engine events arrive in bursts (every message of a parallel round); one read serves them.
    QTimer m_refreshTimer;
};

} // namespace Crosstalk
