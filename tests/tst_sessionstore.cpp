// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/sessiondocument.h"
#include "samplesession.h"
#include "storage/sessionstore.h"
#include "storage/storewatcher.h"
#include "storage/walcheckpointer.h"

#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

Q_DECLARE_METATYPE(Crosstalk::SessionStatus)
Q_DECLARE_METATYPE(Crosstalk::Samples::Optionals)
Q_DECLARE_METATYPE(Crosstalk::SessionSort)

namespace {

// Runs one statement on a connection of its own, as another tool on the file would.
QVariant pragma(const QString &path, const QString &statement)
{
    const QString name = QUuid::createUuid().toString();
    QVariant result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(statement) && query.next()) {
                result = query.value(0);
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

// Runs one statement with bound values on a connection of its own; returns whether it ran.
bool execute(const QString &path, const QString &statement, const QVariantList &values)
{
    const QString name = QUuid::createUuid().toString();
    bool ran = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            query.prepare(statement);
            for (const QVariant &value : values) {
                query.addBindValue(value);
            }
            ran = query.exec() && query.numRowsAffected() == 1;
        }
    }
    QSqlDatabase::removeDatabase(name);
    return ran;
}

Message plainMessage(const Session &session, int seq, const QString &content)
{
    Message message;
    message.id = QUuid::createUuid();
    message.sessionId = session.id;
    message.seq = seq;
    message.speaker = session.participants.first().name;
    message.content = content;
    message.createdAt = Samples::time(seq);
    return message;
}

} // namespace

class TestSessionStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString freshPath() { return m_dir.filePath(u"store%1.sqlite"_s.arg(++m_files)); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void createsSchema()
    {
        const QString path = freshPath() + u"/in/a/new/folder.sqlite"_s;
        SessionStore store;
        const auto opened = store.open(path);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        QCOMPARE(store.path(), path);
        QCOMPARE(pragma(path, u"PRAGMA user_version"_s).toInt(), SessionStore::schemaVersion());
        QCOMPARE(pragma(path, u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
        // The Qt driver uses the system SQLite; the store needs it built with FTS5.
        QCOMPARE(pragma(path, u"SELECT count(*) FROM sqlite_master WHERE name = 'message_fts'"_s)
                     .toInt(),
                 1);
        // Opening again migrates nothing and keeps the version.
        SessionStore again;
        QVERIFY(again.open(path));
        QCOMPARE(pragma(path, u"PRAGMA user_version"_s).toInt(), SessionStore::schemaVersion());
    }

    void refusesNewerSchema()
    {
        const QString path = freshPath();
        {
            SessionStore store;
            QVERIFY(store.open(path));
        }
        pragma(path, u"PRAGMA user_version = 99"_s);
        SessionStore store;
        const auto opened = store.open(path);
        QVERIFY(!opened);
        QVERIFY2(opened.error().message.contains(u"newer"_s), qPrintable(opened.error().message));
        QVERIFY(!store.isOpen());
    }

    // tests/data/store-v1.sqlite was written by schema version 1 (storetool fixture), with the
    // documents of its sessions in store-v1.json. Every later version must still read it.
    void readsVersion1Fixture()
    {
        const QString path = freshPath();
        QVERIFY(QFile::copy(QStringLiteral(CROSSTALK_TEST_DATA_DIR "/store-v1.sqlite"), path));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        QCOMPARE(pragma(path, u"PRAGMA user_version"_s).toInt(), 1);
        QFile expectedFile(QStringLiteral(CROSSTALK_TEST_DATA_DIR "/store-v1.json"));
        QVERIFY(expectedFile.open(QIODevice::ReadOnly));
        const QJsonArray expected = QJsonDocument::fromJson(expectedFile.readAll()).array();
        QCOMPARE(expected.size(), 2);

        QCOMPARE(SessionStore::storedSchemaVersion(path), 1);
        QCOMPARE(SessionStore::storedSchemaVersion(path + u".missing"_s), 0);
        SessionStore store;
        QVERIFY(store.open(path));
        QCOMPARE(pragma(path, u"PRAGMA user_version"_s).toInt(), SessionStore::schemaVersion());
        QCOMPARE(SessionStore::storedSchemaVersion(path), SessionStore::schemaVersion());
        for (const QJsonValue &document : expected) {
            // Read as a document, so the comparison survives new fields in the format.
            const Parsed<Session> session = SessionDocument::fromJson(document.toObject());
            QVERIFY(session);
            const auto loaded = store.loadSession(session.value->id);
            QVERIFY(loaded);
            QCOMPARE(*loaded, *session.value);
            // Migration 2 rebuilt the full-text index: what was stored is found again.
            static const QRegularExpression longWord(u"\\w{4,}"_s);
            for (const Message &message : loaded->messages) {
                const QRegularExpressionMatch word = longWord.match(message.content);
                if (message.status == MessageStatus::Streaming || !word.hasMatch())
                    continue;
                const auto hits = store.search(word.captured().left(4) + u'*', 1000);
                QVERIFY(hits);
                QVERIFY2(
                    std::any_of(hits->cbegin(), hits->cend(),
                                [&](const SearchHit &hit) { return hit.messageId == message.id; }),
                    qPrintable(word.captured()));
            }
        }
        const auto list = store.listSessions();
        QVERIFY(list);
        QCOMPARE(list->total, 2);
        QCOMPARE(store.slotPersona(u"big"_s).value(), std::optional<QString>(u"path:alice.md"_s));
        QCOMPARE(pragma(path, u"PRAGMA integrity_check"_s).toString(), u"ok"_s);
    }

    void updateReportsProgress()
    {
        const QString path = freshPath();
        QVERIFY(QFile::copy(QStringLiteral(CROSSTALK_TEST_DATA_DIR "/store-v1.sqlite"), path));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        // Enough messages for the index rebuild of migration 2 to go in several steps.
        constexpr int added = 9000;
        const QString connection = QUuid::createUuid().toString();
        QString sessionId;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(u"SELECT id FROM sessions LIMIT 1"_s) && query.next());
            sessionId = query.value(0).toString();
            query.finish();
            QVERIFY(db.transaction());
            QVERIFY(query.prepare(
                u"INSERT INTO messages (id, session_id, seq, round, speaker, recipients, type, "
                "content, tokens_in, tokens_out, usage_estimated, cost, status, error, request, "
                "created_at) VALUES (?, ?, ?, 0, 'Ann', '[]', 'exchange', ?, 0, 0, 0, 0, "
                "'complete', '', '{}', 0)"_s));
            for (int i = 0; i < added; ++i) {
                query.addBindValue(QUuid::createUuid().toString(QUuid::WithoutBraces));
                query.addBindValue(sessionId);
                query.addBindValue(1000 + i);
                query.addBindValue(u"numbat%1 talks"_s.arg(i));
                QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
            }
            QVERIFY(db.commit());
        }
        QSqlDatabase::removeDatabase(connection);

        QList<double> reported;
        SessionStore store;
        QVERIFY(store.open(path, [&](double done) { reported << done; }));
        QVERIFY2(reported.size() >= 5, qPrintable(QString::number(reported.size())));
        QVERIFY(std::is_sorted(reported.cbegin(), reported.cend()));
        QVERIFY(reported.first() > 0);
        QVERIFY(reported.at(reported.size() / 2) < 1);
        QCOMPARE(reported.last(), 1.0);
        // Every range of rows went into the index: the first, a middle and the last one.
        for (const int i : {0, added / 2, added - 1}) {
            const auto hits = store.search(u"numbat%1"_s.arg(i), 5);
            QVERIFY(hits);
            QCOMPARE(hits->size(), 1);
        }
        QCOMPARE(pragma(path, u"PRAGMA integrity_check"_s).toString(), u"ok"_s);

        // An up-to-date store has nothing to update, and says nothing.
        SessionStore again;
        reported.clear();
        QVERIFY(again.open(path, [&](double done) { reported << done; }));
        QVERIFY(reported.isEmpty());
    }

    // Before the setup had one JSON form, the store wrote its own into the options and
    // participants columns: colours as #aarrggbb or "" for none, "" for no persona source or
    // model, and the budget flat. Such rows keep loading; saving writes the one form.
    void readsTheOldSetupForm()
    {
        Session session = Samples::session(SessionStatus::Completed, Samples::Optionals::Present);
        session.options.budgetTokens = (qint64(1) << 52) + 1;
        session.options.budgetCost = 0.1 + 0.2;
        session.options.moderatorModel.clear();
        session.participants[1].colour = QColor();
        session.participants[2].colour = QColor(1, 2, 3, 4);
        for (Participant &participant : session.participants)
            participant.sampling = {}; // the old form had none
        const QString path = freshPath();
        {
            SessionStore store;
            QVERIFY(store.open(path));
            QVERIFY(store.saveSession(session, SessionStore::Messages::Replace));
        }

        // As the store wrote participants before: ARGB colours, "" for none or no source.
        const auto oldParticipants = [](const Session &of) {
            QJsonArray array;
            for (const Participant &participant : of.participants) {
                array.append(QJsonObject{
                    {u"name"_s, participant.name},
                    {u"model"_s, participant.modelAlias},
                    {u"persona"_s, participant.persona},
                    {u"persona_source"_s, participant.personaSource},
                    {u"colour"_s, participant.colour.isValid()
                                      ? participant.colour.name(QColor::HexArgb)
                                      : QString()},
                });
            }
            return QString::fromUtf8(QJsonDocument(array).toJson());
        };
        const QJsonObject oldOptions{
            {u"answer_mode"_s, true},
            {u"schedule"_s, u"sequential"_s},
            {u"context_window"_s, 4},
            {u"summarise_dropped"_s, true},
            {u"summariser_model"_s, u"small"_s},
            {u"moderator_model"_s, u""_s},
            {u"budget_tokens"_s, (qint64(1) << 52) + 1},
            {u"budget_cost"_s, 0.1 + 0.2},
        };
        QVERIFY(oldParticipants(session).contains(u"\"#ff3daee9\""_s));
        QVERIFY(execute(path, u"UPDATE sessions SET options = ?, participants = ? WHERE id = ?"_s,
                        {QString::fromUtf8(QJsonDocument(oldOptions).toJson()),
                         oldParticipants(session), session.id.toString(QUuid::WithoutBraces)}));
        // Without a budget and with no colours at all, as most old rows are.
        Session plain = Samples::session(SessionStatus::Running, Samples::Optionals::Absent);
        plain.id = QUuid::createUuid();
        for (Participant &participant : plain.participants) {
            participant.colour = QColor();
        }
        for (Message &message : plain.messages) {
            message.sessionId = plain.id;
        }
        {
            SessionStore store;
            QVERIFY(store.open(path));
            QVERIFY(store.saveSession(plain, SessionStore::Messages::Replace));
        }
        QVERIFY(execute(
            path, u"UPDATE sessions SET options = ?, participants = ? WHERE id = ?"_s,
            {u"{\"answer_mode\": false, \"schedule\": \"parallel\", \"context_window\": 10, "
             "\"summarise_dropped\": false, \"summariser_model\": \"\", "
             "\"moderator_model\": \"\"}"_s,
             oldParticipants(plain), plain.id.toString(QUuid::WithoutBraces)}));

        SessionStore store;
        QVERIFY(store.open(path));
        for (const Session &expected : {session, plain}) {
            const auto loaded = store.loadSession(expected.id);
            QVERIFY(loaded);
            QCOMPARE(loaded->participants, expected.participants);
            QCOMPARE(loaded->options, expected.options);
            QCOMPARE(*loaded, expected);
            // Saved again, the row is in the one form.
            QVERIFY(store.saveSession(*loaded));
        }
        const QJsonObject options =
            QJsonDocument::fromJson(
                pragma(path, u"SELECT options FROM sessions WHERE id = '%1'"_s.arg(
                                 session.id.toString(QUuid::WithoutBraces)))
                    .toString()
                    .toUtf8())
                .object();
        QVERIFY(!options.contains(u"budget_tokens"_s));
        QCOMPARE(options[u"budget"_s][u"tokens"_s].toInteger(), (qint64(1) << 52) + 1);
        QVERIFY(options[u"moderator_model"_s].isNull());
        const QJsonArray participants =
            QJsonDocument::fromJson(
                pragma(path, u"SELECT participants FROM sessions WHERE id = '%1'"_s.arg(
                                 session.id.toString(QUuid::WithoutBraces)))
                    .toString()
                    .toUtf8())
                .array();
        QCOMPARE(participants.at(0)[u"colour"_s].toString(), u"#3daee9"_s);
        QVERIFY(participants.at(1)[u"colour"_s].isNull());
    }

    void roundTrip_data()
    {
        QTest::addColumn<SessionStatus>("status");
        QTest::addColumn<Samples::Optionals>("optionals");
        QTest::addColumn<bool>("messageByMessage");
        for (const bool byMessage : {false, true}) {
            const char *how = byMessage ? "appended" : "replaced";
            QTest::addRow("completed, all optionals, %s", how)
                << SessionStatus::Completed << Samples::Optionals::Present << byMessage;
            QTest::addRow("running, no optionals, %s", how)
                << SessionStatus::Running << Samples::Optionals::Absent << byMessage;
            QTest::addRow("paused, all optionals, %s", how)
                << SessionStatus::Paused << Samples::Optionals::Present << byMessage;
        }
    }

    void roundTrip()
    {
        QFETCH(SessionStatus, status);
        QFETCH(Samples::Optionals, optionals);
        QFETCH(bool, messageByMessage);
        const Session session = Samples::session(status, optionals);
        SessionStore store;
        QVERIFY(store.open(freshPath()));
        if (messageByMessage) {
            QVERIFY(store.saveSession(session));
            for (const Message &message : session.messages) {
                QVERIFY(store.appendMessage(message));
            }
        } else {
            QVERIFY(store.saveSession(session, SessionStore::Messages::Replace));
        }
        const auto loaded = store.loadSession(session.id);
        QVERIFY(loaded);
        QCOMPARE(SessionDocument::toJson(*loaded), SessionDocument::toJson(session));
        QCOMPARE(*loaded, session);

        const auto page = store.loadMessages(session.id, 2, 3);
        QVERIFY(page);
        QCOMPARE(*page, session.messages.mid(2, 3));
    }

    // Values at the edges of what the types can hold, which a careless mapping would lose:
    // present-but-empty optionals, doubles without a short decimal form, no colour, no time.
    void roundTripEdges()
    {
        Session session = Samples::session(SessionStatus::Completed, Samples::Optionals::Present);
        session.options.budgetCost = 0.1 + 0.2;
        session.options.budgetTokens = (qint64(1) << 52) + 1;
        session.participants[1].colour = QColor();
        session.participants[2].colour = QColor(1, 2, 3, 4);
        session.result = Result{QString(), 0};
        session.usage.cost = 1.0 / 3.0;
        Message &message = session.messages[0];
        message.answer = u""_s;
        message.confidence = 2.0 / 3.0;
        message.ttftMs = 0;
        message.request =
            QJsonObject{{u"nested"_s, QJsonObject{{u"x"_s, 1e-300}}}, {u"big"_s, qint64(1) << 53}};
        message.createdAt = QDateTime();
        session.messages[1].model = ModelRef{QString(), QString(), ApiKind::Anthropic};

        SessionStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(store.saveSession(session, SessionStore::Messages::Replace));
        const auto loaded = store.loadSession(session.id);
        QVERIFY(loaded);
        QCOMPARE(*loaded, session);
        QVERIFY(loaded->result.has_value());
        QVERIFY(loaded->messages[0].answer.has_value());
        QVERIFY(loaded->messages[1].model.has_value());
    }

    void saveKeepsMessages()
    {
        Session session = Samples::session(SessionStatus::Running, Samples::Optionals::Present);
        SessionStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(store.saveSession(session, SessionStore::Messages::Replace));
        session.title = u"Renamed"_s;
        session.status = SessionStatus::Paused;
        const QList<Message> messages = session.messages;
        session.messages.clear();
        QVERIFY(store.saveSession(session));
        session.messages = messages;
        QCOMPARE(store.loadSession(session.id).value(), session);
    }

    // A long transcript is read a page at a time, without the stored requests (the bulk of
    // a row), and a request one at a time when it is to be shown.
    void readsATranscriptByPages()
    {
        Session session = Samples::session(SessionStatus::Paused, Samples::Optionals::Absent);
        session.messages.clear();
        for (int seq = 0; seq < 10; ++seq) {
            Message message = plainMessage(session, seq, u"Message %1"_s.arg(seq));
            message.request = QJsonObject{{u"n"_s, seq}};
            session.messages.append(message);
        }
        SessionStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(store.saveSession(session, SessionStore::Messages::Replace));

        const auto seqs = [](const QList<Message> &messages) {
            QList<int> result;
            for (const Message &m : messages) {
                result.append(m.seq);
                if (!m.request.isEmpty())
                    result.append(-1); // a request read where none should be
            }
            return result;
        };
        auto last = store.loadTranscriptPage(session.id, 4);
        QVERIFY(last);
        QCOMPARE(last->messageCount, 10);
        QCOMPARE(last->offset, 6);
        QCOMPARE(seqs(last->session.messages), (QList<int>{6, 7, 8, 9}));
        QCOMPARE(last->session.title, session.title);
        QCOMPARE(last->session.participants, session.participants);

        for (const auto &[around, offset] : {std::pair{3, 1}, {0, 0}, {9, 6}, {5, 3}}) {
            auto page = store.loadTranscriptPage(session.id, 4, around);
            QVERIFY(page);
            QCOMPARE(page->offset, offset);
            QCOMPARE(page->session.messages.first().seq, offset);
            QCOMPARE(page->session.messages.size(), 4);
        }
        auto whole = store.loadTranscriptPage(session.id, 60);
        QVERIFY(whole);
        QCOMPARE(whole->offset, 0);
        QCOMPARE(whole->session.messages.size(), 10);

        auto skipped = store.loadMessages(session.id, 2, 3, SessionStore::Requests::Skip);
        QVERIFY(skipped);
        QCOMPARE(seqs(*skipped), (QList<int>{2, 3, 4}));
        auto read = store.loadMessages(session.id, 2, 3);
        QVERIFY(read);
        QCOMPARE(read->at(1), session.messages.at(3));

        auto request = store.loadRequest(session.messages.at(5).id);
        QVERIFY(request);
        QCOMPARE(*request, (QJsonObject{{u"n"_s, 5}}));
        QCOMPARE(store.loadRequest(QUuid::createUuid()).error().code, ErrorCode::NotFound);
        QCOMPARE(store.loadTranscriptPage(QUuid::createUuid(), 4).error().code,
                 ErrorCode::NotFound);

        // A copy held in memory is read again only when the store's changed after it.
        const QDateTime updated = store.loadSession(session.id)->updatedAt;
        QCOMPARE(store.loadSessionChangedAfter(session.id, updated).value(), std::nullopt);
        auto newer = store.loadSessionChangedAfter(session.id, updated.addMSecs(-1));
        QVERIFY(newer && newer->has_value());
        QCOMPARE((*newer)->messages, session.messages);
        QVERIFY(store.loadSessionChangedAfter(session.id, std::nullopt)->has_value());
        QCOMPARE(store.loadSessionChangedAfter(QUuid::createUuid(), updated).error().code,
                 ErrorCode::NotFound);

        Session empty = Samples::session(SessionStatus::Configured, Samples::Optionals::Absent);
        empty.messages.clear();
        QVERIFY(store.saveSession(empty, SessionStore::Messages::Replace));
        auto none = store.loadTranscriptPage(empty.id, 4, 7);
        QVERIFY(none);
        QCOMPARE(none->messageCount, 0);
        QCOMPARE(none->offset, 0);
        QVERIFY(none->session.messages.isEmpty());
    }

    void importKeepsWhatIsStored()
    {
        const Session exported =
            Samples::session(SessionStatus::Running, Samples::Optionals::Present);
        SessionStore store;
        QVERIFY(store.open(freshPath()));
        const auto added = store.importSession(exported);
        QVERIFY(added);
        QCOMPARE(*added, SessionStore::Imported::Added);
        // Running where it was exported, it is resumable here, not shown as running.
        Session expected = exported;
        expected.status = SessionStatus::Interrupted;
        QCOMPARE(store.loadSession(exported.id).value(), expected);

        Session again = exported;
        again.title = u"Changed elsewhere"_s;
        again.messages.removeLast();
        const auto second = store.importSession(again);
        QVERIFY(second);
        QCOMPARE(*second, SessionStore::Imported::AlreadyStored);
        QCOMPARE(store.loadSession(exported.id).value(), expected);
    }

    void updateAndCheckpoint()
    {
        Session session = Samples::session(SessionStatus::Running, Samples::Optionals::Present);
        SessionStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(store.saveSession(session, SessionStore::Messages::Replace));
        Message &streaming = session.messages[7];
        QCOMPARE(streaming.status, MessageStatus::Streaming);
        QVERIFY(store.checkpointStreaming(streaming.id, u"The answer"_s));
        streaming.content = u"The answer"_s;
        QCOMPARE(store.loadSession(session.id).value(), session);

        streaming.content = u"The answer is 42, finally."_s;
        streaming.status = MessageStatus::Complete;
        streaming.durationMs = 4242;
        QVERIFY(store.updateMessage(streaming));
        QCOMPARE(store.loadSession(session.id).value(), session);
        // A completed message is no longer streaming: late checkpoints must not clobber it.
        const auto late = store.checkpointStreaming(streaming.id, u"The ans"_s);
        QVERIFY(!late);
        QCOMPARE(late.error().code, ErrorCode::NotFound);
        QCOMPARE(store.loadSession(session.id).value(), session);
    }

    void failedWriteChangesNothing()
    {
        const Session stored = Samples::session(SessionStatus::Paused, Samples::Optionals::Present);
        SessionStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(store.saveSession(stored, SessionStore::Messages::Replace));

        // The replacement fails at its last message (a seq taken by an earlier one): the new
        // title and the first messages, already written in the transaction, must vanish.
        Session changed = stored;
        changed.title = u"Half-written"_s;
        for (Message &message : changed.messages) {
            message.id = QUuid::createUuid();
        }
        changed.messages.last().seq = 0;
        auto result = store.saveSession(changed, SessionStore::Messages::Replace);
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Conflict);
        QVERIFY2(result.error().message.contains(stored.id.toString(QUuid::WithoutBraces)),
                 qPrintable(result.error().message));
        QCOMPARE(store.loadSession(stored.id).value(), stored);

        // A new session whose messages fail is not stored at all.
        Session fresh = Samples::session(SessionStatus::Completed, Samples::Optionals::Absent);
        fresh.messages[3].id = fresh.messages[2].id;
        QVERIFY(!store.saveSession(fresh, SessionStore::Messages::Replace));
        QCOMPARE(store.loadSession(fresh.id).error().code, ErrorCode::NotFound);

        result = store.appendMessage(stored.messages[0]);
        QCOMPARE(result.error().code, ErrorCode::Conflict);
        Message orphan = plainMessage(stored, 99, u"lost?"_s);
        orphan.sessionId = QUuid::createUuid();
        QCOMPARE(store.appendMessage(orphan).error().code, ErrorCode::NotFound);
        QCOMPARE(store.updateMessage(plainMessage(stored, 100, u"x"_s)).error().code,
                 ErrorCode::NotFound);
        QCOMPARE(store.setStatus(QUuid::createUuid(), SessionStatus::Failed).error().code,
                 ErrorCode::NotFound);
        QCOMPARE(store.loadSession(stored.id).value(), stored);
        const auto list = store.listSessions();
        QCOMPARE(list->total, 1);
        QCOMPARE(list->sessions[0].messageCount, int(stored.messages.size()));
    }

    void notOpen()
    {
        SessionStore store;
        QVERIFY(!store.isOpen());
        QCOMPARE(store.listSessions().error().code, ErrorCode::Internal);
        QVERIFY(!store.appendMessage(Message()));
    }

    void deleteSession()
    {
        const Session session =
            Samples::session(SessionStatus::Completed, Samples::Optionals::Present);
        SessionStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(store.saveSession(session, SessionStore::Messages::Replace));
        QVERIFY(store.acquireLease(session.id, u"test"_s));
        QVERIFY(store.deleteSession(session.id));
        QCOMPARE(store.loadSession(session.id).error().code, ErrorCode::NotFound);
        QVERIFY(store.loadMessages(session.id)->isEmpty());
        QVERIFY(store.search(u"42"_s)->isEmpty());
        QVERIFY(!store.leaseHolder(session.id)->has_value());
        QCOMPARE(store.deleteSession(session.id).error().code, ErrorCode::NotFound);
    }

    void listSessions_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QList<SessionStatus>>("statuses");
        QTest::addColumn<SessionSort>("sort");
        QTest::addColumn<int>("offset");
        QTest::addColumn<int>("limit");
        QTest::addColumn<QList<int>>("expected"); // indexes into the stored sessions
        QTest::addColumn<int>("total");

        const QList<SessionStatus> all;
        QTest::newRow("all, newest first") << QString() << all << SessionSort::UpdatedDescending
                                           << 0 << -1 << QList<int>{4, 3, 2, 1, 0} << 5;
        QTest::newRow("all, oldest first") << QString() << all << SessionSort::UpdatedAscending << 0
                                           << -1 << QList<int>{0, 1, 2, 3, 4} << 5;
        QTest::newRow("page") << QString() << all << SessionSort::UpdatedDescending << 1 << 2
                              << QList<int>{3, 2} << 5;
        QTest::newRow("past the end")
            << QString() << all << SessionSort::UpdatedDescending << 9 << 2 << QList<int>{} << 5;
        QTest::newRow("status") << QString() << QList<SessionStatus>{SessionStatus::Completed}
                                << SessionSort::UpdatedDescending << 0 << -1 << QList<int>{4, 2, 0}
                                << 3;
        QTest::newRow("two statuses")
            << QString() << QList<SessionStatus>{SessionStatus::Paused, SessionStatus::Running}
            << SessionSort::UpdatedAscending << 0 << -1 << QList<int>{1, 3} << 2;
        QTest::newRow("text in title, other case")
            << u"ÉCOLE"_s << all << SessionSort::UpdatedDescending << 0 << -1 << QList<int>{3} << 1;
        QTest::newRow("text in topic") << u"שלום"_s << all << SessionSort::UpdatedDescending << 0
                                       << -1 << QList<int>{4, 3, 2, 1, 0} << 5;
        QTest::newRow("text and status")
            << u"école"_s << QList<SessionStatus>{SessionStatus::Completed}
            << SessionSort::UpdatedDescending << 0 << -1 << QList<int>{} << 0;
        QTest::newRow("like wildcards are text")
            << u"%"_s << all << SessionSort::UpdatedDescending << 0 << -1 << QList<int>{} << 0;
    }

    void listSessions()
    {
        QFETCH(QString, text);
        QFETCH(QList<SessionStatus>, statuses);
        QFETCH(SessionSort, sort);
        QFETCH(int, offset);
        QFETCH(int, limit);
        QFETCH(QList<int>, expected);
        QFETCH(int, total);

        SessionStore store;
        QVERIFY(store.open(freshPath()));
        QList<Session> sessions;
        const QList<SessionStatus> statusOf{SessionStatus::Completed, SessionStatus::Running,
                                            SessionStatus::Completed, SessionStatus::Paused,
                                            SessionStatus::Completed};
        for (int i = 0; i < 5; ++i) {
            Session session = Samples::session(statusOf[i], Samples::Optionals::Present);
            session.updatedAt = Samples::time(i * 1000);
            if (i == 3) {
                session.title = u"Back to école"_s;
            }
            if (i == 2) {
                session.messages.clear();
            }
            QVERIFY(store.saveSession(session, SessionStore::Messages::Replace));
            sessions.append(session);
        }
        SessionFilter filter;
        filter.text = text;
        filter.statuses = statuses;
        filter.sort = sort;
        filter.offset = offset;
        filter.limit = limit;
        const auto list = store.listSessions(filter);
        QVERIFY2(list, qPrintable(list ? QString() : list.error().message));
        QCOMPARE(list->total, total);
        QCOMPARE(list->sessions.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            const Session &session = sessions[expected[i]];
            const SessionSummary &summary = list->sessions[i];
            QCOMPARE(summary.id, session.id);
            QCOMPARE(summary.title, session.title);
            QCOMPARE(summary.topic, session.topic);
            QCOMPARE(summary.paradigm, session.paradigm);
            QCOMPARE(summary.status, session.status);
            QStringList aliases;
            for (const Participant &participant : session.participants)
                aliases.append(participant.modelAlias);
            QCOMPARE(summary.modelAliases, aliases);
            QCOMPARE(summary.rounds, session.rounds);
            QCOMPARE(summary.completedRounds, session.completedRounds());
            QCOMPARE(summary.messageCount, int(session.messages.size()));
            QCOMPARE(summary.usage, session.usage);
            QCOMPARE(summary.createdAt, session.createdAt);
            QCOMPARE(summary.updatedAt, session.updatedAt);
        }
    }

    // The counts the list shows follow messages as they are appended and completed.
    void summaryFollowsMessages()
    {
        Session session = Samples::session(SessionStatus::Running, Samples::Optionals::Absent);
        const QList<Message> messages = session.messages;
        session.messages.clear();
        SessionStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(store.saveSession(session));
        for (const Message &message : messages) {
            QVERIFY(store.appendMessage(message));
            session.messages.append(message);
            const SessionSummary summary = store.listSessions()->sessions.at(0);
            QCOMPARE(summary.messageCount, int(session.messages.size()));
            QCOMPARE(summary.completedRounds, session.completedRounds());
        }
        QCOMPARE(session.completedRounds(), 1);
        for (Message &message : session.messages) {
            message.status = MessageStatus::Complete;
            QVERIFY(store.updateMessage(message));
            QCOMPARE(store.listSessions()->sessions.at(0).completedRounds,
                     session.completedRounds());
        }
        // An opening that stops being complete undoes every round.
        session.messages[0].status = MessageStatus::Partial;
        QVERIFY(store.updateMessage(session.messages[0]));
        QCOMPARE(session.completedRounds(), 0);
        QCOMPARE(store.listSessions()->sessions.at(0).completedRounds, 0);
    }

    // A fork is listed with where it came from as that session is now: renamed, it says the
    // new title; deleted, it says it is gone. Its message is counted by position there.
    void summaryNamesWhereAForkCameFrom()
    {
        const Session original =
            Samples::session(SessionStatus::Completed, Samples::Optionals::Absent);
        Session fork = Samples::session(SessionStatus::Paused, Samples::Optionals::Absent);
        fork.forkedFrom = ForkOrigin{original.id, original.messages.at(4).id};
        fork.updatedAt = original.updatedAt.addSecs(1);
        SessionStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(store.saveSession(original, SessionStore::Messages::Replace));
        QVERIFY(store.saveSession(fork, SessionStore::Messages::Replace));
        const auto originOf = [&store](const QUuid &id) {
            const auto list = store.listSessions();
            for (const SessionSummary &summary : list->sessions)
                if (summary.id == id)
                    return summary.forkedFrom;
            return std::optional<SessionSummary::Origin>();
        };
        QVERIFY(!originOf(original.id));
        QCOMPARE(originOf(fork.id),
                 std::optional(SessionSummary::Origin{original.id, original.title, 5}));

        Session renamed = original;
        renamed.title = u"Renamed"_s;
        QVERIFY(store.saveSession(renamed));
        QCOMPARE(originOf(fork.id)->title, u"Renamed"_s);

        QVERIFY(store.deleteSession(original.id));
        QCOMPARE(originOf(fork.id),
                 std::optional(SessionSummary::Origin{original.id, QString(), 0}));
        QCOMPARE(store.loadSession(fork.id)->forkedFrom, fork.forkedFrom);
    }

    void search_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QList<int>>("expected"); // message indexes, newest first

        QTest::newRow("word") << u"forty"_s << QList<int>{3, 0};
        QTest::newRow("every word must occur") << u"forty two"_s << QList<int>{0};
        QTest::newRow("case") << u"FORTY"_s << QList<int>{3, 0};
        QTest::newRow("accents ignored") << u"cafe"_s << QList<int>{1};
        QTest::newRow("accents in the query") << u"CAFÉ"_s << QList<int>{1};
        QTest::newRow("hebrew") << u"שלום"_s << QList<int>{2};
        QTest::newRow("arabic") << u"مرحبا"_s << QList<int>{2};
        QTest::newRow("greek, other case") << u"ΚΑΛΗΜΈΡΑ"_s << QList<int>{4};
        QTest::newRow("prefix") << u"fort*"_s << QList<int>{3, 0};
        QTest::newRow("no prefix without star") << u"fort"_s << QList<int>{};
        QTest::newRow("operators are words") << u"forty AND NOT two"_s << QList<int>{};
        QTest::newRow("fts syntax is text") << u"\"forty (two -"_s << QList<int>{0};
        QTest::newRow("only punctuation") << u"— 🤔"_s << QList<int>{};
        QTest::newRow("empty") << u"  "_s << QList<int>{};
        QTest::newRow("no match") << u"zebra"_s << QList<int>{};
    }

    void search()
    {
        QFETCH(QString, query);
        QFETCH(QList<int>, expected);
        Session session = Samples::session(SessionStatus::Completed, Samples::Optionals::Absent);
        session.messages = {
            plainMessage(session, 0, u"Forty-two, said the machine."_s),
            plainMessage(session, 1, u"Un café crème ☕"_s),
            plainMessage(session, 2, u"שלום עולם — مرحبا بالعالم"_s),
            plainMessage(session, 3, u"It was forty, not fifty."_s),
            plainMessage(session, 4, u"Καλημέρα κόσμε"_s),
        };
        SessionStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(store.saveSession(session, SessionStore::Messages::Replace));
        const auto hits = store.search(query);
        QVERIFY2(hits, qPrintable(hits ? QString() : hits.error().message));
        QCOMPARE(hits->size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            const Message &message = session.messages[expected[i]];
            QCOMPARE(hits->at(i).sessionId, session.id);
            QCOMPARE(hits->at(i).messageId, message.id);
            QCOMPARE(hits->at(i).seq, message.seq);
            QVERIFY(hits->at(i).snippet.contains(SearchHit::matchStart));
            QVERIFY(hits->at(i).snippet.contains(SearchHit::matchEnd));
        }
    }

    // A streaming reply is indexed once it stops streaming, not at every checkpoint.
    void searchFollowsEdits()
    {
        Session session = Samples::session(SessionStatus::Running, Samples::Optionals::Absent);
        session.messages = {plainMessage(session, 0, u"alpha"_s)};
        session.messages[0].status = MessageStatus::Streaming;
        SessionStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(store.saveSession(session, SessionStore::Messages::Replace));
        QVERIFY(store.search(u"alpha"_s)->isEmpty());
        QVERIFY(store.checkpointStreaming(session.messages[0].id, u"beta gamma"_s));
        QVERIFY(store.search(u"gamma"_s)->isEmpty());
        QCOMPARE(pragma(store.path(), u"PRAGMA integrity_check"_s).toString(), u"ok"_s);

        Message done = session.messages[0];
        done.content = u"beta gamma delta"_s;
        done.status = MessageStatus::Complete;
        QVERIFY(store.updateMessage(done));
        QCOMPARE(store.search(u"gamma"_s)->size(), 1);
        QCOMPARE(store.search(u"gamma"_s)->at(0).snippet, u"beta "_s + SearchHit::matchStart +
                                                              u"gamma"_s + SearchHit::matchEnd +
                                                              u" delta"_s);
        done.content = u"epsilon"_s;
        QVERIFY(store.updateMessage(done));
        QVERIFY(store.search(u"gamma"_s)->isEmpty());
        QCOMPARE(store.search(u"epsilon"_s)->size(), 1);

        // Replaced by its streaming self again: out of the index until it completes.
        QVERIFY(store.saveSession(session, SessionStore::Messages::Replace));
        QVERIFY(store.search(u"epsilon"_s)->isEmpty());
        QVERIFY(store.search(u"alpha"_s)->isEmpty());
        done.content = u"alpha omega"_s;
        QVERIFY(store.updateMessage(done));
        QCOMPARE(store.search(u"omega"_s)->size(), 1);
        QVERIFY(store.deleteSession(session.id));
        QVERIFY(store.search(u"omega"_s)->isEmpty());
        QCOMPARE(pragma(store.path(), u"PRAGMA integrity_check"_s).toString(), u"ok"_s);
    }

    // Prefixes of every length find the same messages, indexed (2–6 letters) or not.
    void searchPrefixesOfEveryLength()
    {
        Session session = Samples::session(SessionStatus::Completed, Samples::Optionals::Absent);
        session.messages = {plainMessage(session, 0, u"Extraordinarily so."_s),
                            plainMessage(session, 1, u"An extra, ordinary day."_s)};
        SessionStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(store.saveSession(session, SessionStore::Messages::Replace));
        const QString word = u"extraordinarily"_s;
        for (qsizetype letters = 2; letters <= word.size(); ++letters) {
            const auto hits = store.search(word.left(letters) + u'*');
            QVERIFY(hits);
            QCOMPARE(hits->size(), letters <= 5 ? 2 : 1);
        }
    }

    // The log reaches the database file while the store stays open: its own commits never
    // checkpoint (a stall on the GUI thread), the checkpointer's thread does.
    void checkpointsInTheBackground()
    {
        const QString path = freshPath();
        SessionStore store;
        QVERIFY(store.open(path));
        const qint64 before = QFileInfo(path).size();
        Session session = Samples::session(SessionStatus::Completed, Samples::Optionals::Absent);
        session.messages.clear();
        for (int i = 0; i < 200; ++i)
            session.messages.append(plainMessage(session, i, u"word %1 "_s.arg(i).repeated(200)));
        QVERIFY(store.saveSession(session, SessionStore::Messages::Replace));
        QVERIFY(QFileInfo(path + u"-wal"_s).size() > 200 * 1000);
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(path).size() > before + 200 * 1000, 5000);
        QCOMPARE(store.loadSession(session.id)->messages.size(), 200);
    }

    // Under steady writes a checkpoint beside them never copies the whole log, so SQLite
    // never starts it over: past its size the checkpointer empties it (QUALITY.md R15).
    void logIsEmptiedUnderSteadyWrites()
    {
        const QString path = freshPath();
        const QString connection = u"steady-writer"_s;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery query(db);
            for (const QString &statement :
                 {u"PRAGMA journal_mode = WAL"_s, u"PRAGMA wal_autocheckpoint = 0"_s,
                  u"CREATE TABLE t (x BLOB)"_s})
                QVERIFY2(query.exec(statement), qPrintable(statement));
            WalCheckpointer checkpointer;
            checkpointer.start(path, std::chrono::milliseconds(20), 64);

            // A write every 2 ms, a page or two each, as a busy server's are.
            const QString wal = path + u"-wal"_s;
            qint64 largest = 0;
            qint64 last = 0;
            int shrunk = 0;
            int writes = 0;
            bool failed = false;
            QTimer writer;
            writer.setTimerType(Qt::PreciseTimer);
            QEventLoop loop;
            connect(&writer, &QTimer::timeout, &loop, [&] {
                QSqlQuery insert(db);
                insert.prepare(u"INSERT INTO t (x) VALUES (?)"_s);
                insert.addBindValue(QByteArray(3000, 'x'));
                if (!insert.exec()) {
                    failed = true;
                    loop.quit();
                    return;
                }
                const qint64 size = QFileInfo(wal).size();
                shrunk += size < last;
                largest = std::max(largest, size);
                last = size;
                if (++writes == 1500)
                    loop.quit();
            });
            writer.start(2);
            loop.exec();
            checkpointer.stop();
            QVERIFY(!failed);
            QVERIFY2(shrunk > 0, "the log was never emptied");
            QVERIFY2(largest < 4 * 1024 * 1024, qPrintable(QString::number(largest)));
        }
        QSqlDatabase::removeDatabase(connection);
    }

    void slotPersonas()
    {
        const QString path = freshPath();
        SessionStore store;
        QVERIFY(store.open(path));
        QVERIFY(!store.slotPersona(u"big"_s).value().has_value());
        QVERIFY(store.setSlotPersona(u"big"_s, u"path:alice.md"_s));
        QVERIFY(store.setSlotPersona(u"small"_s, u"Be terse. 🐢"_s));
        QVERIFY(store.setSlotPersona(u"big"_s, u"path:bob.md"_s));
        SessionStore other;
        QVERIFY(other.open(path));
        QCOMPARE(other.slotPersona(u"big"_s).value(), std::optional<QString>(u"path:bob.md"_s));
        QCOMPARE(other.slotPersona(u"small"_s).value(), std::optional<QString>(u"Be terse. 🐢"_s));
        QVERIFY(other.setSlotPersona(u"big"_s, std::nullopt));
        QVERIFY(!store.slotPersona(u"big"_s).value().has_value());
    }

    void leases()
    {
        const QString path = freshPath();
        const Session session =
            Samples::session(SessionStatus::Running, Samples::Optionals::Absent);
        QDateTime now = Samples::time();
        SessionStore mine;
        SessionStore theirs;
        for (SessionStore *store : {&mine, &theirs}) {
            QVERIFY(store->open(path));
            store->setClock([&now] { return now; });
        }
        QVERIFY(mine.saveSession(session));
        QVERIFY(!mine.leaseHolder(session.id).value().has_value());
        QVERIFY(mine.acquireLease(session.id, u"window"_s));
        QVERIFY(mine.acquireLease(session.id, u"window"_s));

        const auto holder = theirs.leaseHolder(session.id).value();
        QVERIFY(holder.has_value());
        QCOMPARE(holder->pid, QCoreApplication::applicationPid());
        QCOMPARE(holder->processKind, u"window"_s);
        QCOMPARE(holder->heartbeatAt, now);
        QVERIFY(holder->description().contains(u"crosstalk window (pid "_s));

        auto refused = theirs.acquireLease(session.id, u"serve"_s);
        QCOMPARE(refused.error().code, ErrorCode::Conflict);
        QVERIFY2(refused.error().message.contains(holder->description()),
                 qPrintable(refused.error().message));

        // Heartbeats keep it live past the timeout…
        now = now.addMSecs(8000);
        QVERIFY(mine.renewLease(session.id));
        now = now.addMSecs(8000);
        QVERIFY(!theirs.acquireLease(session.id, u"serve"_s));
        // …and without them it goes stale and is taken over.
        now = now.addMSecs(SessionStore::defaultLeaseTimeout.count() + 1);
        QVERIFY(!theirs.leaseHolder(session.id).value().has_value());
        QVERIFY(theirs.acquireLease(session.id, u"serve"_s));
        QCOMPARE(theirs.leaseHolder(session.id).value()->processKind, u"serve"_s);
        QCOMPARE(mine.renewLease(session.id).error().code, ErrorCode::Conflict);
        // Releasing a lease one does not hold leaves the holder's alone.
        QVERIFY(mine.releaseLease(session.id));
        QVERIFY(theirs.leaseHolder(session.id).value().has_value());
        QVERIFY(theirs.releaseLease(session.id));
        QVERIFY(!mine.leaseHolder(session.id).value().has_value());
        QVERIFY(mine.acquireLease(session.id, u"window"_s));

        mine.setLeaseTimeout(std::chrono::milliseconds(100));
        QCOMPARE(mine.leaseTimeout(), std::chrono::milliseconds(100));
        now = now.addMSecs(101);
        QVERIFY(!mine.leaseHolder(session.id).value().has_value());
        QCOMPARE(theirs.acquireLease(QUuid::createUuid(), u"serve"_s).error().code,
                 ErrorCode::NotFound);
    }

    void recoverAfterCrash()
    {
        const QString path = freshPath();
        const Session orphan =
            Samples::session(SessionStatus::Running, Samples::Optionals::Present);
        const Session alive = Samples::session(SessionStatus::Running, Samples::Optionals::Absent);
        const Session paused = Samples::session(SessionStatus::Paused, Samples::Optionals::Absent);
        SessionStore runner;
        QVERIFY(runner.open(path));
        for (const Session &session : {orphan, alive, paused}) {
            QVERIFY(runner.saveSession(session, SessionStore::Messages::Replace));
        }
        QVERIFY(runner.acquireLease(alive.id, u"window"_s));
        Message streaming = paused.messages[7];
        streaming.status = MessageStatus::Streaming;
        QVERIFY(runner.updateMessage(streaming));
        QVERIFY(runner.checkpointStreaming(orphan.messages[7].id, u"The answer is"_s));

        SessionStore restarted;
        QVERIFY(restarted.open(path));
        // Just after the runner's heartbeat, so its lease is live.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        restarted.setClock([now] { return now; });
        const auto recovery = restarted.recoverAfterCrash();
        QVERIFY(recovery);
        QCOMPARE(recovery->interruptedSessions, QList<QUuid>{orphan.id});
        QCOMPARE(QSet<QUuid>(recovery->partialMessages.cbegin(), recovery->partialMessages.cend()),
                 (QSet<QUuid>{orphan.messages[7].id, streaming.id}));

        const Session recovered = restarted.loadSession(orphan.id).value();
        QCOMPARE(recovered.status, SessionStatus::Interrupted);
        QCOMPARE(recovered.updatedAt, now);
        QCOMPARE(recovered.messages[7].status, MessageStatus::Partial);
        QCOMPARE(recovered.messages[7].content, u"The answer is"_s);
        QCOMPARE(recovered.messages.mid(0, 7), orphan.messages.mid(0, 7));
        QCOMPARE(restarted.loadSession(paused.id)->messages[7].status, MessageStatus::Partial);
        // The session running under a live lease is left alone.
        QCOMPARE(restarted.loadSession(alive.id).value(), alive);
        QVERIFY(restarted.recoverAfterCrash()->interruptedSessions.isEmpty());
    }

    void watcherSeesOtherConnections()
    {
        const QString path = freshPath();
        SessionStore writer;
        QVERIFY(writer.open(path));
        StoreWatcher watcher;
        QVERIFY2(watcher.start(path, std::chrono::milliseconds(20)),
                 qPrintable(watcher.errorString()));
        QSignalSpy changed(&watcher, &StoreWatcher::changed);
        QVERIFY(writer.setSlotPersona(u"big"_s, u"x"_s));
        QTRY_COMPARE(changed.count(), 1);
        QVERIFY(writer.saveSession(
            Samples::session(SessionStatus::Completed, Samples::Optionals::Absent)));
        QTRY_COMPARE(changed.count(), 2);
    }

    void watcherReportsMissingStore()
    {
        StoreWatcher watcher;
        QVERIFY(!watcher.start(m_dir.filePath(u"missing/none.sqlite"_s)));
        QVERIFY(watcher.errorString().contains(u"none.sqlite"_s));
    }
};

QTEST_GUILESS_MAIN(TestSessionStore)
#include "tst_sessionstore.moc"
