// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/sessiondocument.h"

#include "jsonpath.h"
#include "samplesession.h"

#include <QFile>
#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

QString describe(const QList<FieldError> &errors)
{
    QStringList lines;
    for (const FieldError &error : errors) {
        lines.append(error.toString());
    }
    return lines.join(u"\n"_s);
}

QJsonObject sampleDocument()
{
    return SessionDocument::toJson(
        Samples::session(SessionStatus::Completed, Samples::Optionals::Present));
}

} // namespace

class TestSessionDocument : public QObject
{
    Q_OBJECT

private slots:
    void roundTripIsLossless_data()
    {
        QTest::addColumn<SessionStatus>("status");
        QTest::addColumn<Samples::Optionals>("optionals");
        for (const auto &status : EnumTraits<SessionStatus>::names) {
            QTest::addRow("%s with optionals", status.name.data())
                << status.value << Samples::Optionals::Present;
            QTest::addRow("%s without optionals", status.name.data())
                << status.value << Samples::Optionals::Absent;
        }
    }

    void roundTripIsLossless()
    {
        QFETCH(SessionStatus, status);
        QFETCH(Samples::Optionals, optionals);
        const Session original = Samples::session(status, optionals);

        const QByteArray written = SessionDocument::write(original);
        const Parsed<Session> read = SessionDocument::read(written);
        QVERIFY2(read, qPrintable(describe(read.errors)));
        QCOMPARE(SessionDocument::write(*read.value), written);
        QVERIFY(*read.value == original);
    }

    void sampleCoversEveryMessageTypeAndStatus()
    {
        QSet<MessageType> types;
        QSet<MessageStatus> statuses;
        for (const Message &message :
             Samples::session(SessionStatus::Running, Samples::Optionals::Present).messages) {
            types.insert(message.type);
            statuses.insert(message.status);
        }
        QCOMPARE(types.size(), qsizetype(EnumTraits<MessageType>::names.size()));
        QCOMPARE(statuses.size(), qsizetype(EnumTraits<MessageStatus>::names.size()));
    }

    void writesTheTopLevelKeysOfTheSpec()
    {
        const QStringList expected{
            u"format_version"_s,
            u"id"_s,
            u"title"_s,
            u"topic"_s,
            u"paradigm"_s,
            u"rounds"_s,
            u"options"_s,
            u"participants"_s,
            u"status"_s,
            u"result"_s,
            u"usage"_s,
            u"created_at"_s,
            u"updated_at"_s,
            u"messages"_s,
            // Version 2's, present in the sample.
            u"forked_from"_s,
        };
        QStringList keys = sampleDocument().keys();
        QStringList sortedExpected = expected;
        keys.sort();
        sortedExpected.sort();
        QCOMPARE(keys, sortedExpected);
        QCOMPARE(sampleDocument().value(u"format_version"_s).toInt(), 2);
    }

    void writesTimesAsUtcWithMilliseconds()
    {
        Session session = Samples::session(SessionStatus::Completed, Samples::Optionals::Absent);
        session.updatedAt = Samples::time(500).toTimeZone(QTimeZone::fromSecondsAheadOfUtc(7200));
        const QJsonObject document = SessionDocument::toJson(session);
        QCOMPARE(document.value(u"created_at"_s).toString(), u"2026-11-25T14:03:07.125Z"_s);
        QCOMPARE(document.value(u"updated_at"_s).toString(), u"2026-11-25T14:03:07.625Z"_s);
    }

    void writesIdsInLowerCaseWithHyphens()
    {
        const QString id = sampleDocument().value(u"id"_s).toString();
        QCOMPARE(id.size(), 36);
        QCOMPARE(id, id.toLower());
        QVERIFY(!id.startsWith(u'{'));
    }

    void titleDefaultsToTheTopicsFirstLine()
    {
        const Parsed<Session> read =
            SessionDocument::fromJson(Testing::replaced(sampleDocument(), u"title", QJsonValue()));
        QVERIFY2(read, qPrintable(describe(read.errors)));
        QCOMPARE(read.value->title, u"Is 6 × 7 = 42? 🤔"_s);
    }

    void topicLengthCountsCharactersNotCodeUnits()
    {
        const QString emoji = u"🦜"_s;
        const Parsed<Session> longest = SessionDocument::fromJson(
            Testing::replaced(sampleDocument(), u"topic", emoji.repeated(4000)));
        QVERIFY2(longest, qPrintable(describe(longest.errors)));
        const Parsed<Session> tooLong = SessionDocument::fromJson(
            Testing::replaced(sampleDocument(), u"topic", emoji.repeated(4001)));
        QVERIFY(!tooLong);
        QCOMPARE(tooLong.errors.first().path, u"topic"_s);
    }

    void readsTheVersion1Fixture()
    {
        QFile file(QStringLiteral(CROSSTALK_TEST_DATA_DIR) + u"/session-v1.json"_s);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const Parsed<Session> read = SessionDocument::read(file.readAll());
        QVERIFY2(read, qPrintable(describe(read.errors)));
        const Session &session = *read.value;
        QCOMPARE(session.id, QUuid(u"6f1c2a4e-8b0d-4c3e-9a57-2d1e0f3b4c5d"_s));
        QCOMPARE(session.title, u"Why is the sky blue?"_s);
        QCOMPARE(session.paradigm, Paradigm::Relay);
        QCOMPARE(session.rounds, 2);
        QCOMPARE(session.status, SessionStatus::Completed);
        QCOMPARE(session.options.contextWindow, 10);
        QCOMPARE(session.options.budgetTokens, std::optional<qint64>(50000));
        QCOMPARE(session.participants.size(), 2);
        QCOMPARE(session.participants.at(1).name, u"Bob"_s);
        QCOMPARE(session.participants.at(1).personaSource, u"path:bob.md"_s);
        QCOMPARE(session.participants.at(1).colour, QColor(0xda, 0x44, 0x53));
        QCOMPARE(session.messages.size(), 4);
        const Message &last = session.messages.last();
        QCOMPARE(last.seq, 3);
        QCOMPARE(last.round, 1);
        QCOMPARE(last.speaker, u"Bob"_s);
        QCOMPARE(last.recipients, QStringList{u"Alice"_s});
        QCOMPARE(last.type, MessageType::Exchange);
        QCOMPARE(last.model->label(), u"Demo (offline, scripted)"_s);
        QCOMPARE(last.usage.tokensOut, 61);
        QVERIFY(last.usage.estimated);
        QCOMPARE(last.durationMs, std::optional<qint64>(15));
        QCOMPARE(last.createdAt,
                 QDateTime(QDate(2026, 11, 25), QTime(14, 3, 10, 250), QTimeZone::UTC));
        QCOMPARE(session.usage.tokensIn, 600);
    }

    // Version 1 documents have none of version 2's keys; they read as unedited, unforked.
    void readsVersion1WithoutTheKeysOfVersion2()
    {
        const Session plain =
            Samples::session(SessionStatus::Completed, Samples::Optionals::Absent);
        QJsonObject document = SessionDocument::toJson(plain);
        QVERIFY(!document.contains(u"forked_from"_s));
        for (const QJsonValue &message : document.value(u"messages"_s).toArray()) {
            QVERIFY(!message.toObject().contains(u"edited_at"_s));
            QVERIFY(!message.toObject().contains(u"original_content"_s));
        }
        document.insert(u"format_version"_s, 1);
        const Parsed<Session> read = SessionDocument::fromJson(document);
        QVERIFY2(read, qPrintable(describe(read.errors)));
        QVERIFY(!read.value->forkedFrom);
        QVERIFY(std::none_of(read.value->messages.cbegin(), read.value->messages.cend(),
                             [](const Message &m) { return m.isEdited(); }));
    }

    void refusesANewerFormatVersion()
    {
        const Parsed<Session> read =
            SessionDocument::fromJson(Testing::replaced(sampleDocument(), u"format_version", 3));
        QVERIFY(!read);
        QCOMPARE(read.errors.size(), 1);
        QCOMPARE(read.errors.first().path, u"format_version"_s);
        QVERIFY2(read.errors.first().problem.contains(u"newer Crosstalk"_s),
                 qPrintable(read.errors.first().problem));
    }

    void refusesTextThatIsNoDocument_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("problem");
        QTest::newRow("empty") << QByteArray() << u"not valid JSON"_s;
        QTest::newRow("truncated") << QByteArray("{\"format_version\": 1,") << u"not valid JSON"_s;
        QTest::newRow("array") << QByteArray("[]") << u"must be a JSON object"_s;
    }

    void refusesTextThatIsNoDocument()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, problem);
        const Parsed<Session> read = SessionDocument::read(text);
        QVERIFY(!read);
        QCOMPARE(read.errors.size(), 1);
        QVERIFY2(read.errors.first().problem.contains(problem),
                 qPrintable(read.errors.first().problem));
    }

    void refusesInvalidDocuments_data()
    {
        QTest::addColumn<QJsonObject>("document");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("problem");

        const QJsonObject good = sampleDocument();
        const QJsonValue absent(QJsonValue::Undefined);
        const QJsonArray participants = good.value(u"participants"_s).toArray();
        const QJsonArray messages = good.value(u"messages"_s).toArray();
        const auto row = [&good](const char *name, QStringView path, const QJsonValue &value,
                                 const QString &field, const QString &problem) {
            QTest::newRow(name) << Testing::replaced(good, path, value) << field << problem;
        };

        row("format_version missing", u"format_version", absent, u"format_version"_s,
            u"is required"_s);
        row("format_version zero", u"format_version", 0, u"format_version"_s,
            u"must be an integer ≥ 1"_s);
        row("format_version string", u"format_version", u"1"_s, u"format_version"_s,
            u"must be an integer"_s);
        row("id not a uuid", u"id", u"abc"_s, u"id"_s, u"UUID"_s);
        row("id upper case", u"id", u"6F1C2A4E-8B0D-4C3E-9A57-2D1E0F3B4C5D"_s, u"id"_s,
            u"lower-case UUID"_s);
        row("id with braces", u"id", u"{6f1c2a4e-8b0d-4c3e-9a57-2d1e0f3b4c5d}"_s, u"id"_s,
            u"UUID"_s);
        row("title empty", u"title", u""_s, u"title"_s, u"characters long"_s);
        row("topic missing", u"topic", absent, u"topic"_s, u"is required"_s);
        row("topic empty", u"topic", u""_s, u"topic"_s, u"1 to 4000 characters"_s);
        row("topic too long", u"topic", u"x"_s.repeated(4001), u"topic"_s,
            u"1 to 4000 characters"_s);
        row("topic blank", u"topic", u" \n "_s, u"topic"_s, u"must not be blank"_s);
        row("topic a number", u"topic", 5, u"topic"_s, u"must be a string"_s);
        row("paradigm unknown", u"paradigm", u"chat"_s, u"paradigm"_s,
            u"must be one of memory, report, relay, debate, roundtable, moderated"_s);
        row("paradigm null", u"paradigm", QJsonValue(), u"paradigm"_s, u"must not be null"_s);
        row("rounds zero", u"rounds", 0, u"rounds"_s, u"must be an integer from 1 to 100"_s);
        row("rounds 101", u"rounds", 101, u"rounds"_s, u"from 1 to 100"_s);
        row("rounds fractional", u"rounds", 2.5, u"rounds"_s, u"must be an integer"_s);
        row("rounds a string", u"rounds", u"3"_s, u"rounds"_s, u"must be an integer"_s);
        row("rounds fewer than the messages use", u"rounds", 2, u"messages[7].round"_s,
            u"must be less than rounds (2)"_s);
        row("options missing", u"options", absent, u"options"_s, u"is required"_s);
        row("options not an object", u"options", QJsonArray(), u"options"_s,
            u"must be an object"_s);
        row("schedule unknown", u"options.schedule", u"random"_s, u"options.schedule"_s,
            u"must be one of parallel, sequential"_s);
        row("context_window zero", u"options.context_window", 0, u"options.context_window"_s,
            u"must be an integer from 1"_s);
        row("answer_mode a string", u"options.answer_mode", u"yes"_s, u"options.answer_mode"_s,
            u"must be true or false"_s);
        row("summariser_model empty", u"options.summariser_model", u""_s,
            u"options.summariser_model"_s, u"characters long"_s);
        row("budget tokens negative", u"options.budget.tokens", -1, u"options.budget.tokens"_s,
            u"must be an integer ≥ 1"_s);
        row("budget cost negative", u"options.budget.cost", -0.5, u"options.budget.cost"_s,
            u"must be a number ≥ 0"_s);
        row("budget unknown key", u"options.budget.currency", u"EUR"_s,
            u"options.budget.currency"_s, u"is not a known field"_s);
        row("one participant", u"participants", QJsonArray{participants.at(0)}, u"participants"_s,
            u"must have 2 to 8 participants"_s);
        QJsonArray nine;
        for (int i = 0; i < 9; ++i) {
            nine.append(Testing::replaced(participants.at(0), u"name", u"P%1"_s.arg(i)));
        }
        row("nine participants", u"participants", nine, u"participants"_s,
            u"must have 2 to 8 participants"_s);
        row("participant name repeated", u"participants[2].name", u"Ada"_s,
            u"participants[2].name"_s, u"must be unique"_s);
        row("participant named human", u"participants[1].name", u"human"_s,
            u"participants[1].name"_s, u"\"human\" is reserved"_s);
        row("participant name empty", u"participants[0].name", u""_s, u"participants[0].name"_s,
            u"must be 1 to 64 characters long"_s);
        row("participant colour a word", u"participants[0].colour", u"blue"_s,
            u"participants[0].colour"_s, u"must be a colour like #3daee9"_s);
        row("participant temperature too high", u"participants[0].temperature", 2.5,
            u"participants[0].temperature"_s, u"must be a number"_s);
        row("participant max_tokens zero", u"participants[0].max_tokens", 0,
            u"participants[0].max_tokens"_s, u"must be"_s);
        row("participant model missing", u"participants[0].model", absent,
            u"participants[0].model"_s, u"is required"_s);
        row("participant persona too long", u"participants[0].persona", u"p"_s.repeated(50001),
            u"participants[0].persona"_s, u"0 to 50000 characters"_s);
        row("participant a string", u"participants[1]", u"Bob"_s, u"participants[1]"_s,
            u"must be an object"_s);
        row("status unknown", u"status", u"done"_s, u"status"_s, u"must be one of configured"_s);
        row("status in the old API's words", u"status", u"error"_s, u"status"_s,
            u"must be one of"_s);
        row("result votes zero", u"result.votes", 0, u"result.votes"_s,
            u"must be an integer ≥ 1"_s);
        row("result outside answer mode", u"options.answer_mode", false, u"result"_s,
            u"must be null outside answer mode"_s);
        row("usage tokens negative", u"usage.tokens_in", -5, u"usage.tokens_in"_s,
            u"must be an integer ≥ 0"_s);
        row("usage cost a string", u"usage.cost", u"free"_s, u"usage.cost"_s,
            u"must be a number ≥ 0"_s);
        row("created_at without milliseconds", u"created_at", u"2026-11-25T14:03:07Z"_s,
            u"created_at"_s, u"like 2026-11-25T14:03:07.125Z"_s);
        row("created_at with an offset", u"created_at", u"2026-11-25T14:03:07.125+01:00"_s,
            u"created_at"_s, u"UTC time"_s);
        row("created_at impossible date", u"created_at", u"2026-02-30T14:03:07.125Z"_s,
            u"created_at"_s, u"UTC time"_s);
        row("updated before created", u"updated_at", u"2026-11-25T14:03:07.124Z"_s, u"updated_at"_s,
            u"must not be before created_at"_s);
        row("unknown top-level key", u"colour", u"#ffffff"_s, u"colour"_s,
            u"is not a known field"_s);
        row("messages not an array", u"messages", QJsonObject(), u"messages"_s,
            u"must be an array"_s);
        row("message not an object", u"messages[5]", 42, u"messages[5]"_s, u"must be an object"_s);
        row("message round negative", u"messages[5].round", -1, u"messages[5].round"_s,
            u"must be an integer ≥ 0"_s);
        row("message round fractional", u"messages[5].round", 1.5, u"messages[5].round"_s,
            u"must be an integer ≥ 0"_s);
        row("message seq not increasing", u"messages[3].seq", 2, u"messages[3].seq"_s,
            u"must be greater than the previous message's"_s);
        row("message id repeated", u"messages[2].id", messages.at(1)[u"id"_s], u"messages[2].id"_s,
            u"must be unique"_s);
        row("message of another session", u"messages[4].session_id",
            u"6f1c2a4e-8b0d-4c3e-9a57-2d1e0f3b4c5d"_s, u"messages[4].session_id"_s,
            u"must be the session's id"_s);
        row("message speaker unknown", u"messages[5].speaker", u"Zed"_s, u"messages[5].speaker"_s,
            u"\"Zed\" is not a participant"_s);
        row("message recipient unknown", u"messages[5].recipients[1]", u"Zed"_s,
            u"messages[5].recipients[1]"_s, u"\"Zed\" is not a participant"_s);
        row("message recipient a number", u"messages[5].recipients[0]", 7,
            u"messages[5].recipients[0]"_s, u"must be a string"_s);
        row("message type unknown", u"messages[5].type", u"rant"_s, u"messages[5].type"_s,
            u"must be one of opening, exchange, verdict, summary, human, moderator"_s);
        row("human speaker, other type", u"messages[3].type", u"exchange"_s, u"messages[3].type"_s,
            u"must be \"human\" exactly when"_s);
        row("participant speaker, human type", u"messages[5].type", u"human"_s,
            u"messages[5].type"_s, u"must be \"human\" exactly when"_s);
        row("moderator speaker, other type", u"messages[4].type", u"exchange"_s,
            u"messages[4].type"_s, u"must be \"moderator\" exactly when"_s);
        row("message status unknown", u"messages[5].status", u"done"_s, u"messages[5].status"_s,
            u"must be one of streaming, complete, partial, failed"_s);
        row("confidence above 1", u"messages[5].confidence", 1.5, u"messages[5].confidence"_s,
            u"must be a number from 0 to 1"_s);
        row("usage_estimated a string", u"messages[5].usage.usage_estimated", u"no"_s,
            u"messages[5].usage.usage_estimated"_s, u"must be true or false"_s);
        row("model kind unknown", u"messages[5].model.kind", u"gemini"_s,
            u"messages[5].model.kind"_s, u"must be one of openai, anthropic, demo"_s);
        row("model alias empty", u"messages[5].model.alias", u""_s, u"messages[5].model.alias"_s,
            u"characters long"_s);
        row("request an array", u"messages[5].request", QJsonArray(), u"messages[5].request"_s,
            u"must be an object"_s);
        row("ttft negative", u"messages[5].ttft_ms", -1, u"messages[5].ttft_ms"_s,
            u"must be an integer ≥ 0"_s);
        row("message created_at missing", u"messages[5].created_at", absent,
            u"messages[5].created_at"_s, u"is required"_s);
        row("message content null", u"messages[5].content", QJsonValue(), u"messages[5].content"_s,
            u"must not be null"_s);
        row("message unknown key", u"messages[5].mood", u"happy"_s, u"messages[5].mood"_s,
            u"is not a known field"_s);
        row("edited_at without the original", u"messages[2].original_content", absent,
            u"messages[2].original_content"_s, u"must be given with edited_at"_s);
        row("original without edited_at", u"messages[2].edited_at", QJsonValue(),
            u"messages[2].edited_at"_s, u"must be given with original_content"_s);
        row("edited_at not a time", u"messages[2].edited_at", u"yesterday"_s,
            u"messages[2].edited_at"_s, u"must be a UTC time"_s);
        row("forked_from not an object", u"forked_from", u"abc"_s, u"forked_from"_s,
            u"must be an object"_s);
        row("forked_from without its message", u"forked_from.message_id", absent,
            u"forked_from.message_id"_s, u"is required"_s);
        row("forked_from session not a uuid", u"forked_from.session_id", u"abc"_s,
            u"forked_from.session_id"_s, u"UUID"_s);
        row("forked_from unknown key", u"forked_from.seq", 3, u"forked_from.seq"_s,
            u"is not a known field"_s);

        QJsonObject outsideAnswerMode = Testing::replaced(good, u"options.answer_mode", false);
        outsideAnswerMode = Testing::replaced(outsideAnswerMode, u"result", QJsonValue());
        QTest::newRow("answer outside answer mode") << outsideAnswerMode << u"messages[0].answer"_s
                                                    << u"must be null outside answer mode"_s;
    }

    void refusesInvalidDocuments()
    {
        QFETCH(QJsonObject, document);
        QFETCH(QString, field);
        QFETCH(QString, problem);
        const Parsed<Session> read = SessionDocument::fromJson(document);
        QVERIFY(!read);
        const bool named =
            std::any_of(read.errors.cbegin(), read.errors.cend(), [&](const FieldError &error) {
                return error.path == field && error.problem.contains(problem);
            });
        QVERIFY2(named, qPrintable(u"expected \"%1: …%2…\", got:\n"_s.arg(field, problem) +
                                   describe(read.errors)));
    }

    void reportsEveryProblemAtOnce()
    {
        QJsonObject document = Testing::replaced(sampleDocument(), u"rounds", 0);
        document = Testing::replaced(document, u"participants[0].colour", u"red"_s);
        document = Testing::replaced(document, u"messages[1].status", u"odd"_s);
        const Parsed<Session> read = SessionDocument::fromJson(document);
        QCOMPARE(read.errors.size(), 3);
        QCOMPARE(read.errors.at(0).path, u"rounds"_s);
        QCOMPARE(read.errors.at(1).path, u"participants[0].colour"_s);
        QCOMPARE(read.errors.at(2).path, u"messages[1].status"_s);
    }

    void readsAMessageOnItsOwn()
    {
        const QJsonObject message =
            sampleDocument().value(u"messages"_s).toArray().at(5).toObject();
        const Parsed<Message> read = SessionDocument::messageFromJson(message);
        QVERIFY2(read, qPrintable(describe(read.errors)));
        QCOMPARE(SessionDocument::messageToJson(*read.value), message);

        const Parsed<Message> broken = SessionDocument::messageFromJson(
            Testing::replaced(message, u"round", -1), u"message"_s);
        QVERIFY(!broken);
        QCOMPARE(broken.errors.size(), 1);
        QCOMPARE(broken.errors.first().path, u"message.round"_s);
    }
};

QTEST_GUILESS_MAIN(TestSessionDocument)
#include "tst_sessiondocument.moc"
