// SPDX-License-Identifier: GPL-3.0-or-later
#include "transcriptmodel.h"

#include "engine/engine.h"
#include "storage/sessionstore.h"
#include "storage/storeworker.h"

using namespace Qt::StringLiterals;

namespace Crosstalk {

TranscriptModel::TranscriptModel(Engine *engine, QObject *parent)
    : QAbstractListModel(parent)
    , m_engine(engine)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(1000 / maxUpdatesPerSecond);
    connect(&m_flushTimer, &QTimer::timeout, this, &TranscriptModel::flushDeltas);
    connect(engine, &Engine::event, this, &TranscriptModel::onEngineEvent);
}

int TranscriptModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_session.messages.size());
}

bool TranscriptModel::firstOfRound(int row) const
{
    return row == 0 || m_session.messages.at(row - 1).round != m_session.messages.at(row).round;
}

QVariant TranscriptModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Message &m = m_session.messages.at(index.row());
    const auto optional = [](const auto &value) {
        return value ? QVariant::fromValue(*value) : QVariant();
    };
    switch (role) {
    case Qt::DisplayRole:
    case ContentRole:
        return m.content;
    case Qt::AccessibleTextRole:
        return m.isEdited() ? tr("%1 (edited): %2").arg(m.speaker, m.content)
                            : tr("%1: %2").arg(m.speaker, m.content);
    case IdRole:
        return m.id;
    case SpeakerRole:
        return m.speaker;
    case SpeakerColourRole:
        for (qsizetype i = 0; i < m_session.participants.size(); ++i) {
            const Participant &p = m_session.participants.at(i);
            if (p.name == m.speaker)
                return p.colour.isValid() ? p.colour : Participant::defaultColour(i);
        }
        return QColor();
    case ModelLabelRole:
        // Beside the name: the model that wrote it, or whom a human message was for.
        if (m.type == MessageType::Human)
            return m.recipients.isEmpty() ? tr("to everyone")
                                          : tr("to %1").arg(m.recipients.join(u", "_s));
        if (m.model && m.isEdited())
            return tr("edited; first written by %1").arg(m.model->label());
        return m.model ? m.model->label() : QString();
    case StatusRole:
        return QVariant::fromValue(m.status);
    case TypeRole:
        return QVariant::fromValue(m.type);
    case RoundRole:
        return m.round;
    case FirstOfRoundRole:
        return firstOfRound(index.row());
    case RoundHeadingRole:
        if (!firstOfRound(index.row()))
            return QString();
        if (m.type == MessageType::Verdict)
            return tr("Verdict");
        return tr("Round %1 of %2").arg(m.round + 1).arg(m_session.rounds);
    case TokensRole:
        return m.usage.tokensOut;
    case TtftRole:
        return optional(m.ttftMs);
    case DurationRole:
        return optional(m.durationMs);
    case AnswerRole:
        return optional(m.answer);
    case ConfidenceRole:
        return optional(m.confidence);
    case ErrorRole:
        return m.error;
    case RequestRole:
        return m.request;
    case EditedRole:
        return m.editedAt;
    case OriginalContentRole:
        return m.originalContent;
    default:
        return {};
    }
}

QHash<int, QByteArray> TranscriptModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert({{IdRole, "id"},
                  {SpeakerRole, "speaker"},
                  {SpeakerColourRole, "speakerColour"},
                  {ModelLabelRole, "modelLabel"},
                  {ContentRole, "content"},
                  {StatusRole, "status"},
                  {TypeRole, "type"},
                  {RoundRole, "round"},
                  {FirstOfRoundRole, "firstOfRound"},
                  {RoundHeadingRole, "roundHeading"},
                  {TokensRole, "tokens"},
                  {TtftRole, "ttft"},
                  {DurationRole, "duration"},
                  {AnswerRole, "answer"},
                  {ConfidenceRole, "confidence"},
                  {ErrorRole, "error"},
                  {RequestRole, "request"},
                  {EditedRole, "edited"},
                  {OriginalContentRole, "originalContent"}});
    return names;
}

void TranscriptModel::clear()
{
    beginResetModel();
    m_session = Session();
    m_rowById.clear();
    m_pending.clear();
    m_requestsAsked.clear();
    m_unloaded = 0;
    ++m_generation;
    endResetModel();
    Q_EMIT sessionChanged();
}

void TranscriptModel::setSession(const Session &session)
{
    m_pending.clear();
    // This copy is whole: pages still being read for the rows shown before are not needed.
    ++m_generation;
    const bool sameSession = session.id == m_session.id;
    // Rows not read yet match whatever message comes for them.
    bool isExtension = sameSession && session.messages.size() >= m_session.messages.size();
    for (qsizetype i = 0; isExtension && i < m_session.messages.size(); ++i)
        isExtension = !isLoaded(int(i)) || session.messages.at(i).id == m_session.messages.at(i).id;
    if (!isExtension) {
        beginResetModel();
        m_session = session;
        m_unloaded = 0;
        m_requestsAsked.clear();
        ++m_generation;
        m_rowById.clear();
        indexRows(0);
        endResetModel();
        Q_EMIT sessionChanged();
        return;
    }
    QList<Message> messages = session.messages;
    messages.resize(m_session.messages.size());
    Session header = session;
    header.messages = std::move(m_session.messages);
    m_session = std::move(header);
    fill(0, messages);
    if (session.messages.size() > m_session.messages.size()) {
        const int oldCount = int(m_session.messages.size());
        beginInsertRows({}, oldCount, int(session.messages.size()) - 1);
        m_session.messages.append(session.messages.mid(oldCount));
        indexRows(oldCount);
        endInsertRows();
    }
    Q_EMIT sessionChanged();
}

void TranscriptModel::indexRows(int from)
{
    for (int i = from; i < m_session.messages.size(); ++i)
        if (isLoaded(i))
            m_rowById.insert(m_session.messages.at(i).id, i);
}

void TranscriptModel::fill(int row, const QList<Message> &messages, Rows rows)
{
    int firstChanged = -1;
    int lastChanged = -1;
    for (int i = 0; i < messages.size() && row + i < m_session.messages.size(); ++i) {
        Message incoming = messages.at(i);
        Message &current = m_session.messages[row + i];
        if (rows == Rows::Unread && !current.id.isNull())
            continue;
        // A page carries no requests: one read before stays.
        if (incoming.request.isEmpty() && incoming.id == current.id)
            incoming.request = current.request;
        if (incoming == current)
            continue;
        if (current.id.isNull())
            --m_unloaded;
        else if (current.id != incoming.id)
            m_rowById.remove(current.id);
        current = std::move(incoming);
        m_rowById.insert(current.id, row + i);
        if (firstChanged < 0)
            firstChanged = row + i;
        lastChanged = row + i;
    }
    if (firstChanged < 0)
        return;
    Q_EMIT dataChanged(index(firstChanged), index(lastChanged));
    // The row after may have stopped being the first of its round.
    if (lastChanged + 1 < m_session.messages.size())
        Q_EMIT dataChanged(index(lastChanged + 1), index(lastChanged + 1),
                           {FirstOfRoundRole, RoundHeadingRole});
}

void TranscriptModel::openStored(const QUuid &id, std::optional<int> aroundSeq)
{
    clear();
    StoreWorker *reader = m_engine->reader();
    if (!reader) {
        Q_EMIT openFailed(id,
                          Error{ErrorCode::StorageError, tr("The session store is not open."), {}});
        return;
    }
    reader->submit(
        this,
        [id, aroundSeq](SessionStore &store) {
            return store.loadTranscriptPage(id, firstPageSize, aroundSeq);
        },
        [this, id, aroundSeq, generation = m_generation](const StoreResult<TranscriptPage> &page) {
            if (generation != m_generation)
                return;
            if (!page) {
                Q_EMIT openFailed(id, page.error());
                return;
            }
            showPage(*page);
            Q_EMIT opened(id, aroundSeq ? rowOfSeq(*aroundSeq) : -1);
            loadNextPage();
        });
}

void TranscriptModel::showPage(const TranscriptPage &page)
{
    beginResetModel();
    m_session = page.session;
    m_session.messages = QList<Message>(page.messageCount);
    for (int i = 0; i < page.session.messages.size() && page.offset + i < page.messageCount; ++i)
        m_session.messages[page.offset + i] = page.session.messages.at(i);
    m_unloaded = page.messageCount - int(page.session.messages.size());
    m_loadedFrom = page.offset;
    m_loadedTo = page.offset + int(page.session.messages.size());
    m_rowById.clear();
    indexRows(m_loadedFrom);
    endResetModel();
    Q_EMIT sessionChanged();
}

void TranscriptModel::loadNextPage()
{
    StoreWorker *reader = m_engine->reader();
    if (m_unloaded <= 0 || !reader)
        return;
    const bool older = m_loadedFrom > 0;
    const int from = older ? std::max(0, m_loadedFrom - pageSize) : m_loadedTo;
    const int count = older ? m_loadedFrom - from : pageSize;
    reader->submit(
        this,
        [id = m_session.id, from, count](SessionStore &store) {
            return store.loadMessages(id, from, count, SessionStore::Requests::Skip);
        },
        [this, from, older, generation = m_generation](const StoreResult<QList<Message>> &page) {
            if (generation != m_generation || !page)
                return;
            // Rows the engine's events brought meanwhile are newer than the store's.
            fill(from, *page, Rows::Unread);
            if (older)
                m_loadedFrom = from;
            else
                m_loadedTo = from + int(page->size());
            Q_EMIT pageLoaded();
            // A short page at the end: the store holds fewer than the rows (a message went).
            if (!older && page->isEmpty())
                return;
            loadNextPage();
        });
}

void TranscriptModel::reloadStored()
{
    StoreWorker *reader = m_engine->reader();
    if (m_session.id.isNull() || !reader)
        return;
    reader->submit(
        this,
        [id = m_session.id](SessionStore &store) {
            return store.loadTranscriptPage(id, firstPageSize);
        },
        [this, generation = m_generation](const StoreResult<TranscriptPage> &page) {
            if (generation != m_generation || !page)
                return;
            const int rows = int(m_session.messages.size());
            if (page->messageCount < rows) {
                openStored(m_session.id); // messages went: show it afresh
                return;
            }
            QList<Message> messages = std::move(m_session.messages);
            m_session = page->session;
            m_session.messages = std::move(messages);
            if (page->messageCount > rows) {
                beginInsertRows({}, rows, page->messageCount - 1);
                m_session.messages.resize(page->messageCount);
                m_unloaded += page->messageCount - rows;
                endInsertRows();
            }
            fill(page->offset, page->session.messages);
            m_loadedTo = std::max(m_loadedTo, page->offset + int(page->session.messages.size()));
            Q_EMIT sessionChanged();
            loadNextPage();
        });
}

int TranscriptModel::rowOfSeq(int seq) const
{
    for (int i = int(m_session.messages.size()) - 1; i >= 0; --i)
        if (isLoaded(i) && m_session.messages.at(i).seq == seq)
            return i;
    return -1;
}

void TranscriptModel::fetchRequest(int row)
{
    StoreWorker *reader = m_engine->reader();
    if (row < 0 || row >= m_session.messages.size() || !isLoaded(row) || !reader)
        return;
    const Message &message = m_session.messages.at(row);
    if (!message.request.isEmpty() || message.status == MessageStatus::Streaming ||
        m_requestsAsked.contains(message.id))
        return;
    m_requestsAsked.insert(message.id);
    reader->submit(
        this, [id = message.id](SessionStore &store) { return store.loadRequest(id); },
        [this, id = message.id,
         generation = m_generation](const StoreResult<QJsonObject> &request) {
            const int at = rowOf(id);
            if (generation != m_generation || !request || request->isEmpty() || at < 0)
                return;
            m_session.messages[at].request = *request;
            Q_EMIT dataChanged(index(at), index(at), {RequestRole});
        });
}

int TranscriptModel::rowOf(const QUuid &messageId) const
{
    return m_rowById.value(messageId, -1);
}

void TranscriptModel::upsert(const Message &message)
{
    m_pending.remove(message.id);
    const int row = rowOf(message.id);
    if (row >= 0) {
        m_session.messages[row] = message;
        Q_EMIT dataChanged(index(row), index(row));
        return;
    }
    // Messages arrive in seq order except in parallel rounds, where replies start together
    // and take their seq at start; keep the transcript sorted by seq either way.
    int at = int(m_session.messages.size());
    while (at > 0 && m_session.messages.at(at - 1).seq > message.seq)
        --at;
    beginInsertRows({}, at, at);
    m_session.messages.insert(at, message);
    for (int i = at; i < m_session.messages.size(); ++i)
        m_rowById.insert(m_session.messages.at(i).id, i);
    endInsertRows();
    // The row after it may have stopped being the first of its round.
    if (at + 1 < m_session.messages.size())
        Q_EMIT dataChanged(index(at + 1), index(at + 1), {FirstOfRoundRole, RoundHeadingRole});
}

void TranscriptModel::onEngineEvent(const EngineEvent &event)
{
    if (event.sessionId != m_session.id || m_session.id.isNull())
        return;
    switch (event.type) {
    case EngineEventType::MessageDelta:
        if (rowOf(event.messageId) < 0)
            return;
        m_pending[event.messageId] += event.text;
        if (!m_flushTimer.isActive())
            m_flushTimer.start();
        return;
    case EngineEventType::MessageStarted:
    case EngineEventType::MessageCompleted:
    case EngineEventType::MessageFailed:
        upsert(event.message);
        break;
    case EngineEventType::SessionDeleted:
        clear();
        return;
    default:
        break;
    }
    // The session's own fields (title, participants, status, usage, result) as the engine
    // holds them now.
    if (const Session *current = m_engine->session(m_session.id)) {
        m_session.title = current->title;
        m_session.participants = current->participants;
        m_session.status = current->status;
        m_session.usage = current->usage;
        m_session.result = current->result;
        m_session.updatedAt = current->updatedAt;
    }
    Q_EMIT sessionChanged();
}

void TranscriptModel::flushDeltas()
{
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
        const int row = rowOf(it.key());
        if (row < 0)
            continue;
        m_session.messages[row].content += it.value();
        Q_EMIT dataChanged(index(row), index(row), {ContentRole});
    }
    m_pending.clear();
}

} // namespace Crosstalk
