// SPDX-License-Identifier: GPL-3.0-or-later
// Run control at awkward moments (PRODUCT.md §3), against the fake LLM server.
#include "config/settings.h"
#include "engine/engine.h"
#include "engine/sessionpersister.h"
#include "fakellmserver.h"
#include "llm/chatclient.h"
#include "storage/sessionstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Fake;

class TestRunControl : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FakeLlmServer m_server;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<ChatClient> m_client;
    std::unique_ptr<Engine> m_engine;

    Session draft(int rounds, Paradigm paradigm = Paradigm::Memory)
    {
        Session s;
        s.topic = u"Tea or coffee?"_s;
        s.paradigm = paradigm;
        s.rounds = rounds;
        for (int i = 0; i < 2; ++i)
            s.participants.append(
                {u"P%1"_s.arg(i + 1), u"m%1"_s.arg(i), u"You are P%1."_s.arg(i + 1), {}, {}, {}});
        return s;
    }

    QUuid create(const Session &s)
    {
        const Parsed<QUuid> created = m_engine->createSession(s);
        return created ? *created.value : QUuid();
    }

    const Session &session(const QUuid &id) { return *m_engine->session(id); }

    bool settled(const QUuid &id)
    {
        const Session &s = session(id);
        return s.status != SessionStatus::Running &&
               std::none_of(s.messages.cbegin(), s.messages.cend(),
                            [](const Message &m) { return m.status == MessageStatus::Streaming; });
    }

    int turns(const QUuid &id, MessageStatus status)
    {
        const Session &s = session(id);
        return int(std::count_if(s.messages.cbegin(), s.messages.cend(), [&](const Message &m) {
            return m.speaker.startsWith(u'P') && m.status == status;
        }));
    }

    QString requestText(const RecordedRequest &r)
    {
        return QString::fromUtf8(QJsonDocument(r.json[u"messages"_s].toArray()).toJson());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.listen());
        m_settings = std::make_unique<Settings>(m_dir.filePath(u"crosstalk.conf"_s));
        for (int i = 0; i < 3; ++i)
            m_settings->setModelAttributes(
                u"m%1"_s.arg(i),
                {{u"base_url"_s, QString(m_server.baseUrl().toString() + u"/v1"_s)},
                 {u"model_id"_s, u"model-%1"_s.arg(i)},
                 {u"input_price_per_million"_s, 1000.0},
                 {u"output_price_per_million"_s, 1000.0}});
        // A server elsewhere with a model the price table does not know; never asked.
        m_settings->setModelAttributes(u"remote"_s, {{u"base_url"_s, u"http://llm.invalid/v1"_s},
                                                     {u"model_id"_s, u"house-model"_s}});
    }

    void init()
    {
        m_server.clearRequests();
        m_server.clearFaultRules();
        m_server.setTiming({5, 5, 0});
        m_client = std::make_unique<ChatClient>();
        CallTiming timing;
        timing.inactivityTimeout = std::chrono::milliseconds(300);
        timing.retry.maxRetries = 1;
        timing.retry.baseDelay = std::chrono::milliseconds(1);
        m_client->setTiming(timing);
        m_engine = std::make_unique<Engine>(ModelRegistry::load({}, m_settings.get()),
                                            m_client.get(), nullptr);
    }

    void pauseWhileAParallelRoundStreams()
    {
        m_server.setTiming({5, 5, 100});
        const QUuid id = create(draft(3));
        QVERIFY(!m_engine->start(id));
        QTRY_VERIFY(std::any_of(session(id).messages.cbegin(), session(id).messages.cend(),
                                [](const Message &m) { return !m.content.isEmpty(); }));
        QVERIFY(!m_engine->pause(id));
        QCOMPARE(session(id).status, SessionStatus::Paused);
        // Replies in flight finish; no new one starts.
        QTRY_VERIFY_WITH_TIMEOUT(settled(id), 10000);
        QCOMPARE(turns(id, MessageStatus::Complete), 2);
        QCOMPARE(m_server.requests().size(), 2);
        QVERIFY(!m_engine->start(id));
        QTRY_COMPARE_WITH_TIMEOUT(session(id).status, SessionStatus::Completed, 20000);
        QCOMPARE(turns(id, MessageStatus::Complete), 6);
    }

    void stopDuringTheFirstToken()
    {
        m_server.setTiming({5, 5, 20});
        const QUuid id = create(draft(3));
        QSignalSpy spy(m_engine.get(), &Engine::event);
        QVERIFY(!m_engine->start(id));
        QTRY_VERIFY(std::any_of(spy.cbegin(), spy.cend(), [](const QList<QVariant> &args) {
            return args.first().value<EngineEvent>().type == EngineEventType::MessageDelta;
        }));
        const auto started = [&] {
            return std::count_if(spy.cbegin(), spy.cend(), [](const QList<QVariant> &args) {
                return args.first().value<EngineEvent>().type == EngineEventType::MessageStarted;
            });
        };
        const qsizetype startedBeforeStop = started();
        QVERIFY(!m_engine->stop(id));
        QCOMPARE(session(id).status, SessionStatus::Cancelled);
        QTRY_VERIFY(settled(id));
        QVERIFY(turns(id, MessageStatus::Partial) >= 1);
        QCOMPARE(turns(id, MessageStatus::Complete), 0);
        for (const Message &m : session(id).messages)
            QVERIFY(m.status == MessageStatus::Partial || !m.content.isEmpty() ||
                    m.status == MessageStatus::Failed);
        // Nothing new after the stop: once every call is gone (a call could still retry),
        // nothing is left that could send a request, and no turn was started.
        QTRY_VERIFY(m_engine->findChildren<ChatCall *>().isEmpty());
        QCOMPARE(started(), startedBeforeStop);
        QVERIFY(m_server.requests().size() <= 2);

        // Stop can be undone: resuming asks again for the turns it cut off; the partial
        // replies stay, marked partial (PRODUCT.md §3).
        QCOMPARE(m_engine->stop(id)->code, ErrorCode::Conflict); // stopped already
        const int partial = turns(id, MessageStatus::Partial);
        QCOMPARE(m_engine->start(id), std::nullopt);
        QTRY_COMPARE_WITH_TIMEOUT(session(id).status, SessionStatus::Completed, 30000);
        QCOMPARE(turns(id, MessageStatus::Partial), partial);
        QCOMPARE(turns(id, MessageStatus::Complete), 2 * 3);
    }

    void providerFaultsMidSession_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<MessageStatus>("status");
        QTest::addColumn<QString>("error");           // in the message's error, when not empty
        QTest::addColumn<qsizetype>("contentLength"); // of the message, when not -1
        QTest::newRow("R1 503") << u"503"_s << MessageStatus::Failed << QString() << qsizetype(-1);
        QTest::newRow("R1 429") << u"429:0"_s << MessageStatus::Failed << QString()
                                << qsizetype(-1);
        QTest::newRow("R2 reset") << u"reset:3"_s << MessageStatus::Partial << QString()
                                  << qsizetype(-1);
        QTest::newRow("R2 truncate")
            << u"truncate:3"_s << MessageStatus::Partial << QString() << qsizetype(-1);
        QTest::newRow("R3 malformed")
            << u"malformed:2"_s << MessageStatus::Partial << QString() << qsizetype(-1);
        QTest::newRow("R4 stall") << u"stall"_s << MessageStatus::Failed << QString()
                                  << qsizetype(-1);
        // QUALITY.md R13: the reply is cut at its bound and kept, the session pauses.
        QTest::newRow("R13 endless deltas")
            << u"endless-deltas"_s << MessageStatus::Partial << u"limit of 4 MiB of text"_s
            << ChatCall::maxReplyChars;
        QTest::newRow("R13 endless line")
            << u"endless-line"_s << MessageStatus::Failed
            << u"line longer than the limit of 1 MiB"_s << qsizetype(0);
        QTest::newRow("R13 endless event")
            << u"endless-event"_s << MessageStatus::Failed
            << u"event larger than the limit of 1 MiB"_s << qsizetype(0);
    }

    // One participant's reply in round 2 fails: the transcript stays intact, the session
    // pauses with the reason, and once the provider recovers it resumes to the end.
    void providerFaultsMidSession()
    {
        QFETCH(QString, fault);
        QFETCH(MessageStatus, status);
        QFETCH(QString, error);
        QFETCH(qsizetype, contentLength);
        m_server.addFaultRule(*FaultRule::parse(fault + u"@model=model-1,round=1"_s, nullptr));
        const QUuid id = create(draft(3));
        QSignalSpy statuses(m_engine.get(), &Engine::event);
        QVERIFY(!m_engine->start(id));
        QTRY_VERIFY_WITH_TIMEOUT(settled(id), 10000);
        const Session &s = session(id);
        QCOMPARE(s.status, SessionStatus::Paused);
        QCOMPARE(s.messages.size(), 4);
        QCOMPARE(s.messages.at(0).status, MessageStatus::Complete);
        QCOMPARE(s.messages.at(1).status, MessageStatus::Complete);
        QCOMPARE(s.messages.at(2).status, MessageStatus::Complete);
        QCOMPARE(s.messages.at(3).status, status);
        QVERIFY(!s.messages.at(3).error.isEmpty());
        QVERIFY2(s.messages.at(3).error.contains(error), qPrintable(s.messages.at(3).error));
        if (contentLength >= 0)
            QCOMPARE(s.messages.at(3).content.size(), contentLength);
        QString reason;
        for (const QList<QVariant> &args : statuses) {
            const auto e = args.first().value<EngineEvent>();
            if (e.type == EngineEventType::SessionStatus && e.newStatus == SessionStatus::Paused)
                reason = e.reason;
        }
        QVERIFY2(reason.contains(u"P2"_s), qPrintable(reason));
        QVERIFY2(reason.contains(error), qPrintable(reason));

        m_server.clearFaultRules();
        const QUuid failed = s.messages.at(3).id;
        QVERIFY(!m_engine->retry(id, failed));
        QTRY_COMPARE_WITH_TIMEOUT(s.messages.at(3).status, MessageStatus::Complete, 10000);
        QCOMPARE(s.messages.at(3).id, failed); // retried in place
        QCOMPARE(s.status, SessionStatus::Paused);
        QVERIFY(!m_engine->start(id));
        QTRY_COMPARE_WITH_TIMEOUT(s.status, SessionStatus::Completed, 10000);
        QCOMPARE(turns(id, MessageStatus::Complete), 6);
    }

    void humanMessageReachesOnlyItsRecipients()
    {
        const QUuid id = create(draft(2));
        QVERIFY(!m_engine->start(id));
        QVERIFY(!m_engine->pause(id)); // round 1 in flight finishes, round 2 waits
        QTRY_VERIFY(settled(id));
        QCOMPARE(m_engine->addHumanMessage(id, u"P2, think of the mornings."_s, {u"P2"_s}),
                 std::nullopt);
        QCOMPARE(m_engine->addHumanMessage(id, u"x"_s, {u"Nobody"_s})->code,
                 ErrorCode::InvalidArgument);
        QVERIFY(!m_engine->start(id));
        QTRY_COMPARE_WITH_TIMEOUT(session(id).status, SessionStatus::Completed, 10000);
        int checked = 0;
        for (const RecordedRequest &r : m_server.requests()) {
            if (r.context.round != 1)
                continue;
            ++checked;
            const bool toP2 = r.json[u"model"_s].toString() == u"model-1"_s;
            QCOMPARE(requestText(r).contains(u"Human: P2, think of the mornings."_s), toP2);
        }
        QCOMPARE(checked, 2);
        const Message &human = session(id).messages.at(2);
        QCOMPARE(human.type, MessageType::Human);
        QCOMPARE(human.recipients, QStringList{u"P2"_s});
    }

    void forkOfAFork()
    {
        const QUuid id = create(draft(3));
        QVERIFY(!m_engine->start(id));
        QTRY_COMPARE_WITH_TIMEOUT(session(id).status, SessionStatus::Completed, 10000);
        const Session original = session(id);

        QUuid first;
        QVERIFY(!m_engine->fork(id, original.messages.at(3).id, &first));
        QCOMPARE(session(first).messages.size(), 4);
        QCOMPARE(session(first).status, SessionStatus::Paused);
        QUuid second;
        QVERIFY(!m_engine->fork(first, session(first).messages.at(1).id, &second));
        QCOMPARE(session(second).messages.size(), 2);
        QVERIFY(!m_engine->start(second));
        QTRY_COMPARE_WITH_TIMEOUT(session(second).status, SessionStatus::Completed, 10000);
        QCOMPARE(session(second).messages.size(), 6);
        QCOMPARE(session(second).messages.at(0).content, original.messages.at(0).content);
        QVERIFY(session(second).messages.at(0).id != original.messages.at(0).id);
        QCOMPARE(session(id), original); // the originals stay intact
        QCOMPARE(session(first).messages.size(), 4);
    }

    void editAndRegenerate()
    {
        const QDateTime editTime = QDateTime(QDate(2026, 12, 1), QTime(9, 30), QTimeZone::UTC);
        const QUuid id = create(draft(2));
        QVERIFY(!m_engine->start(id));
        QTRY_COMPARE_WITH_TIMEOUT(session(id).status, SessionStatus::Completed, 10000);
        const Session original = session(id);
        const Message &last = original.messages.last();
        QVERIFY(!last.isEdited());

        // The last message is edited in place; it is marked edited and keeps the model's text
        // (and the usage of that text) through every later edit.
        m_engine->setClock([editTime] { return editTime; });
        QUuid result;
        QVERIFY(!m_engine->editMessage(id, last.id, u"Coffee."_s, &result));
        QCOMPARE(result, id);
        QCOMPARE(session(id).messages.last().content, u"Coffee."_s);
        QCOMPARE(session(id).messages.last().editedAt, editTime);
        QCOMPARE(session(id).messages.last().originalContent, last.content);
        QCOMPARE(session(id).messages.last().usage, last.usage);
        m_engine->setClock([editTime] { return editTime.addSecs(60); });
        QVERIFY(!m_engine->editMessage(id, last.id, u"Coffee, black."_s, &result));
        QCOMPARE(session(id).messages.last().editedAt, editTime.addSecs(60));
        QCOMPARE(session(id).messages.last().originalContent, last.content);
        QVERIFY(!session(id).forkedFrom);

        // An earlier one forks: the fork ends with the edit, says where it came from, and goes
        // on from it.
        QVERIFY(
            !m_engine->editMessage(id, original.messages.at(0).id, u"Tea, clearly."_s, &result));
        QVERIFY(result != id);
        QCOMPARE(session(result).messages.size(), 1);
        QCOMPARE(session(result).messages.at(0).content, u"Tea, clearly."_s);
        QCOMPARE(session(result).messages.at(0).originalContent, original.messages.at(0).content);
        QCOMPARE(session(result).forkedFrom,
                 std::optional(ForkOrigin{id, original.messages.at(0).id}));
        QCOMPARE(session(id).messages.at(0).content, original.messages.at(0).content);
        QVERIFY(!session(id).messages.at(0).isEdited());
        m_server.clearRequests();
        QVERIFY(!m_engine->start(result));
        QTRY_COMPARE_WITH_TIMEOUT(session(result).status, SessionStatus::Completed, 10000);
        bool sawEdit = false;
        for (const RecordedRequest &r : m_server.requests())
            sawEdit = sawEdit || requestText(r).contains(u"Tea, clearly."_s);
        QVERIFY(sawEdit);

        // Regenerating an earlier reply forks there and asks again for it alone; the fork then
        // waits, paused, holding the new reply and counting its usage, not the old one's.
        m_server.clearRequests();
        const Message &earlier = original.messages.at(1);
        QUuid regenerated;
        QVERIFY(!m_engine->regenerate(id, earlier.id, &regenerated));
        QVERIFY(regenerated != id);
        QCOMPARE(session(regenerated).forkedFrom, std::optional(ForkOrigin{id, earlier.id}));
        QTRY_VERIFY_WITH_TIMEOUT(settled(regenerated), 10000);
        const Session &fork = session(regenerated);
        QCOMPARE(fork.status, SessionStatus::Paused);
        QCOMPARE(fork.messages.size(), 2);
        QCOMPARE(m_server.requests().size(), 1);
        const Message &again = fork.messages.at(1);
        QCOMPARE(again.speaker, earlier.speaker);
        QCOMPARE(again.status, MessageStatus::Complete);
        QVERIFY(!again.content.isEmpty());
        QVERIFY(again.id != earlier.id);
        QCOMPARE(fork.usage.tokensOut,
                 original.messages.at(0).usage.tokensOut + again.usage.tokensOut);
        QCOMPARE(session(id).messages.size(), original.messages.size());
        // Resuming goes on from the regenerated reply.
        QVERIFY(!m_engine->start(regenerated));
        QTRY_COMPARE_WITH_TIMEOUT(session(regenerated).status, SessionStatus::Completed, 10000);
        QCOMPARE(session(regenerated).messages.size(), 4);

        // A regenerated reply is the model's again: an edit mark goes with the edited text.
        QVERIFY(!m_engine->regenerate(id, last.id, &result));
        QCOMPARE(result, id);
        QTRY_VERIFY_WITH_TIMEOUT(settled(id), 10000);
        QVERIFY(!session(id).messages.last().isEdited());
        QVERIFY(session(id).messages.last().originalContent.isEmpty());
    }

    void changeModelWhilePaused()
    {
        const QUuid id = create(draft(2));
        QCOMPARE(m_engine->setParticipantModel(id, u"P1"_s, u"m2"_s), std::nullopt);
        QCOMPARE(m_engine->setParticipantModel(id, u"P1"_s, u"nope"_s)->code,
                 ErrorCode::InvalidArgument);
        QVERIFY(!m_engine->start(id));
        QCOMPARE(m_engine->setParticipantModel(id, u"P1"_s, u"m0"_s)->code, ErrorCode::Conflict);
        QTRY_COMPARE_WITH_TIMEOUT(session(id).status, SessionStatus::Completed, 10000);
        QCOMPARE(session(id).messages.at(0).model->modelId, u"model-2"_s);
    }

    void renameIsKept()
    {
        QTemporaryDir dir;
        SessionStore store;
        QVERIFY(store.open(dir.filePath(u"store.sqlite"_s)).ok());
        m_engine->setStore(&store, u"test"_s);
        const QUuid id = create(draft(2));
        QSignalSpy spy(m_engine.get(), &Engine::event);
        QCOMPARE(m_engine->rename(id, u"  Breakfast drinks  "_s), std::nullopt);
        QCOMPARE(session(id).title, u"Breakfast drinks"_s);
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.first().first().value<EngineEvent>().type, EngineEventType::SessionUpdated);
        QTRY_VERIFY(!m_engine->persister()->holdsUnsaved(id));
        QCOMPARE(store.loadSession(id)->title, u"Breakfast drinks"_s);
        QCOMPARE(m_engine->rename(id, u"   "_s)->code, ErrorCode::InvalidArgument);
        QCOMPARE(m_engine->rename(id, QString(Session::maxTopicLength + 1, u'x'))->code,
                 ErrorCode::InvalidArgument);
        QCOMPARE(m_engine->rename(QUuid::createUuid(), u"x"_s)->code, ErrorCode::NotFound);
        QCOMPARE(session(id).title, u"Breakfast drinks"_s);
        m_engine.reset(); // before its store
    }

    // Two processes on one store: a session this engine loaded earlier but did not run is
    // taken as the other process left it.
    void idleCopiesFollowTheStore()
    {
        QTemporaryDir dir;
        SessionStore storeA, storeB;
        QVERIFY(storeA.open(dir.filePath(u"store.sqlite"_s)).ok());
        QVERIFY(storeB.open(dir.filePath(u"store.sqlite"_s)).ok());
        m_engine->setStore(&storeA, u"test A"_s);
        Engine other(ModelRegistry::load({}, m_settings.get()), m_client.get(), nullptr);
        other.setStore(&storeB, u"test B"_s);

        const QUuid id = create(draft(2));
        // The store has all of it once the writes are made.
        QTRY_VERIFY(!m_engine->persister()->holdsUnsaved(id));
        QCOMPARE(other.load(id)->status, SessionStatus::Configured);
        QVERIFY(!m_engine->start(id));
        QTRY_COMPARE_WITH_TIMEOUT(session(id).status, SessionStatus::Completed, 10000);
        QTRY_VERIFY(!m_engine->persister()->holdsUnsaved(id));
        const Session *seen = other.load(id);
        QCOMPARE(seen->status, SessionStatus::Completed);
        QCOMPARE(seen->messages.size(), 4);
        QCOMPARE(other.start(id), std::nullopt); // completed: unchanged, not run again
        m_engine.reset();                        // before its store
    }

    void budgetCapsPause_data()
    {
        QTest::addColumn<bool>("byCost");
        QTest::newRow("tokens") << false;
        QTest::newRow("cost") << true;
    }

    void budgetCapsPause()
    {
        QFETCH(bool, byCost);
        Session s = draft(5);
        if (byCost)
            s.options.budgetCost = 0.05; // at $1000 per million tokens: about 50 tokens
        else
            s.options.budgetTokens = 50;
        const QUuid id = create(s);
        QSignalSpy spy(m_engine.get(), &Engine::event);
        QVERIFY(!m_engine->start(id));
        QTRY_VERIFY_WITH_TIMEOUT(settled(id), 10000);
        QCOMPARE(session(id).status, SessionStatus::Paused);
        QVERIFY(session(id).messages.size() < 10);
        QString reason;
        for (const QList<QVariant> &args : spy) {
            const auto e = args.first().value<EngineEvent>();
            if (e.type == EngineEventType::SessionStatus && e.newStatus == SessionStatus::Paused)
                reason = e.reason;
        }
        QVERIFY2(reason.contains(byCost ? u"cost budget"_s : u"token budget"_s),
                 qPrintable(reason));
    }

    // A session a cap paused is not resumed under the same cap (no reply is asked); with the
    // cap raised or removed it goes on to the end.
    void raisedCapsGoOn_data()
    {
        QTest::addColumn<bool>("byCost");
        QTest::newRow("tokens removed") << false;
        QTest::newRow("cost raised") << true;
    }

    void raisedCapsGoOn()
    {
        QFETCH(bool, byCost);
        Session s = draft(3);
        if (byCost)
            s.options.budgetCost = 0.05;
        else
            s.options.budgetTokens = 50;
        const QUuid id = create(s);
        QVERIFY(!m_engine->start(id));
        QTRY_VERIFY_WITH_TIMEOUT(settled(id), 10000);
        QCOMPARE(session(id).status, SessionStatus::Paused);
        const qsizetype requests = m_server.requests().size();

        const std::optional<Error> refused = m_engine->start(id);
        QVERIFY(refused);
        QCOMPARE(refused->code, ErrorCode::Conflict);
        QVERIFY2(refused->message.contains(u"budget"_s) && refused->message.contains(u"Raise"_s),
                 qPrintable(refused->message));
        QCOMPARE(session(id).status, SessionStatus::Paused);
        QCOMPARE(m_server.requests().size(), requests);

        BudgetChange invalid;
        invalid.tokens = std::optional<qint64>(0);
        const std::optional<Error> rejected = m_engine->setBudget(id, invalid);
        QVERIFY(rejected && rejected->code == ErrorCode::InvalidArgument);
        QVERIFY2(rejected->message.contains(u"budget.tokens"_s), qPrintable(rejected->message));

        BudgetChange change;
        if (byCost)
            change.cost = std::optional(1000.0);
        else
            change.tokens = std::optional<qint64>(); // removed
        QCOMPARE(m_engine->setBudget(id, change), std::nullopt);
        QCOMPARE(session(id).options.budgetTokens, std::nullopt);
        QCOMPARE(session(id).options.budgetCost,
                 byCost ? std::optional(1000.0) : std::optional<double>());
        QCOMPARE(m_engine->start(id), std::nullopt);
        // Running, the caps are not changed under it.
        QCOMPARE(m_engine->setBudget(id, change)->code, ErrorCode::Conflict);
        QTRY_COMPARE_WITH_TIMEOUT(session(id).status, SessionStatus::Completed, 20000);
        QCOMPARE(turns(id, MessageStatus::Complete), 6);
    }

    // A cost cap cannot count a model with no known price: refused, naming it, unless the
    // user accepted that (the window's warning).
    void costCapRefusesAnUnpricedModel()
    {
        Session s = draft(2);
        s.participants[1].modelAlias = u"remote"_s;
        s.options.budgetCost = 1.0;
        const Parsed<QUuid> refused = m_engine->createSession(s);
        QVERIFY(!refused);
        QCOMPARE(refused.errors.size(), 1);
        QCOMPARE(refused.errors.first().path, u"options.budget.cost"_s);
        QVERIFY2(
            refused.errors.first().problem.contains(u"remote (model house-model at llm.invalid)"_s),
            qPrintable(refused.errors.first().problem));
        QCOMPARE(m_engine->unpricedModels(s),
                 QStringList{u"remote (model house-model at llm.invalid)"_s});

        // Without a cost cap, or with every model priced, nothing is refused.
        s.options.budgetCost.reset();
        QVERIFY(m_engine->unpricedModels(s).isEmpty());
        const Parsed<QUuid> uncapped = m_engine->createSession(s);
        QVERIFY(uncapped);
        BudgetChange cap;
        cap.cost = std::optional(2.0);
        const std::optional<Error> capRefused = m_engine->setBudget(*uncapped.value, cap);
        QVERIFY(capRefused && capRefused->message.contains(u"house-model"_s));
        QCOMPARE(m_engine->setBudget(*uncapped.value, cap, Engine::UnpricedModels::Accept),
                 std::nullopt);
        QCOMPARE(session(*uncapped.value).options.budgetCost, 2.0);

        s.options.budgetCost = 1.0;
        QVERIFY(m_engine->createSession(s, Engine::StoreAnswer::Confirmed,
                                        Engine::UnpricedModels::Accept));
        s.participants[1].modelAlias = u"m1"_s;
        QVERIFY(m_engine->createSession(s));
    }
};

QTEST_GUILESS_MAIN(TestRunControl)
#include "tst_runcontrol.moc"
