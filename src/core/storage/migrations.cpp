// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace Crosstalk::StoreMigrations {

namespace {

StoreResult<void> run(QSqlDatabase &db, int version, const QStringList &statements)
{
    for (const QString &statement : statements) {
        QSqlQuery query(db);
        if (!query.exec(statement)) {
            return storeError(
                ErrorCode::Internal,
                u"Session store: migration to schema version %1 failed: %2 (in: %3)"_s.arg(version)
                    .arg(query.lastError().text(), statement.simplified()));
        }
        query.finish();
    }
    return {};
}

// Times are milliseconds since the epoch (UTC), so they sort and compare as integers and keep
// their milliseconds. Nested values (options, participants, recipients, request) are JSON
// text. Messages have an integer key of their own because the full-text index refers to rows
// by integer, and an implicit rowid could be renumbered by VACUUM.
StoreResult<void> createSchema(QSqlDatabase &db, const Progress &)
{
    return run(
        db, 1,
        {
            uR"(CREATE TABLE sessions (
                id TEXT PRIMARY KEY,
                title TEXT NOT NULL,
                topic TEXT NOT NULL,
                -- title and topic case-folded, for the session list's text filter
                search_text TEXT NOT NULL,
                paradigm TEXT NOT NULL,
                rounds INTEGER NOT NULL,
                options TEXT NOT NULL,
                participants TEXT NOT NULL,
                status TEXT NOT NULL,
                result_answer TEXT,
                result_votes INTEGER,
                tokens_in INTEGER NOT NULL,
                tokens_out INTEGER NOT NULL,
                usage_estimated INTEGER NOT NULL,
                cost REAL NOT NULL,
                -- kept by the store from the messages, so the list needs no messages
                message_count INTEGER NOT NULL DEFAULT 0,
                completed_rounds INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER,
                updated_at INTEGER))"_s,
            u"CREATE INDEX sessions_by_update ON sessions (updated_at, id)"_s,
            uR"(CREATE TABLE messages (
                mid INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                round INTEGER NOT NULL,
                speaker TEXT NOT NULL,
                recipients TEXT NOT NULL,
                type TEXT NOT NULL,
                content TEXT NOT NULL,
                answer TEXT,
                confidence REAL,
                model_alias TEXT,
                model_id TEXT,
                model_kind TEXT,
                tokens_in INTEGER NOT NULL,
                tokens_out INTEGER NOT NULL,
                usage_estimated INTEGER NOT NULL,
                cost REAL NOT NULL,
                ttft_ms INTEGER,
                duration_ms INTEGER,
                status TEXT NOT NULL,
                error TEXT NOT NULL,
                request TEXT NOT NULL,
                created_at INTEGER,
                UNIQUE (session_id, seq)))"_s,
            // The completed rounds the session list shows are counted from these.
            uR"(CREATE INDEX messages_turns ON messages (session_id, round, speaker)
                WHERE status = 'complete' AND type IN ('opening', 'exchange', 'verdict'))"_s,
            // Crash recovery looks for these; there are few at any time.
            u"CREATE INDEX messages_streaming ON messages (session_id) WHERE status = 'streaming'"_s,
            // The index reads content from messages (external content), so text is stored once.
            // Prefix indexes of 2 and 3 characters keep short prefix queries, which would
            // otherwise merge the doclists of thousands of words, as fast as word queries.
            uR"(CREATE VIRTUAL TABLE message_fts USING fts5 (
                content, content = 'messages', content_rowid = 'mid', prefix = '2 3',
                tokenize = 'unicode61 remove_diacritics 2'))"_s,
            uR"(CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
                INSERT INTO message_fts (rowid, content) VALUES (new.mid, new.content);
                END)"_s,
            uR"(CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
                INSERT INTO message_fts (message_fts, rowid, content)
                    VALUES ('delete', old.mid, old.content);
                END)"_s,
            uR"(CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
                INSERT INTO message_fts (message_fts, rowid, content)
                    VALUES ('delete', old.mid, old.content);
                INSERT INTO message_fts (rowid, content) VALUES (new.mid, new.content);
                END)"_s,
            uR"(CREATE TABLE leases (
                session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
                -- the holding SessionStore instance
                token TEXT NOT NULL,
                pid INTEGER NOT NULL,
                host TEXT NOT NULL,
                process_kind TEXT NOT NULL,
                acquired_at INTEGER NOT NULL,
                heartbeat_at INTEGER NOT NULL))"_s,
            uR"(CREATE TABLE slot_personas (
                slot TEXT PRIMARY KEY,
                persona TEXT NOT NULL,
                updated_at INTEGER NOT NULL))"_s,
        });
}

// Prefix queries of 4 to 6 letters had no prefix index, so FTS5 merged the postings of every
// matching word before it could stop at the first page: 0.1–0.5 s over a million messages.
// Longer prefixes match few words and stay fast without one. A reply that streams is indexed
// once, when it stops streaming, instead of again at every checkpoint of its growing text.
StoreResult<void> indexLongerPrefixes(QSqlDatabase &db, const Progress &progress)
{
    if (auto dropped = run(db, 2,
                           {
                               u"DROP TRIGGER messages_fts_insert"_s,
                               u"DROP TRIGGER messages_fts_delete"_s,
                               u"DROP TRIGGER messages_fts_update"_s,
                               u"DROP TABLE message_fts"_s,
                               uR"(CREATE VIRTUAL TABLE message_fts USING fts5 (
                content, content = 'messages', content_rowid = 'mid', prefix = '2 3 4 5 6',
                tokenize = 'unicode61 remove_diacritics 2'))"_s,
                           });
        !dropped) {
        return dropped;
    }
    // Indexing is nearly all of the time this takes: it goes in ranges of rows, so a window
    // can show how far it got. Not 'rebuild', which would index the streaming rows too.
    QSqlQuery bounds(db);
    if (!bounds.exec(u"SELECT min(mid), max(mid) FROM messages"_s) || !bounds.next()) {
        return storeError(ErrorCode::Internal,
                          u"Session store: migration to schema version 2 failed: %1"_s.arg(
                              bounds.lastError().text()));
    }
    const qint64 first = bounds.value(0).toLongLong();
    const qint64 last = bounds.value(1).toLongLong();
    const bool empty = bounds.value(0).isNull();
    bounds.finish();
    constexpr qint64 rowsPerStep = 2000;
    for (qint64 from = first; !empty && from <= last; from += rowsPerStep) {
        const qint64 to = std::min(last, from + rowsPerStep - 1);
        if (auto indexed = run(db, 2,
                               {uR"(INSERT INTO message_fts (rowid, content)
                SELECT mid, content FROM messages
                WHERE mid BETWEEN %1 AND %2 AND status != 'streaming')"_s.arg(from)
                                    .arg(to)});
            !indexed) {
            return indexed;
        }
        if (progress) {
            progress(double(to - first + 1) / double(last - first + 1));
        }
    }
    return run(
        db, 2,
        {
            uR"(CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
                WHEN new.status != 'streaming' BEGIN
                INSERT INTO message_fts (rowid, content) VALUES (new.mid, new.content);
                END)"_s,
            uR"(CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
                WHEN old.status != 'streaming' BEGIN
                INSERT INTO message_fts (message_fts, rowid, content)
                    VALUES ('delete', old.mid, old.content);
                END)"_s,
            // One trigger, so the old text always leaves the index before the new one enters.
            uR"(CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, status ON messages
                BEGIN
                INSERT INTO message_fts (message_fts, rowid, content)
                    SELECT 'delete', old.mid, old.content WHERE old.status != 'streaming';
                INSERT INTO message_fts (rowid, content)
                    SELECT new.mid, new.content WHERE new.status != 'streaming';
                END)"_s,
        });
}

// Session document version 2: edited messages keep the model's text, forks where they came
// from. NULL is "not edited" and "not a fork", so existing rows need no update.
StoreResult<void> addEditsAndForks(QSqlDatabase &db, const Progress &)
{
    return run(db, 3,
               {
                   u"ALTER TABLE messages ADD COLUMN edited_at INTEGER"_s,
                   u"ALTER TABLE messages ADD COLUMN original_content TEXT"_s,
                   u"ALTER TABLE sessions ADD COLUMN forked_from_session TEXT"_s,
                   u"ALTER TABLE sessions ADD COLUMN forked_from_message TEXT"_s,
               });
}

constexpr std::array<Migration, 3> migrations{
    &createSchema,
    &indexLongerPrefixes,
    &addEditsAndForks,
};

} // namespace

std::span<const Migration> all()
{
    return migrations;
}

} // namespace Crosstalk::StoreMigrations
