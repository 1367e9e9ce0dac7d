// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/session.h"
#include "engine/engineevent.h"

#include <QAbstractListModel>
#include <QHash>
#include <QTimer>

namespace Crosstalk {

class Engine;

// The messages of one session, one row each, in transcript order. Fed from the engine's
// events while the session runs here, and from setSession() when it is opened or when another
// process changed it. While a reply streams, its deltas are gathered and applied at most
// maxUpdatesPerSecond times a second, each application emitting dataChanged for that row and
// ContentRole only.
class TranscriptModel : public QAbstractListModel
{
    Q_OBJECT

public:
    static constexpr int maxUpdatesPerSecond = 60;

    enum Role
    {
        // QUuid of the message.
        IdRole = Qt::UserRole + 1,
        // QString: the participant's name, "human" or "moderator".
        SpeakerRole,
        // QColor: the participant's colour (invalid for speakers that are not participants).
        SpeakerColourRole,
        // QString: ModelRef::label(), "Demo (offline, scripted)" for the demo model; empty for
        // human messages.
        ModelLabelRole,
        // QString: the text so far; also Qt::DisplayRole.
        ContentRole,
        // Crosstalk::MessageStatus.
        StatusRole,
        // Crosstalk::MessageType.
        TypeRole,
        // int, 0-based (round 0 holds the openings).
        RoundRole,
        // bool: the first message of its round, so a view draws a separator above it.
        FirstOfRoundRole,
        // QString: "Round 2 of 5" on the first message of a round, empty on the others.
        RoundHeadingRole,
        // qint64: output tokens.
        TokensRole,
        // QVariant: qint64 milliseconds to the first token, or null.
        TtftRole,
        // QVariant: qint64 milliseconds the reply took, or null.
        DurationRole,
        // QVariant: the answer-mode answer (QString), or null.
        AnswerRole,
        // QVariant: the answer-mode confidence (double, 0–1), or null.
        ConfidenceRole,
        // QString: the provider's error of a failed message.
        ErrorRole,
        // QJsonObject: the stored request, keys removed.
        RequestRole,
    };
    Q_ENUM(Role)

    explicit TranscriptModel(Engine *engine, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Shows `session`. For the session already shown, only what changed is signalled, so a
    // view keeps its place and selection.
    void setSession(const Session &session);
    void clear();
    QUuid sessionId() const { return m_session.id; }
    // The message of `row`, for a delegate that measures every row at each layout: its
    // fields without a QVariant for each.
    const Message &message(int row) const { return m_session.messages.at(row); }
    bool firstOfRound(int row) const;
    const Session &session() const { return m_session; }

Q_SIGNALS:
    // The session's status, result or usage changed (from an engine event).
    void sessionChanged();

private:
    void onEngineEvent(const EngineEvent &event);
    void flushDeltas();
    void upsert(const Message &message);
    int rowOf(const QUuid &messageId) const;

    Engine *m_engine;
    Session m_session;
    QHash<QUuid, int> m_rowById;
    // Streamed text not applied yet, per message.
    QHash<QUuid, QString> m_pending;
    QTimer m_flushTimer;
};

} // namespace Crosstalk
