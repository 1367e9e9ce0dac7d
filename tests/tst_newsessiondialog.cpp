// SPDX-License-Identifier: GPL-3.0-or-later
// File → New Session against the fake LLM server: validation next to the fields, presets saved
// and loaded, and a session set up by pointing and clicking that runs to its end in the window.
#include "modalwait.h"
#include "newsessiondialog.h"
#include "persona/personalibrary.h"
#include "personapanel.h"
#include "sessionlistmodel.h"
#include "topologypicture.h"
#include "transcriptmodel.h"
#include "windowtest.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableWidget>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Test;

class TestNewSessionDialog : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    Fake::FakeLlmServer m_server;
    std::unique_ptr<WindowFixture> m_fixture;

    NewSessionDialog *openDialog()
    {
        for (QAction *a : m_fixture->window->findChildren<QAction *>())
            if (a->text() == u"&New Session…"_s && a->shortcut() == QKeySequence::New) {
                a->trigger();
                break;
            }
        // A dialog closed before is still there until the event loop deletes it.
        for (auto *dialog : m_fixture->window->findChildren<NewSessionDialog *>())
            if (dialog->isVisible())
                return dialog;
        return nullptr;
    }

    void clickStart(NewSessionDialog *dialog)
    {
        auto *start = dialog->findChild<QPushButton *>(u"startSession"_s);
        QVERIFY(start);
        QTest::mouseClick(start, Qt::LeftButton);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        sandboxLocations(m_dir);
        QVERIFY(m_server.listen());
        m_server.setTiming({0, 10, 2000});
    }

    void init()
    {
        // Each test starts from m0 and m1 only, untested, and no remembered setup.
        QFile::remove(NewSessionDialog::lastSetupPath());
        QFile::remove(Settings().filePath());
        openWindow();
    }

    void openWindow()
    {
        m_fixture.reset();
        m_fixture = std::make_unique<WindowFixture>();
        QVERIFY(m_fixture->open(
            m_server,
            m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + u".db"_s)));
    }

    void cleanup() { m_fixture.reset(); }

    void problemsAreShownNextToTheirFields()
    {
        NewSessionDialog *dialog = openDialog();
        QVERIFY(dialog);
        // No topic, and two participants with the same name.
        dialog->setParticipant(0, u"Twin"_s, u"m0"_s, {});
        dialog->setParticipant(1, u"Twin"_s, u"m1"_s, {});
        clickStart(dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY(dialog->createdSession().isNull());
        QVERIFY(!dialog->problemText(u"topic"_s).isEmpty());
        QVERIFY(dialog->findChild<QLabel *>(u"problem_topic"_s)->isVisible());

        dialog->findChild<QPlainTextEdit *>(u"topic"_s)->setPlainText(u"Tea or coffee?"_s);
        clickStart(dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY(dialog->problemText(u"topic"_s).isEmpty());
        const QString participants = dialog->problemText(u"participants"_s);
        QVERIFY2(participants.contains(u"Participant 2"_s) && participants.contains(u"name"_s),
                 qPrintable(participants));

        // The moderator model only matters, and can only be chosen, when moderated.
        auto *moderator = dialog->findChild<QComboBox *>(u"moderatorModel"_s);
        QVERIFY(!moderator->isEnabled());
        auto *paradigm = dialog->findChild<QComboBox *>(u"paradigm"_s);
        paradigm->setCurrentIndex(paradigm->findData(u"moderated"_s));
        QVERIFY(moderator->isEnabled());
        QVERIFY(
            dialog->findChild<QLabel *>(u"paradigmDescription"_s)->text().contains(u"moderator"_s));
        dialog->reject();
        QCOMPARE(m_fixture->engine->sessionIds().size(), 0);
    }

    // The summariser model is chosen where summaries are switched on, and goes into the session.
    void summariserModelIsChosenHere()
    {
        NewSessionDialog *dialog = openDialog();
        QVERIFY(dialog);
        auto *summariser = dialog->findChild<QComboBox *>(u"summariserModel"_s);
        QVERIFY(summariser);
        QVERIFY(!summariser->isEnabled());
        QCOMPARE(summariser->currentData().toString(), QString()); // each speaker's own
        dialog->findChild<QCheckBox *>(u"summariseDropped"_s)->setChecked(true);
        QVERIFY(summariser->isEnabled());
        const int m1 = summariser->findData(u"m1"_s);
        QVERIFY(m1 >= 0);
        summariser->setCurrentIndex(m1);
        dialog->findChild<QPlainTextEdit *>(u"topic"_s)->setPlainText(u"Tea or coffee?"_s);
        clickStart(dialog);
        const QUuid id = dialog->createdSession();
        QVERIFY(!id.isNull());
        QCOMPARE(m_fixture->engine->session(id)->options.summariserModel, u"m1"_s);
        QVERIFY(m_fixture->engine->session(id)->options.summariseDropped);
        m_fixture->engine->stop(id);
    }

    // A cost cap cannot count a model whose price is not known: Start warns, and only the
    // user's yes keeps the cap.
    void costCapWithAnUnpricedModelAsksFirst()
    {
        ModelConfig remote;
        remote.alias = u"remote"_s;
        remote.baseUrl = QUrl(u"http://llm.invalid/v1"_s);
        remote.modelId = u"house-model"_s;
        m_fixture->engine->keepForThisRun(remote, QString());
        NewSessionDialog *dialog = openDialog();
        QVERIFY(dialog);
        dialog->setParticipant(1, u"Remote"_s, u"remote"_s, {});
        dialog->findChild<QPlainTextEdit *>(u"topic"_s)->setPlainText(u"Tea or coffee?"_s);
        dialog->findChild<QDoubleSpinBox *>(u"budgetCost"_s)->setValue(1.0);

        QString warning;
        whenModalShows<QMessageBox>([&](QMessageBox *box) {
            warning = box->objectName() + u": "_s + box->text();
            box->button(QMessageBox::Cancel)->click();
        });
        clickStart(dialog);
        QVERIFY2(warning.startsWith(u"unpricedCostCapWarning: "_s) &&
                     warning.contains(u"remote (model house-model at llm.invalid)"_s),
                 qPrintable(warning));
        QVERIFY(dialog->isVisible());
        QCOMPARE(m_fixture->engine->sessionIds().size(), 0);

        whenModalShows<QMessageBox>([](QMessageBox *box) {
            for (QAbstractButton *button : box->buttons())
                if (button->text() == u"&Keep the Cap Anyway"_s)
                    button->click();
        });
        clickStart(dialog);
        const QUuid id = dialog->createdSession();
        QVERIFY(!id.isNull());
        QCOMPARE(m_fixture->engine->session(id)->options.budgetCost, 1.0);
        m_fixture->engine->stop(id);
    }

    // A slot's persona chosen with MCP load_system_prompt applies here too: the "no persona"
    // entry says what it gives and where from, and the session gets it.
    void showsAndUsesTheSlotPersonaChosenOverMcp()
    {
        {
            Settings settings;
            settings.setModelAttributes(
                u"big"_s, {{u"base_url"_s, QString(m_server.baseUrl().toString() + u"/v1"_s)},
                           {u"model_id"_s, u"model-big"_s}});
            settings.sync();
        }
        openWindow();
        QVERIFY(m_fixture->context->store()->setSlotPersona(u"big"_s, u"path:sceptic.md"_s));
        NewSessionDialog *dialog = openDialog();
        QVERIFY(dialog);
        dialog->setParticipant(0, u"Ann"_s, u"big"_s, {});
        dialog->setParticipant(1, u"Bo"_s, u"m1"_s, {});
        auto *table = dialog->findChild<QTableWidget *>(u"participants"_s);
        auto *persona = qobject_cast<QComboBox *>(table->cellWidget(0, 2));
        QCOMPARE(persona->currentIndex(), 0);
        QTRY_COMPARE(persona->itemText(0),
                     u"Slot's persona: path:sceptic.md (load_system_prompt)"_s);
        // Another model's row keeps the neutral default.
        QCOMPARE(qobject_cast<QComboBox *>(table->cellWidget(1, 2))->itemText(0),
                 u"Default persona"_s);
        dialog->findChild<QPlainTextEdit *>(u"topic"_s)->setPlainText(u"Tea or coffee?"_s);
        clickStart(dialog);
        const QUuid id = dialog->createdSession();
        QVERIFY(!id.isNull());
        const Participant &ann = m_fixture->engine->session(id)->participants.at(0);
        QCOMPARE(ann.personaSource, u"path:sceptic.md"_s);
        QCOMPARE(ann.persona,
                 m_fixture->context->personaLibrary()->read(u"sceptic.md"_s).value->prompt);
        m_fixture->engine->stop(id);
    }

    void personaFrontMatterGivesDefaults()
    {
        NewSessionDialog *dialog = openDialog();
        QVERIFY(dialog);
        auto *table = dialog->findChild<QTableWidget *>(u"participants"_s);
        // The bundled library: the first two rows start as Alice and Bob.
        QCOMPARE(table->item(0, 0)->text(), u"Alice"_s);
        QCOMPARE(table->item(1, 0)->text(), u"Bob"_s);
        dialog->setParticipantCount(3);
        QCOMPARE(table->rowCount(), 3);
        auto *persona = qobject_cast<QComboBox *>(table->cellWidget(2, 2));
        persona->setCurrentIndex(persona->findText(u"judge.md"_s));
        QCOMPARE(table->item(2, 0)->text(), u"Judge"_s);
        // A name the user typed is not replaced by the next persona's.
        table->item(2, 0)->setText(u"Referee"_s);
        persona->setCurrentIndex(persona->findText(u"sceptic.md"_s));
        QCOMPARE(table->item(2, 0)->text(), u"Referee"_s);
        dialog->reject();
    }

    // The case: a model whose test failed sorts first by alias. It is never chosen for
    // the user; a model that passed its test is, and the demo comes last.
    void defaultsAvoidAModelWhoseTestFailed()
    {
        Settings settings;
        settings.setConnectionTestPassed(u"m0"_s, false);
        settings.setConnectionTestPassed(u"m1"_s, true);
        settings.sync();
        NewSessionDialog *dialog = openDialog();
        QVERIFY(dialog);
        auto *table = dialog->findChild<QTableWidget *>(u"participants"_s);
        for (int row = 0; row < 2; ++row) {
            auto *model = qobject_cast<QComboBox *>(table->cellWidget(row, 1));
            QCOMPARE(model->currentData().toString(), u"m1"_s);
            // The failed one is still offered, marked, after the ones expected to answer.
            const int failed = model->findData(u"m0"_s);
            QVERIFY(model->itemText(failed).endsWith(u"last test failed"_s));
            QVERIFY(failed > model->findData(u"demo"_s));
            QCOMPARE(model->itemData(0).toString(), u"m1"_s);
        }
        dialog->reject();
    }

    // Every model a server on this computer lists is offered, and chosen before the rest;
    // Start makes the chosen one a configured model.
    void offersEveryModelOfAServerFoundHere()
    {
        Fake::FakeLlmServer local;
        QVERIFY(local.listen());
        local.setModels({u"qwen-7b"_s, u"llama-8b"_s, u"phi-3"_s});
        m_fixture->window->setLocalServerCandidates(
            {{u"LM Studio"_s, u"lmstudio"_s, local.port()}});
        NewSessionDialog *dialog = openDialog();
        QVERIFY(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->probeFinished(), 20000);
        auto *table = dialog->findChild<QTableWidget *>(u"participants"_s);
        auto *first = qobject_cast<QComboBox *>(table->cellWidget(0, 1));
        QStringList offered;
        for (int i = 0; i < first->count(); ++i)
            offered << first->itemText(i);
        QVERIFY2(offered.filter(u"on LM Studio"_s).size() == 3, qPrintable(offered.join(u" | "_s)));
        QVERIFY(first->currentText().startsWith(u"qwen-7b on LM Studio"_s));
        // The second participant takes another.
        auto *second = qobject_cast<QComboBox *>(table->cellWidget(1, 1));
        second->setCurrentIndex(second->findText(u"llama-8b on LM Studio"_s, Qt::MatchStartsWith));
        second->setProperty("chosenModel", true);
        dialog->findChild<QPlainTextEdit *>(u"topic"_s)->setPlainText(u"Local models"_s);
        clickStart(dialog);
        const QUuid id = dialog->createdSession();
        QVERIFY2(!id.isNull(), qPrintable(dialog->problemText(u"participants"_s)));
        const Session &session = *m_fixture->engine->session(id);
        const ModelRegistry &registry = m_fixture->engine->registry();
        QCOMPARE(registry.model(session.participants.at(0).modelAlias)->modelId, u"qwen-7b"_s);
        QCOMPARE(registry.model(session.participants.at(1).modelAlias)->modelId, u"llama-8b"_s);
        QCOMPARE(registry.model(session.participants.at(1).modelAlias)->baseUrl.port(),
                 local.port());
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture->engine->session(id)->status, SessionStatus::Completed,
                                  60000);

        // A row left on a default keeps what it showed when Start configures another found
        // model (phi-3), whichever model sorts first then.
        NewSessionDialog *next = openDialog();
        QVERIFY(next);
        QTRY_VERIFY_WITH_TIMEOUT(next->probeFinished(), 20000);
        table = next->findChild<QTableWidget *>(u"participants"_s);
        first = qobject_cast<QComboBox *>(table->cellWidget(0, 1));
        first->setProperty("chosenModel", false);
        first->setCurrentIndex(first->findData(session.participants.at(1).modelAlias));
        const QString shown = first->currentData().toString();
        second = qobject_cast<QComboBox *>(table->cellWidget(1, 1));
        second->setCurrentIndex(second->findText(u"phi-3 on LM Studio"_s, Qt::MatchStartsWith));
        next->findChild<QPlainTextEdit *>(u"topic"_s)->setPlainText(u"Again"_s);
        clickStart(next);
        const QUuid again = next->createdSession();
        QVERIFY(!again.isNull());
        const Session &second_ = *m_fixture->engine->session(again);
        QCOMPARE(second_.participants.at(0).modelAlias, shown);
        QCOMPARE(registry.model(second_.participants.at(1).modelAlias)->modelId, u"phi-3"_s);
        QTRY_COMPARE_WITH_TIMEOUT(second_.status, SessionStatus::Completed, 60000);
    }

    // The next New Session starts from the setup last started (not its topic); a participant
    // whose remembered model failed its test since gets a working one instead.
    void remembersTheLastSetup()
    {
        NewSessionDialog *dialog = openDialog();
        QVERIFY(dialog);
        dialog->findChild<QPlainTextEdit *>(u"topic"_s)->setPlainText(u"First topic"_s);
        dialog->setParticipantCount(3);
        dialog->setParticipant(0, u"Ann"_s, u"m1"_s, u"sceptic.md"_s);
        dialog->setParticipant(1, u"Ben"_s, u"m0"_s, {});
        dialog->setParticipant(2, u"Cy"_s, u"m1"_s, u"judge.md"_s);
        dialog->findChild<QSpinBox *>(u"rounds"_s)->setValue(3);
        auto *paradigm = dialog->findChild<QComboBox *>(u"paradigm"_s);
        paradigm->setCurrentIndex(paradigm->findData(u"relay"_s));
        clickStart(dialog);
        QVERIFY(!dialog->createdSession().isNull());
        QVERIFY(m_fixture->engine->stop(dialog->createdSession()) == std::nullopt);

        // Remembered across starts: a new window reads the file.
        Settings settings;
        settings.setConnectionTestPassed(u"m0"_s, false);
        settings.sync();
        openWindow();
        NewSessionDialog *next = openDialog();
        QVERIFY(next);
        auto *table = next->findChild<QTableWidget *>(u"participants"_s);
        QCOMPARE(table->rowCount(), 3);
        QCOMPARE(table->item(0, 0)->text(), u"Ann"_s);
        QCOMPARE(table->item(2, 0)->text(), u"Cy"_s);
        QCOMPARE(qobject_cast<QComboBox *>(table->cellWidget(0, 2))->currentText(),
                 u"sceptic.md"_s);
        QCOMPARE(qobject_cast<QComboBox *>(table->cellWidget(1, 2))->currentIndex(), 0);
        QCOMPARE(qobject_cast<QComboBox *>(table->cellWidget(0, 1))->currentData().toString(),
                 u"m1"_s);
        // Ben's m0 failed its test since: he gets the best working model.
        QCOMPARE(qobject_cast<QComboBox *>(table->cellWidget(1, 1))->currentData().toString(),
                 u"m1"_s);
        QCOMPARE(next->findChild<QSpinBox *>(u"rounds"_s)->value(), 3);
        paradigm = next->findChild<QComboBox *>(u"paradigm"_s);
        QCOMPARE(paradigm->currentData().toString(), u"relay"_s);
        QVERIFY(next->findChild<QPlainTextEdit *>(u"topic"_s)->toPlainText().isEmpty());
        next->reject();
    }

    // A participant left on the default persona speaks with its slot's (BIG_SYSTEM_PROMPT), as
    // in the old tool; one with a persona chosen keeps it.
    void aSlotModelBringsItsPersona()
    {
        QProcessEnvironment environment;
        environment.insert(u"OPENAI_API_KEY"_s, u"sk-slot"_s);
        environment.insert(u"OPENAI_BASE_URL"_s, m_server.baseUrl().toString() + u"/v1"_s);
        environment.insert(u"ENABLE_CUSTOM_BIG_PROMPT"_s, u"true"_s);
        environment.insert(u"BIG_SYSTEM_PROMPT"_s, u"You are Big, and you are brief."_s);
        Settings settings;
        m_fixture->engine->setRegistry(ModelRegistry::load(environment, &settings));
        NewSessionDialog *dialog = openDialog();
        QVERIFY(dialog);
        dialog->findChild<QPlainTextEdit *>(u"topic"_s)->setPlainText(u"Slots"_s);
        dialog->setParticipant(0, u"Big"_s, u"big"_s, {});
        dialog->setParticipant(1, u"Bob"_s, u"big"_s, u"bob.md"_s);
        clickStart(dialog);
        const QUuid id = dialog->createdSession();
        QVERIFY(!id.isNull());
        const Session &session = *m_fixture->engine->session(id);
        QCOMPARE(session.participants.at(0).persona, u"You are Big, and you are brief."_s);
        QCOMPARE(session.participants.at(1).personaSource, u"bob.md"_s);
        QVERIFY(m_fixture->engine->stop(id) == std::nullopt);
    }

    // A broken persona file is marked, with why, in the library and in New Session (where it
    // cannot be chosen); a misspelt placeholder is said before Start, which it does not block.
    void personaProblemsShowBeforeStart()
    {
        const QString folder = m_fixture->context->personaLibrary()->folder();
        const auto write = [&](const QString &name, const QByteArray &bytes) {
            QFile file(folder + u'/' + name);
            return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
        };
        QVERIFY(write(u"broken.md"_s, "---\ncolour: blurple\n---\nYou are broken."));
        QVERIFY(write(u"typo.md"_s, "You argue about {{topci}} as {{name}}."));
        m_fixture->window->personaPanel()->refreshList();
        QListWidget *files = m_fixture->window->personaPanel()->fileList();
        const QList<QListWidgetItem *> broken = files->findItems(u"broken.md"_s, Qt::MatchExactly);
        QCOMPARE(broken.size(), 1);
        QVERIFY2(broken.first()->toolTip().contains(u"blurple"_s),
                 qPrintable(broken.first()->toolTip()));
        // A warning does not keep a file from being used.
        QVERIFY(files->findItems(u"typo.md"_s, Qt::MatchExactly).first()->toolTip().isEmpty());

        NewSessionDialog *dialog = openDialog();
        QVERIFY(dialog);
        auto *table = dialog->findChild<QTableWidget *>(u"participants"_s);
        auto *persona = qobject_cast<QComboBox *>(table->cellWidget(1, 2));
        const int brokenIndex = persona->findData(QStringList{u"broken.md"_s, QString()});
        QVERIFY(brokenIndex > 0);
        QVERIFY(persona->itemText(brokenIndex).contains(u"cannot be used"_s));
        QVERIFY(persona->itemData(brokenIndex, Qt::ToolTipRole).toString().contains(u"blurple"_s));
        QVERIFY(
            !qobject_cast<QStandardItemModel *>(persona->model())->item(brokenIndex)->isEnabled());
        auto *notes = dialog->findChild<QLabel *>(u"personaNotes"_s);
        QVERIFY(notes->isHidden());
        persona->setCurrentIndex(persona->findText(u"typo.md"_s));
        QVERIFY(notes->isVisible());
        QVERIFY2(notes->text().contains(u"Participant 2 (typo.md)"_s) &&
                     notes->text().contains(u"{{topci}}"_s),
                 qPrintable(notes->text()));
        dialog->findChild<QPlainTextEdit *>(u"topic"_s)->setPlainText(u"Typos"_s);
        clickStart(dialog);
        QVERIFY(!dialog->createdSession().isNull());
        QVERIFY(m_fixture->engine->stop(dialog->createdSession()) == std::nullopt);
        QFile::remove(folder + u"/broken.md"_s);
        QFile::remove(folder + u"/typo.md"_s);
    }

    void presetsSaveAndLoad()
    {
        NewSessionDialog *dialog = openDialog();
        QVERIFY(dialog);
        dialog->findChild<QPlainTextEdit *>(u"topic"_s)->setPlainText(u"Is Pluto a planet?"_s);
        dialog->setParticipant(0, u"Astronomer"_s, u"m0"_s, u"expert.md"_s);
        dialog->setParticipant(1, u"Sceptic"_s, u"m1"_s, u"sceptic.md"_s);
        dialog->findChild<QSpinBox *>(u"rounds"_s)->setValue(7);
        auto *paradigm = dialog->findChild<QComboBox *>(u"paradigm"_s);
        paradigm->setCurrentIndex(paradigm->findData(u"relay"_s));
        const QString path = m_dir.filePath(u"pluto.yaml"_s);
        QCOMPARE(dialog->savePreset(path), QString());
        dialog->reject();

        NewSessionDialog *second = openDialog();
        QVERIFY(second);
        QCOMPARE(second->loadPreset(path), QStringList());
        const Session loaded = second->draft();
        QCOMPARE(loaded.topic, u"Is Pluto a planet?"_s);
        QCOMPARE(loaded.rounds, 7);
        QCOMPARE(loaded.paradigm, Paradigm::Relay);
        QCOMPARE(loaded.participants.size(), 2);
        QCOMPARE(loaded.participants.at(0).name, u"Astronomer"_s);
        QCOMPARE(loaded.participants.at(0).modelAlias, u"m0"_s);
        QCOMPARE(loaded.participants.at(1).personaSource, u"sceptic.md"_s);

        // A broken preset names its problem and changes nothing.
        QFile broken(m_dir.filePath(u"broken.yaml"_s));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("paradigm: chaos\nrounds: 3\n");
        broken.close();
        const QStringList problems = second->loadPreset(broken.fileName());
        QVERIFY(!problems.isEmpty());
        QVERIFY2(problems.join(u' ').contains(u"paradigm"_s), qPrintable(problems.join(u' ')));
        QVERIFY(second->problemText(u"general"_s).contains(u"broken.yaml"_s));
        QCOMPARE(second->draft().rounds, 7);
        second->reject();
    }

    void setUpSessionRunsInTheWindow()
    {
        NewSessionDialog *dialog = openDialog();
        QVERIFY(dialog);
        dialog->findChild<QPlainTextEdit *>(u"topic"_s)->setPlainText(u"Why is the sky blue?"_s);
        dialog->setParticipant(0, u"Alice"_s, u"m0"_s, u"alice.md"_s);
        dialog->setParticipant(1, u"Bob"_s, u"m1"_s, u"bob.md"_s);
        dialog->findChild<QSpinBox *>(u"rounds"_s)->setValue(2);
        auto *paradigm = dialog->findChild<QComboBox *>(u"paradigm"_s);
        paradigm->setCurrentIndex(paradigm->findData(u"memory"_s));
        m_server.clearRequests();
        clickStart(dialog);
        const QUuid id = dialog->createdSession();
        QVERIFY(!id.isNull());

        // The window shows it, and it runs to its end on the fake server.
        MainWindow *window = m_fixture->window.get();
        QCOMPARE(window->currentSessionId(), id);
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture->engine->session(id)->status, SessionStatus::Completed,
                                  60000);
        QTRY_COMPARE_WITH_TIMEOUT(window->transcriptModel()->rowCount(), 4, 10000);
        QCOMPARE(window->sessionListModel()->rowOf(id), 0);
        const Session &session = *m_fixture->engine->session(id);
        QCOMPARE(session.topic, u"Why is the sky blue?"_s);
        QCOMPARE(session.participants.at(0).personaSource, u"alice.md"_s);
        QCOMPARE(m_server.requests().size(), 4);
        // Alice's persona reached the server as her system prompt, with its placeholders filled.
        bool alicePrompted = false;
        for (const Fake::RecordedRequest &request : m_server.requests()) {
            const QJsonArray messages = request.json.value(u"messages"_s).toArray();
            const QString system = messages.first().toObject().value(u"content"_s).toString();
            if (request.json.value(u"model"_s).toString() == u"model-0"_s)
                alicePrompted = system.contains(u"Alice"_s) && !system.contains(u"{{"_s);
        }
        QVERIFY(alicePrompted);
    }
};

QTEST_MAIN(TestNewSessionDialog)
#include "tst_newsessiondialog.moc"
