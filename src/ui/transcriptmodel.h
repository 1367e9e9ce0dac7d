// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/session.h"
#include "engine/engineevent.h"
#include "storage/storeresult.h"

#include <QAbstractListModel>
#include <QHash>
#include <QSet>
#include <QTimer>

namespace Crosstalk {

class Engine;
struct TranscriptPage;

// The messages of one session, one row each, in transcript order. Fed from the engine's
// events while the session runs here, and from setSession() when it is opened or when another
// process changed it. While a reply streams, its deltas are gathered and applied at most
// maxUpdatesPerSecond times a second, each application emitting dataChanged for that row and
// ContentRole only.
//
// A session the engine does not hold is read from the store a page at a time (openStored()):
// every message has its row at once, so a view's scroll bar spans the whole transcript, but
// a row not read yet holds an empty message (isLoaded() false) until its page comes; stored
// requests are read one at a time, when asked for (fetchRequest()).
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
        // QString: ModelRef::label(), "Demo (offline, scripted)" for the demo model; for a
        // human message whom it was for ("to Alice, Bob", "to everyone"); an edited reply
        // says the model wrote only its first version.
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
        // QDateTime (UTC) a person last edited the text, invalid when never.
        EditedRole,
        // QString: an edited message's text before its first edit; empty when never edited.
        OriginalContentRole,
    };
    Q_ENUM(Role)

    explicit TranscriptModel(Engine *engine, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Shows `session`. For the session already shown, only what changed is signalled, so a
    // view keeps its place and selection.
    void setSession(const Session &session);
    // Shows the stored session `id`, read on the store's reader thread: first the page of
    // its last messages (or of those around the message of `aroundSeq`), then the rest, a page
    // at a time. opened() or openFailed() tell how the first page went.
    void openStored(const QUuid &id, std::optional<int> aroundSeq = std::nullopt);
    // Reads the stored session shown again (another process changed it), keeping the rows
    // that did not change.
    void reloadStored();
    void clear();
    bool isLoaded(int row) const { return !m_session.messages.at(row).id.isNull(); }
    // Rows still waiting for their page.
    int unloadedRows() const { return m_unloaded; }
    // The row of the message of `seq` among those read, or -1.
    int rowOfSeq(int seq) const;
    // Reads the stored request of the message of `row` if this model lacks it; dataChanged()
    // with RequestRole says when it is in.
    void fetchRequest(int row);
    QUuid sessionId() const { return m_session.id; }
    // The message of `row`, for a delegate that measures every row at each layout: its
    // fields without a QVariant for each.
    const Message &message(int row) const { return m_session.messages.at(row); }
    bool firstOfRound(int row) const;
    const Session &session() const { return m_session; }

Q_SIGNALS:
    // The session's status, result or usage changed (from an engine event).
    void sessionChanged();
    // openStored() shows the session's first page; `row` is the message of `aroundSeq`, or -1
    // for the end.
    void opened(const QUuid &sessionId, int row);
    void openFailed(const QUuid &sessionId, const Crosstalk::Error &error);
    // A page of rows not read before is in; with unloadedRows() zero, the whole transcript.
    void pageLoaded();

private:
    static constexpr int firstPageSize = 60;
    static constexpr int pageSize = 1000;

    void onEngineEvent(const EngineEvent &event);
    void showPage(const TranscriptPage &page);
    // Reads the next page of rows not read yet: older ones first, then newer.
    void loadNextPage();
    // Which rows fill() replaces: every one that differs, or only those not read yet.
    enum class Rows
    {
        Changed,
        Unread,
    };
    void fill(int row, const QList<Message> &messages, Rows rows = Rows::Changed);
    void indexRows(int from);
    void flushDeltas();
    void upsert(const Message &message);
    int rowOf(const QUuid &messageId) const;

    Engine *m_engine;
    Session m_session;
    QHash<QUuid, int> m_rowById;
    // Streamed text not applied yet, per message.
    QHash<QUuid, QString> m_pending;
    QTimer m_flushTimer;
    int m_unloaded = 0;
    // The rows [m_loadedFrom, m_loadedTo) of a stored session have been read.
    int m_loadedFrom = 0;
    int m_loadedTo = 0;
    // Each opening or clearing starts a new one; reads answering an older one are dropped.
    quint64 m_generation = 0;
    QSet<QUuid> m_requestsAsked;
};

} // namespace Crosstalk
