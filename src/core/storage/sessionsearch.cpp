// SPDX-License-Identifier: GPL-3.0-or-later
// SessionStore's listing and full-text search.
#include "storage/sessionrows.h"
#include "storage/sessionstore.h"
#include "storage/sqlstatement.h"

#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Crosstalk {

using namespace StoreSql;
using namespace StoreRows;

namespace {

// Quotes every word as an FTS5 string, so operators and punctuation in user text are plain
// text; a trailing * stays outside the quotes and makes a prefix query.
QString matchExpression(const QString &query)
{
    static const QRegularExpression whitespace(u"\\s+"_s);
    QStringList terms;
    for (QString word : query.split(whitespace, Qt::SkipEmptyParts)) {
        const bool prefix = word.endsWith(u'*');
        word.remove(u'*');
        // A word of punctuation or emoji alone has no tokens, and an empty phrase would make
        // the whole query match nothing.
        if (std::none_of(word.cbegin(), word.cend(),
                         [](QChar c) { return c.isLetterOrNumber(); })) {
            continue;
        }
        word.replace(u'"', u"\"\""_s);
        terms.append(u'"' + word + u'"' + (prefix ? u"*"_s : QString()));
    }
    return terms.join(u' ');
}

} // namespace

StoreResult<SessionList> SessionStore::listSessions(const SessionFilter &filter)
{
    if (!isOpen()) {
        return notOpen();
    }
    const QString what = u"listing sessions"_s;
    QStringList conditions;
    if (!filter.text.isEmpty()) {
        conditions.append(u"instr(search_text, :text) > 0"_s);
    }
    if (!filter.statuses.isEmpty()) {
        QStringList names;
        for (qsizetype i = 0; i < filter.statuses.size(); ++i) {
            names.append(u":status%1"_s.arg(i));
        }
        conditions.append(u"status IN (%1)"_s.arg(names.join(u", "_s)));
    }
    const QString where =
        conditions.isEmpty() ? QString() : u" WHERE "_s + conditions.join(u" AND "_s);
    auto bindFilter = [&filter](Statement &statement) {
        if (!filter.text.isEmpty()) {
            statement.bind(u":text"_s, filter.text.toCaseFolded());
        }
        for (qsizetype i = 0; i < filter.statuses.size(); ++i) {
            statement.bind(u":status%1"_s.arg(i), enumToString(filter.statuses[i]));
        }
    };

    Transaction transaction(m_db);
    if (auto begun = transaction.begin(Transaction::Read); !begun) {
        return begun.error();
    }
    SessionList list;
    {
        Statement count(m_db, u"SELECT COUNT(*) FROM sessions"_s + where);
        bindFilter(count);
        if (!count.exec() || !count.next()) {
            return failure(what, count.error());
        }
        list.total = count.value(0).toInt();
    }
    const QString order = filter.sort == SessionSort::UpdatedAscending
                              ? u" ORDER BY updated_at ASC, id ASC"_s
                              : u" ORDER BY updated_at DESC, id DESC"_s;
    // A fork's origin is looked up as it is now: it may have been renamed or deleted since.
    Statement query(m_db, u"SELECT id, title, topic, paradigm, status, rounds, completed_rounds, "
                          "message_count, tokens_in, tokens_out, usage_estimated, cost, "
                          "created_at, updated_at, participants, forked_from_session, "
                          "(SELECT origin.title FROM sessions origin "
                          "WHERE origin.id = sessions.forked_from_session), "
                          "(SELECT COUNT(*) FROM messages earlier, messages at "
                          "WHERE at.id = sessions.forked_from_message "
                          "AND earlier.session_id = at.session_id AND earlier.seq <= at.seq) "
                          "FROM sessions"_s +
                              where + order + u" LIMIT :limit OFFSET :offset"_s);
    bindFilter(query);
    query.bind(u":limit"_s, filter.limit).bind(u":offset"_s, filter.offset);
    if (!query.exec()) {
        return failure(what, query.error());
    }
    QStringList problems;
    while (query.next()) {
        SessionSummary summary;
        summary.id = QUuid(query.value(0).toString());
        const QString session = u"session %1"_s.arg(idText(summary.id));
        summary.title = query.value(1).toString();
        summary.topic = query.value(2).toString();
        summary.paradigm = enumFrom<Paradigm>(query.value(3), session + u" paradigm"_s, problems)
                               .value_or(Paradigm::Memory);
        summary.status = enumFrom<SessionStatus>(query.value(4), session + u" status"_s, problems)
                             .value_or(SessionStatus::Configured);
        summary.rounds = query.value(5).toInt();
        summary.completedRounds = query.value(6).toInt();
        summary.messageCount = query.value(7).toInt();
        summary.usage = Usage{query.value(8).toLongLong(), query.value(9).toLongLong(),
                              query.value(10).toBool(), query.value(11).toDouble()};
        summary.createdAt = timeFrom(query.value(12));
        summary.updatedAt = timeFrom(query.value(13));
        if (const auto participants =
                parseJson(query.value(14), session + u" participants"_s, problems)) {
            for (const QJsonValue &participant : participants->array()) {
                summary.modelAliases.append(participant.toObject().value(u"model"_s).toString());
            }
        }
        if (!query.value(15).isNull()) {
            summary.forkedFrom =
                SessionSummary::Origin{QUuid(query.value(15).toString()),
                                       query.value(16).toString(), query.value(17).toInt()};
        }
        list.sessions.append(summary);
    }
    query.finish();
    if (!problems.isEmpty()) {
        return unreadable(what, problems);
    }
    if (auto committed = transaction.commit(); !committed) {
        return committed.error();
    }
    return list;
}

StoreResult<QList<SearchHit>> SessionStore::search(const QString &query, int limit)
{
    if (!isOpen()) {
        return notOpen();
    }
    const QString expression = matchExpression(query);
    if (expression.isEmpty() || limit == 0) {
        return QList<SearchHit>();
    }
    // The inner query stops after `limit` hits in rowid order, so snippets are built for
    // the page only and a common word costs no more than a rare one.
    Statement select(m_db,
                     u"SELECT m.session_id, m.id, m.seq, f.snip FROM (SELECT rowid AS mid, "
                     "snippet(message_fts, 0, char(2), char(3), '…', 16) AS snip FROM message_fts "
                     "WHERE message_fts MATCH :query ORDER BY rowid DESC LIMIT :limit) AS f "
                     "JOIN messages AS m ON m.mid = f.mid ORDER BY f.mid DESC"_s);
    select.bind(u":query"_s, expression).bind(u":limit"_s, limit);
    if (!select.exec()) {
        return failure(u"searching for '%1'"_s.arg(query), select.error());
    }
    QList<SearchHit> hits;
    while (select.next()) {
        hits.append(SearchHit{QUuid(select.value(0).toString()), QUuid(select.value(1).toString()),
                              select.value(2).toInt(), select.value(3).toString()});
    }
    return hits;
}

} // namespace Crosstalk
