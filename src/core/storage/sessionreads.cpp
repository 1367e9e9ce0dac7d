// SPDX-License-Identifier: GPL-3.0-or-later
// SessionStore's reading of sessions and their messages: whole, by page, and one request.
#include "storage/sessionrows.h"
#include "storage/sessionstore.h"
#include "storage/sqlstatement.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Crosstalk {

using namespace StoreSql;
using namespace StoreRows;

namespace {

// The session's row and then what `more` reads of its messages into it, in one snapshot, so a
// concurrent write cannot tear them.
template<typename More>
StoreResult<Session> readSession(const QSqlDatabase &db, const QUuid &sessionId, More more)
{
    const QString what = u"loading session %1"_s.arg(idText(sessionId));
    Transaction transaction(db);
    if (auto begun = transaction.begin(Transaction::Read); !begun) {
        return begun.error();
    }
    Statement query(db, u"SELECT "_s + sessionColumns + u" FROM sessions WHERE id = :id"_s);
    query.bind(u":id"_s, idText(sessionId));
    if (!query.exec()) {
        return failure(what, query.error());
    }
    if (!query.next()) {
        return sessionNotFound(sessionId);
    }
    QStringList problems;
    Session session = sessionFrom(query, problems);
    if (!problems.isEmpty()) {
        return unreadable(what, problems);
    }
    if (auto read = more(session, what); !read) {
        return read.error();
    }
    if (auto committed = transaction.commit(); !committed) {
        return committed.error();
    }
    return session;
}

// How many messages of the session there are, before `beforeSeq` if given; the
// (session_id, seq) index answers it.
StoreResult<int> countMessages(const QSqlDatabase &db, const QUuid &sessionId,
                               std::optional<int> beforeSeq, const QString &what)
{
    Statement query(db, u"SELECT COUNT(*) FROM messages WHERE session_id = :session"_s +
                            (beforeSeq ? u" AND seq < :seq"_s : QString()));
    query.bind(u":session"_s, idText(sessionId));
    if (beforeSeq) {
        query.bind(u":seq"_s, *beforeSeq);
    }
    if (!query.exec() || !query.next()) {
        return failure(what, query.error());
    }
    return query.value(0).toInt();
}

} // namespace

StoreResult<Session> SessionStore::loadSession(const QUuid &sessionId)
{
    if (!isOpen()) {
        return notOpen();
    }
    return readSession(m_db, sessionId, [&](Session &session, const QString &) {
        auto messages = readMessages(m_db, sessionId, 0, -1);
        if (!messages) {
            return StoreResult<void>(messages.error());
        }
        session.messages = std::move(messages).value();
        return StoreResult<void>();
    });
}

StoreResult<std::optional<Session>>
SessionStore::loadSessionChangedAfter(const QUuid &sessionId, std::optional<QDateTime> since)
{
    if (!isOpen()) {
        return notOpen();
    }
    if (since) {
        Statement query(m_db, u"SELECT updated_at FROM sessions WHERE id = :id"_s);
        query.bind(u":id"_s, idText(sessionId));
        if (!query.exec()) {
            return failure(u"loading session %1"_s.arg(idText(sessionId)), query.error());
        }
        if (!query.next()) {
            return sessionNotFound(sessionId);
        }
        if (timeFrom(query.value(0)) <= *since) {
            return std::optional<Session>();
        }
    }
    auto session = loadSession(sessionId);
    if (!session) {
        return session.error();
    }
    return std::optional<Session>(std::move(session).value());
}

StoreResult<QList<Message>> SessionStore::loadMessages(const QUuid &sessionId, int offset,
                                                       int limit, Requests requests)
{
    if (!isOpen()) {
        return notOpen();
    }
    return readMessages(m_db, sessionId, offset, limit,
                        requests == Requests::Read ? StoreRows::Requests::Read
                                                   : StoreRows::Requests::Skip);
}

StoreResult<TranscriptPage> SessionStore::loadTranscriptPage(const QUuid &sessionId, int limit,
                                                             std::optional<int> aroundSeq)
{
    if (!isOpen()) {
        return notOpen();
    }
    TranscriptPage page;
    auto session = readSession(m_db, sessionId, [&](Session &s, const QString &what) {
        auto total = countMessages(m_db, sessionId, std::nullopt, what);
        if (!total) {
            return StoreResult<void>(total.error());
        }
        page.messageCount = *total;
        const int lastOffset = std::max(0, page.messageCount - limit);
        page.offset = lastOffset;
        if (aroundSeq) {
            auto before = countMessages(m_db, sessionId, aroundSeq, what);
            if (!before) {
                return StoreResult<void>(before.error());
            }
            page.offset = std::clamp(*before - limit / 2, 0, lastOffset);
        }
        auto messages =
            readMessages(m_db, sessionId, page.offset, limit, StoreRows::Requests::Skip);
        if (!messages) {
            return StoreResult<void>(messages.error());
        }
        s.messages = std::move(messages).value();
        return StoreResult<void>();
    });
    if (!session) {
        return session.error();
    }
    page.session = std::move(session).value();
    return page;
}

StoreResult<QJsonObject> SessionStore::loadRequest(const QUuid &messageId)
{
    if (!isOpen()) {
        return notOpen();
    }
    const QString what = u"loading the request of message %1"_s.arg(idText(messageId));
    Statement query(m_db, u"SELECT request FROM messages WHERE id = :id"_s);
    query.bind(u":id"_s, idText(messageId));
    if (!query.exec()) {
        return failure(what, query.error());
    }
    if (!query.next()) {
        return storeError(ErrorCode::NotFound,
                          u"No message %1."_s.arg(messageId.toString(QUuid::WithoutBraces)));
    }
    QStringList problems;
    const auto request = parseJson(query.value(0), what, problems);
    if (!problems.isEmpty()) {
        return unreadable(what, problems);
    }
    return request->object();
}

} // namespace Crosstalk
