// SPDX-License-Identifier: GPL-3.0-or-later
#include "transcriptmodel.h"

#include "engine/engine.h"

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
        return tr("%1: %2").arg(m.speaker, m.content);
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
                  {RequestRole, "request"}});
    return names;
}

void TranscriptModel::clear()
{
    beginResetModel();
    m_session = Session();
    m_rowById.clear();
    m_pending.clear();
    endResetModel();
    Q_EMIT sessionChanged();
}

void TranscriptModel::setSession(const Session &session)
{
    m_pending.clear();
    const bool sameSession = session.id == m_session.id;
    bool isExtension = sameSession && session.messages.size() >= m_session.messages.size();
    for (qsizetype i = 0; isExtension && i < m_session.messages.size(); ++i)
        isExtension = session.messages.at(i).id == m_session.messages.at(i).id;
    if (!isExtension) {
        beginResetModel();
        m_session = session;
        m_rowById.clear();
        for (int i = 0; i < m_session.messages.size(); ++i)
            m_rowById.insert(m_session.messages.at(i).id, i);
        endResetModel();
        Q_EMIT sessionChanged();
        return;
    }
    const QList<Message> old = m_session.messages;
    const int oldCount = int(old.size());
    QList<Message> messages = session.messages;
    m_session = session;
    m_session.messages = old;
    for (int i = 0; i < oldCount; ++i) {
        if (messages.at(i) == old.at(i))
            continue;
        m_session.messages[i] = messages.at(i);
        Q_EMIT dataChanged(index(i), index(i));
    }
    if (messages.size() > oldCount) {
        beginInsertRows({}, oldCount, int(messages.size()) - 1);
        for (int i = oldCount; i < messages.size(); ++i) {
            m_session.messages.append(messages.at(i));
            m_rowById.insert(messages.at(i).id, i);
        }
        endInsertRows();
    }
    Q_EMIT sessionChanged();
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
