// SPDX-License-Identifier: GPL-3.0-or-later
// The first-run welcome: without a key or a local server it leads to a running conversation on
// the demo model in one click; with a local server it offers that; it is shown once.
#include "newsessiondialog.h"
#include "transcriptmodel.h"
#include "welcomedialog.h"
#include "windowtest.h"

#include <QLabel>
#include <QPushButton>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Test;

class TestFirstRun : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    Fake::FakeLlmServer m_server;
    std::unique_ptr<WindowFixture> m_fixture;

    // A window on a fresh settings file: only the demo model configured.
    void openFreshWindow(const QList<LocalServerProbe::Candidate> &candidates)
    {
        QFile::remove(Settings().filePath());
        auto fixture = std::make_unique<WindowFixture>();
        fixture->createContext(
            m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + u".db"_s));
        fixture->context->chatClient()->setDemoTokensPerSecond(2000);
        QVERIFY(fixture->context->openStore());
        fixture->window = std::make_unique<MainWindow>(fixture->context.get());
        fixture->window->setLocalApi(new LocalApi(
            fixture->engine, fixture->context->personaLibrary(), fixture->window.get()));
        fixture->window->setLocalServerCandidates(candidates);
        fixture->window->show();
        QVERIFY(QTest::qWaitForWindowExposed(fixture->window.get()));
        m_fixture = std::move(fixture);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        sandboxLocations(m_dir);
        QVERIFY(m_server.listen());
    }

    void cleanup() { m_fixture.reset(); }

    void withNothingConfiguredTheDemoRunsInOneClick()
    {
        openFreshWindow({{u"Ollama"_s, u"ollama"_s, Fake::FakeLlmServer::closedPort()}});
        MainWindow *window = m_fixture->window.get();
        WelcomeDialog *welcome = window->showWelcomeIfFirstRun();
        QVERIFY(welcome);
        QVERIFY(welcome->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(welcome->probeFinished(), 20000);
        QTRY_COMPARE(welcome->suggestion(), u"demo"_s);
        auto *demo = welcome->findChild<QPushButton *>(u"welcomeDemo"_s);
        QVERIFY(demo);
        QVERIFY(demo->isDefault());
        QVERIFY(welcome->findChild<QLabel *>(u"welcomeStatus"_s)->text().contains(u"No API key"_s));
        QTest::mouseClick(demo, Qt::LeftButton);

        // One click: a conversation on the demo model, running and shown.
        QTRY_VERIFY(!welcome->isVisible());
        const QUuid id = window->currentSessionId();
        QVERIFY(!id.isNull());
        const Session *session = m_fixture->engine->session(id);
        QVERIFY(session);
        for (const Participant &p : session->participants)
            QCOMPARE(p.modelAlias, ModelRegistry::demoAlias());
        QTRY_VERIFY_WITH_TIMEOUT(window->transcriptModel()->rowCount() >= 2, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture->engine->session(id)->status, SessionStatus::Completed,
                                  60000);

        // Once only.
        QVERIFY(Settings().welcomeShown());
        QVERIFY(!window->showWelcomeIfFirstRun());
    }

    void aLocalServerIsOfferedAndLeadsToANewSession()
    {
        openFreshWindow({{u"Ollama"_s, u"ollama"_s, m_server.port()}});
        MainWindow *window = m_fixture->window.get();
        WelcomeDialog *welcome = window->showWelcomeIfFirstRun();
        QVERIFY(welcome);
        QTRY_VERIFY_WITH_TIMEOUT(welcome->probeFinished(), 20000);
        QTRY_COMPARE(welcome->suggestion(), u"local"_s);
        auto *use = welcome->findChild<QPushButton *>(u"welcomeUse_ollama"_s);
        QVERIFY(use);
        QVERIFY(use->isDefault());
        QTest::mouseClick(use, Qt::LeftButton);
        const std::optional<ModelConfig> model = m_fixture->engine->registry().model(u"ollama"_s);
        QVERIFY(model);
        QCOMPARE(model->baseUrl.port(), m_server.port());
        // The new-session dialog opens with the local model chosen for the participants.
        NewSessionDialog *dialog = window->findChild<NewSessionDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QCOMPARE(dialog->draft().participants.first().modelAlias, u"ollama"_s);
        dialog->reject();
    }

    void aKeyInTheEnvironmentIsOffered()
    {
        openFreshWindow({});
        QProcessEnvironment environment;
        environment.insert(u"OPENAI_API_KEY"_s, u"sk-from-environment"_s);
        m_fixture->engine->setRegistry(ModelRegistry::load(environment, nullptr));
        WelcomeDialog *welcome = m_fixture->window->showWelcomeIfFirstRun();
        QVERIFY(welcome);
        QTRY_COMPARE_WITH_TIMEOUT(welcome->suggestion(), u"configured"_s, 20000);
        auto *go = welcome->findChild<QPushButton *>(u"welcomeNewSession"_s);
        QVERIFY(go);
        QVERIFY(go->isDefault());
        QTest::mouseClick(go, Qt::LeftButton);
        NewSessionDialog *dialog = m_fixture->window->findChild<NewSessionDialog *>();
        QVERIFY(dialog);
        QCOMPARE(dialog->draft().participants.first().modelAlias, u"big"_s);
        dialog->reject();
    }
};

QTEST_MAIN(TestFirstRun)
#include "tst_firstrun.moc"
