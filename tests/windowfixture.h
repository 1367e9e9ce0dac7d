// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The window on a real store and engine, its models talking to the fake LLM server: what the
// window's GUI tests share. A test class holds one and calls its setUp…/tearDown from its
// initTestCase, init and cleanup slots.
#include "config/appidentity.h"
#include "config/settings.h"
#include "context/appcontext.h"
#include "engine/engine.h"
#include "engine/sessionpersister.h"
#include "fakellmserver.h"
#include "llm/chatclient.h"
#include "mainwindow.h"
#include "modalwait.h"
#include "sessionlistmodel.h"
#include "storage/sessionstore.h"
#include "storage/storeworker.h"
#include "transcriptmodel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>

class WindowFixture
{
public:
    QTemporaryDir dir;
    Crosstalk::Fake::FakeLlmServer server;
    std::unique_ptr<Crosstalk::AppContext> context;
    Crosstalk::Engine *engine = nullptr;
    Crosstalk::SessionStore *store = nullptr;
    Crosstalk::ChatClient *client = nullptr;
    std::unique_ptr<Crosstalk::MainWindow> window;

    void setUpCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        Crosstalk::AppIdentity::apply();
        QFile::remove(Crosstalk::AppIdentity::settingsFilePath());
        QVERIFY(dir.isValid());
        QVERIFY(server.listen());
        server.setTiming({0, 20, 400});
    }

    // Models m0, m1 and m2 on the fake server, a store of the test's own.
    void setUp()
    {
        using namespace Qt::StringLiterals;
        server.clearFaultRules();
        server.clearRequests();
        {
            Crosstalk::Settings settings(dir.filePath(u"crosstalk.conf"_s));
            for (int i = 0; i < 3; ++i)
                settings.setModelAttributes(
                    u"m%1"_s.arg(i),
                    {{u"base_url"_s, QString(server.baseUrl().toString() + u"/v1"_s)},
                     {u"model_id"_s, u"model-%1"_s.arg(i)},
                     {u"max_output_tokens"_s, 200}});
        }
        Crosstalk::AppOptions options(u"window"_s);
        options.dataFolder = dir.path();
        options.storePath =
            dir.filePath(u"%1.sqlite"_s.arg(QString::fromLatin1(QTest::currentTestFunction())));
        options.secrets = Crosstalk::AppOptions::Secrets::None;
        options.environment = QProcessEnvironment();
        context = std::make_unique<Crosstalk::AppContext>(options);
        client = context->chatClient();
        Crosstalk::CallTiming timing;
        timing.inactivityTimeout = std::chrono::seconds(5);
        timing.retry.maxRetries = 0;
        client->setTiming(timing);
        QVERIFY(context->openStore());
        engine = context->engine();
        store = context->store();
    }

    void tearDown()
    {
        m_listTester.reset();
        m_transcriptTester.reset();
        window.reset();
        context.reset();
    }

    void tearDownCase() { QFile::remove(Crosstalk::AppIdentity::settingsFilePath()); }

    // Shows the window with model testers watching both its models.
    void openWindow()
    {
        window = std::make_unique<Crosstalk::MainWindow>(context.get());
        m_listTester = std::make_unique<QAbstractItemModelTester>(
            window->sessionListModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_transcriptTester = std::make_unique<QAbstractItemModelTester>(
            window->transcriptModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        settle();
    }

    // Two physicists on m0 and m1.
    static Crosstalk::Session draft(const QString &topic, int rounds)
    {
        using namespace Qt::StringLiterals;
        Crosstalk::Session s;
        s.topic = topic;
        s.paradigm = Crosstalk::Paradigm::Memory;
        s.rounds = rounds;
        for (int i = 0; i < 2; ++i)
            s.participants.append({u"P%1"_s.arg(i + 1),
                                   u"m%1"_s.arg(i),
                                   u"You are P%1, a physicist."_s.arg(i + 1),
                                   {},
                                   {},
                                   {}});
        return s;
    }

    QUuid create(const QString &topic, int rounds)
    {
        const Crosstalk::Parsed<QUuid> created = engine->createSession(draft(topic, rounds));
        return created ? *created.value : QUuid();
    }

    // The window's action with this text (mnemonics included), or null.
    QAction *action(const QString &text) const
    {
        for (QAction *a : window->findChildren<QAction *>())
            if (a->text() == text)
                return a;
        return nullptr;
    }

    // Waits until what the window asked of the store's threads has answered: the lists, the
    // transcript's pages, the sessions an action asked the engine for (Engine::whenLoaded),
    // the leases Start takes and the writes of its commands. An answer may ask for more; those
    // are waited for too.
    void settle() const
    {
        for (;;) {
            Crosstalk::StoreWorker *pending = nullptr;
            for (Crosstalk::StoreWorker *worker : {engine->reader(), engine->persister()->writer()})
                if (worker && worker->hasPending())
                    pending = worker;
            if (!pending) {
                // The window's commands do not wait for the store's writes (a new session, a
                // fork, a deletion): what they wrote is in once these are.
                engine->persister()->settleNow();
                if (engine->reader()->hasPending() || engine->persister()->writer()->hasPending())
                    continue;
                return;
            }
            QSignalSpy answered(pending, &Crosstalk::StoreWorker::allAnswered);
            if (!answered.wait(10000))
                return;
        }
    }

    // The session's status once the window has heard it: the action that changed it has read
    // the session (settle()), and events the engine holds back until the store has them are
    // delivered (Engine::hasUnpublished).
    Crosstalk::SessionStatus status(const QUuid &id) const
    {
        settle();
        (void)QTest::qWaitFor([&] { return !engine->hasUnpublished(id); }, 10000);
        return engine->session(id)->status;
    }

    int rowWithStatus(Crosstalk::MessageStatus wanted) const
    {
        Crosstalk::TranscriptModel *model = window->transcriptModel();
        for (int row = 0; row < model->rowCount(); ++row)
            if (model->index(row)
                    .data(Crosstalk::TranscriptModel::StatusRole)
                    .value<Crosstalk::MessageStatus>() == wanted)
                return row;
        return -1;
    }

    // Once the next modal dialog of type T shows (a dialog the window opens with exec()),
    // hands it to `act`, which fills it in and accepts or rejects it.
    template<typename T>
    static void whenDialogShows(std::function<void(T *)> act)
    {
        Crosstalk::Test::whenModalShows<T>(std::move(act));
    }

    // Once a popup menu shows, gives the texts of its actions to `seen` and closes it.
    static void whenMenuShows(QStringList *seen)
    {
        auto *poll = new QTimer;
        poll->setInterval(20);
        QObject::connect(poll, &QTimer::timeout, poll, [poll, seen] {
            if (auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget())) {
                poll->stop();
                poll->deleteLater();
                for (QAction *a : menu->actions())
                    if (!a->isSeparator())
                        *seen << a->text();
                menu->close();
            }
        });
        poll->start();
    }

private:
    std::unique_ptr<QAbstractItemModelTester> m_listTester;
    std::unique_ptr<QAbstractItemModelTester> m_transcriptTester;
};
