// SPDX-License-Identifier: GPL-3.0-or-later
#include "sessionlistmodel.h"

#include "engine/engine.h"
#include "storage/storeworker.h"

#include <QTextDocument>

using namespace Qt::StringLiterals;

namespace Crosstalk {

SessionListModel::SessionListModel(Engine *engine, QObject *parent)
    : QAbstractListModel(parent)
    , m_engine(engine)
{
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(100);
    connect(&m_refreshTimer, &QTimer::timeout, this, &SessionListModel::refresh);
    connect(engine, &Engine::event, this, &SessionListModel::onEngineEvent);
    refresh();
}

int SessionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant SessionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const SessionSummary &s = row.summary;
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        return s.title;
    case Qt::ToolTipRole: {
        // A tooltip that looks like HTML is shown as rich text: a topic shows as written.
        QString tip = s.topic;
        if (const QString fork = forkNote(s); !fork.isEmpty())
            tip += u"\n\n"_s + fork.at(0).toUpper() + fork.mid(1) + u'.';
        QString snippet = m_snippets.value(s.id);
        snippet.remove(SearchHit::matchStart).remove(SearchHit::matchEnd);
        if (!snippet.isEmpty())
            tip += u"\n\n"_s + tr("Match: %1").arg(snippet);
        return Qt::convertFromPlainText(tip);
    }
    case SnippetRole:
        return m_snippets.value(s.id);
    case ForkNoteRole:
        return forkNote(s);
    case TopicRole:
        return s.topic;
    case Qt::AccessibleTextRole:
        return tr("%1, %2").arg(s.title, enumToString(s.status));
    case IdRole:
        return s.id;
    case ParadigmRole:
        return QVariant::fromValue(s.paradigm);
    case StatusRole:
        return QVariant::fromValue(s.status);
    case RoundsRole:
        return s.rounds;
    case CompletedRoundsRole:
        return s.completedRounds;
    case MessageCountRole:
        return s.messageCount;
    case UpdatedRole:
        return s.updatedAt;
    case RunningElsewhereRole:
        return row.runningElsewhere;
    default:
        return {};
    }
}

QString SessionListModel::forkNote(const SessionSummary &summary)
{
    if (!summary.forkedFrom)
        return QString();
    const SessionSummary::Origin &origin = *summary.forkedFrom;
    // The original may have been deleted, or the fork imported from another store.
    if (origin.title.isEmpty())
        return tr("fork of a session that is not in the list");
    return origin.messageNumber > 0
               ? tr("fork of “%1”, at message %2").arg(origin.title).arg(origin.messageNumber)
               : tr("fork of “%1”").arg(origin.title);
}

QHash<int, QByteArray> SessionListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert({{IdRole, "id"},
                  {TitleRole, "title"},
                  {TopicRole, "topic"},
                  {ParadigmRole, "paradigm"},
                  {StatusRole, "status"},
                  {RoundsRole, "rounds"},
                  {CompletedRoundsRole, "completedRounds"},
                  {MessageCountRole, "messageCount"},
                  {UpdatedRole, "updated"},
                  {RunningElsewhereRole, "runningElsewhere"},
                  {SnippetRole, "snippet"},
                  {ForkNoteRole, "forkNote"}});
    return names;
}

void SessionListModel::setFilter(const SessionFilter &filter)
{
    m_filter = filter;
    refresh();
}

void SessionListModel::setOnly(const std::optional<QList<QUuid>> &ids,
                               const QHash<QUuid, QString> &snippets)
{
    m_only = ids;
    if (m_snippets != snippets) {
        m_snippets = snippets;
        // Rows that stay say where they now match (and take a line more or less).
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1),
                               {SnippetRole, Qt::ToolTipRole, Qt::SizeHintRole});
    }
    refresh();
}

int SessionListModel::rowOf(const QUuid &id) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).summary.id == id)
            return i;
    return -1;
}

void SessionListModel::refresh()
{
    m_refreshTimer.stop();
    StoreWorker *reader = m_engine->reader();
    if (!reader)
        return;
    // One read at a time: what changes while it runs is read once it is in.
    if (m_reading) {
        m_readAgain = true;
        return;
    }
    m_reading = true;
    const QList<QUuid> inEngine = m_engine->sessionIds();
    reader->submit(
        this,
        [filter = m_filter, here = m_runningHere,
         engineHolds = QSet<QUuid>(inEngine.begin(), inEngine.end())](
            SessionStore &store) -> StoreResult<Listing> {
            StoreResult<SessionList> listed = store.listSessions(filter);
            if (!listed)
                return listed.error();
            Listing listing{std::move(listed).value(), {}};
            // Only a running session can run elsewhere; asking for every row would cost a
            // query per stored session.
            for (const SessionSummary &summary : std::as_const(listing.list.sessions))
                if (summary.status == SessionStatus::Running && !here.contains(summary.id))
                    if (auto holder = store.leaseHolder(summary.id); holder && holder->has_value())
                        // The engine's own lease outlives its run by a store write or two.
                        if (!(*holder)->isThisProcess() || !engineHolds.contains(summary.id))
                            listing.elsewhere.insert(summary.id, (*holder)->description());
            return listing;
        },
        [this](StoreResult<Listing> listing) {
            m_reading = false;
            if (m_readAgain) {
                m_readAgain = false;
                refresh();
                return;
            }
            show(listing);
        });
}

void SessionListModel::show(const StoreResult<Listing> &listing)
{
    if (!listing) {
        m_error = listing.error().message;
        Q_EMIT refreshed();
        return;
    }
    m_error.clear();
    const QSet<QUuid> only = m_only ? QSet<QUuid>(m_only->begin(), m_only->end()) : QSet<QUuid>();
    QList<Row> rows;
    rows.reserve(listing->list.sessions.size());
    for (const SessionSummary &summary : std::as_const(listing->list.sessions)) {
        if (m_only && !only.contains(summary.id))
            continue;
        rows.append(Row{summary, listing->elsewhere.value(summary.id)});
    }

    bool sameIds = rows.size() == m_rows.size();
    for (qsizetype i = 0; sameIds && i < rows.size(); ++i)
        sameIds = rows.at(i).summary.id == m_rows.at(i).summary.id;
    if (!sameIds) {
        beginResetModel();
        m_rows = rows;
        endResetModel();
        Q_EMIT refreshed();
        return;
    }
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (rows.at(i) == m_rows.at(i))
            continue;
        m_rows[i] = rows.at(i);
        Q_EMIT dataChanged(index(int(i)), index(int(i)));
    }
    Q_EMIT refreshed();
}

void SessionListModel::onEngineEvent(const EngineEvent &event)
{
    if (event.type == EngineEventType::SessionStatus) {
        if (event.newStatus == SessionStatus::Running)
            m_runningHere.insert(event.sessionId);
        else
            m_runningHere.remove(event.sessionId);
    } else if (event.type == EngineEventType::SessionDeleted) {
        m_runningHere.remove(event.sessionId);
    }
    // Deltas change nothing the list shows; everything else may change a row or the order.
    if (event.type == EngineEventType::MessageDelta)
        return;
    if (!m_refreshTimer.isActive())
        m_refreshTimer.start();
}

} // namespace Crosstalk
