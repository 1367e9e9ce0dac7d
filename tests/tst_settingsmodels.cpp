// SPDX-License-Identifier: GPL-3.0-or-later
// Settings → Models against the fake LLM server: add a model, test its connection (and a failing
// one), choose its id from the server's list, keep the key in the keychain and out of the
// settings file, see where each value comes from, offer a local server found on this computer.
#include "modeleditdialog.h"
#include "settingsdialog.h"
#include "windowtest.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTreeWidget>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Test;

namespace {

// A keychain that cannot keep keys: it may say so up front (`unavailable`), or only when a
// key is written, as a stalled or locked secret service does.
class BrokenKeychain : public SecretStore
{
public:
    QString unavailable;
    QString writeError = u"no secret service (such as KWallet or GNOME Keyring) is running."_s;

    void read(const QString &, QObject *context, ReadCallback callback) override
    {
        QTimer::singleShot(0, context, [callback] { callback(std::nullopt, u"locked"_s); });
    }
    void write(const QString &, const QString &, QObject *context, DoneCallback callback) override
    {
        QTimer::singleShot(0, context, [this, callback] { callback(writeError); });
    }
    void remove(const QString &, QObject *context, DoneCallback callback) override
    {
        QTimer::singleShot(0, context, [callback] { callback({}); });
    }
    void checkAvailable(QObject *context, DoneCallback done) override
    {
        QTimer::singleShot(0, context, [this, done] { done(unavailable); });
    }
};

} // namespace

class TestSettingsModels : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    Fake::FakeLlmServer m_server;
    std::unique_ptr<WindowFixture> m_fixture;

    QTreeWidgetItem *row(SettingsDialog *dialog, const QString &alias)
    {
        auto *list = dialog->findChild<QTreeWidget *>(u"modelList"_s);
        const auto items = list->findItems(alias, Qt::MatchExactly, 0);
        return items.isEmpty() ? nullptr : items.first();
    }

    void fill(ModelEditDialog *edit, const QString &alias, const QString &url, const QString &key)
    {
        edit->findChild<QLineEdit *>(u"alias"_s)->setText(alias);
        edit->findChild<QLineEdit *>(u"baseUrl"_s)->setText(url);
        edit->findChild<QComboBox *>(u"modelId"_s)->setEditText(u"fake-model"_s);
        auto *mode = edit->findChild<QComboBox *>(u"keyMode"_s);
        mode->setCurrentIndex(mode->findData(int(ModelEditDialog::KeyMode::Keychain)));
        edit->findChild<QLineEdit *>(u"apiKey"_s)->setText(key);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        sandboxLocations(m_dir);
        QVERIFY(m_server.listen());
        m_server.setModels({u"fake-model"_s, u"fake-large"_s});
    }

    void init()
    {
        QFile::remove(Settings().filePath()); // models added by an earlier test go
        m_fixture = std::make_unique<WindowFixture>();
        QVERIFY(m_fixture->open(
            m_server,
            m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + u".db"_s)));
    }

    void cleanup() { m_fixture.reset(); }

    void addModelAndTestItsConnection()
    {
        SettingsDialog *dialog = m_fixture->window->openSettings();
        QVERIFY(dialog->isVisible());
        ModelEditDialog *edit = dialog->editModel();
        const QString url = m_server.baseUrl().toString() + u"/v1"_s;
        fill(edit, u"fake"_s, url, u"sk-test-secret-1234"_s);

        m_server.clearRequests();
        QSignalSpy tested(edit, &ModelEditDialog::testFinished);
        auto *test = edit->findChild<QPushButton *>(u"testConnection"_s);
        edit->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(edit));
        test->setFocus();
        QTest::mouseClick(test, Qt::LeftButton);
        QVERIFY(tested.wait(20000));
        // The focus stays where the user left it.
        QCOMPARE(QApplication::focusWidget(), test);
        QVERIFY2(tested.first().at(0).toBool(), qPrintable(tested.first().at(1).toString()));
        QVERIFY(edit->testResult().startsWith(u"Connected: fake-model answered"_s));
        // Real requests with the typed key: the model list, then one token from the model.
        QCOMPARE(m_server.requests().size(), 2);
        QCOMPARE(m_server.requests().first().path, "/v1/models"_ba);
        const Fake::RecordedRequest ask = m_server.requests().at(1);
        QCOMPARE(ask.path, "/v1/chat/completions"_ba);
        QCOMPARE(ask.json.value(u"model"_s).toString(), u"fake-model"_s);
        QCOMPARE(ask.json.value(u"max_tokens"_s).toInt(), 1);
        for (const Fake::RecordedRequest &request : m_server.requests())
            QCOMPARE(request.headers.value("authorization").toByteArray(),
                     "Bearer sk-test-secret-1234"_ba);

        // The server's list fills the model id box.
        QSignalSpy fetched(edit, &ModelEditDialog::modelsFetched);
        QTest::mouseClick(edit->findChild<QPushButton *>(u"fetchModels"_s), Qt::LeftButton);
        QVERIFY(fetched.wait(20000));
        QCOMPARE(fetched.first().at(0).toStringList(),
                 (QStringList{u"fake-model"_s, u"fake-large"_s}));
        auto *modelId = edit->findChild<QComboBox *>(u"modelId"_s);
        QCOMPARE(modelId->count(), 2);
        modelId->setCurrentIndex(1);
        QCOMPARE(edit->model().modelId, u"fake-large"_s);

        QSignalSpy saved(edit, &QDialog::accepted);
        edit->accept();
        QVERIFY(saved.wait(5000));
        // The Engine knows it at once; the key is in the keychain and not in the settings file.
        const std::optional<ModelConfig> model = m_fixture->engine->registry().model(u"fake"_s);
        QVERIFY(model);
        QCOMPARE(model->modelId, u"fake-large"_s);
        QCOMPARE(model->apiKeyRef, u"keychain:fake"_s);
        QVERIFY(row(dialog, u"fake"_s));
        QFile settings(Settings().filePath());
        QVERIFY(settings.open(QIODevice::ReadOnly));
        const QByteArray stored = settings.readAll();
        QVERIFY(stored.contains("fake-large"));
        QVERIFY(!stored.contains("sk-test-secret-1234"));
        QString secret;
        bool answered = false;
        m_fixture->context->secrets()->read(u"fake"_s, this,
                                            [&](std::optional<QString> value, QString) {
                                                secret = value.value_or(QString());
                                                answered = true;
                                            });
        QTRY_VERIFY(answered);
        QCOMPARE(secret, u"sk-test-secret-1234"_s);

        // Editing it again, the connection test reads the key from the keychain.
        ModelEditDialog *again = dialog->editModel(u"fake"_s);
        QVERIFY(again->findChild<QLineEdit *>(u"apiKey"_s)->text().isEmpty());
        m_server.clearRequests();
        QSignalSpy retested(again, &ModelEditDialog::testFinished);
        again->testConnection();
        QVERIFY(retested.wait(20000));
        QVERIFY(retested.first().at(0).toBool());
        QCOMPARE(m_server.requests().first().headers.value("authorization").toByteArray(),
                 "Bearer sk-test-secret-1234"_ba);
        again->reject();

        // Removing it removes the key too.
        dialog->removeModel(u"fake"_s);
        QVERIFY(!m_fixture->engine->registry().model(u"fake"_s));
        QVERIFY(!row(dialog, u"fake"_s));
        answered = false;
        m_fixture->context->secrets()->read(u"fake"_s, this,
                                            [&](std::optional<QString> value, QString) {
                                                secret = value.value_or(u"gone"_s);
                                                answered = true;
                                            });
        QTRY_VERIFY(answered);
        QVERIFY(secret.isEmpty() || secret == u"gone"_s);
    }

    // A model's price says where it comes from: the maker's list price, a local server's
    // nothing, or none known; the user's own prices are kept, a list price is not stored.
    void pricesSayWhereTheyComeFrom()
    {
        SettingsDialog *dialog = m_fixture->window->openSettings();
        ModelEditDialog *edit = dialog->editModel();
        edit->findChild<QLineEdit *>(u"alias"_s)->setText(u"mini"_s);
        auto *mode = edit->findChild<QComboBox *>(u"keyMode"_s);
        mode->setCurrentIndex(mode->findData(int(ModelEditDialog::KeyMode::None)));
        auto *url = edit->findChild<QLineEdit *>(u"baseUrl"_s);
        url->setText(u"https://api.openai.com/v1"_s);
        edit->findChild<QComboBox *>(u"modelId"_s)->setEditText(u"gpt-4o-mini"_s);
        auto *note = edit->findChild<QLabel *>(u"priceNote"_s);
        auto *in = edit->findChild<QDoubleSpinBox *>(u"inputPrice"_s);
        auto *out = edit->findChild<QDoubleSpinBox *>(u"outputPrice"_s);
        QVERIFY2(note->text().contains(u"OpenAI"_s) && note->text().contains(u"2024-07-18"_s),
                 qPrintable(note->text()));
        QCOMPARE(in->value(), 0.15);
        QCOMPARE(out->value(), 0.6);
        QVERIFY(!in->isEnabled());
        QCOMPARE(edit->model().priceOrigin, PriceOrigin::ListPrice);
        QVERIFY(!ModelRegistry::attributesOf(edit->model()).contains(u"input_price_per_million"_s));

        url->setText(u"http://127.0.0.1:1234/v1"_s);
        QVERIFY2(note->text().contains(u"costs nothing"_s), qPrintable(note->text()));
        QCOMPARE(in->value(), 0.0);
        url->setText(u"https://llm.example.com/v1"_s);
        QVERIFY2(note->text().contains(u"No list price"_s), qPrintable(note->text()));
        QCOMPARE(edit->model().priceOrigin, PriceOrigin::Unpriced);

        edit->findChild<QCheckBox *>(u"ownPrices"_s)->setChecked(true);
        QVERIFY(in->isEnabled());
        in->setValue(0.5);
        out->setValue(2.0);
        QCOMPARE(edit->model().priceOrigin, PriceOrigin::Settings);
        QSignalSpy saved(edit, &QDialog::accepted);
        edit->accept();
        QVERIFY2(saved.count() == 1 || saved.wait(5000),
                 qPrintable(edit->findChild<QLabel *>(u"aliasProblem"_s)->text()));
        const std::optional<ModelConfig> model = m_fixture->engine->registry().model(u"mini"_s);
        QVERIFY(model);
        QCOMPARE(model->priceOrigin, PriceOrigin::Settings);
        QCOMPARE(model->inputPricePerMillion, 0.5);
        QCOMPARE(model->outputPricePerMillion, 2.0);
    }

    // The case: the keychain takes no key. Nothing is saved pointing at it; the dialog
    // says why and offers this run only or an environment variable, and both work.
    void keychainThatFailsKeepsNothingAndOffersWhatWorks()
    {
        BrokenKeychain keychain;
        m_fixture->engine->setSecrets(&keychain);
        const auto restore =
            qScopeGuard([this] { m_fixture->engine->setSecrets(m_fixture->context->secrets()); });
        SettingsDialog *dialog = m_fixture->window->openSettings();
        ModelEditDialog *edit = dialog->editModel();
        const QString url = m_server.baseUrl().toString() + u"/v1"_s;
        fill(edit, u"kept"_s, url, u"sk-run-only-5678"_s);
        QSignalSpy saved(edit, &QDialog::accepted);
        edit->accept();
        auto *problem = edit->findChild<QLabel *>(u"keychainProblem"_s);
        QTRY_VERIFY(problem->isVisible());
        QVERIFY2(problem->text().contains(u"no secret service"_s), qPrintable(problem->text()));
        QVERIFY(edit->isVisible());
        QCOMPARE(saved.count(), 0);
        QVERIFY(!m_fixture->engine->registry().model(u"kept"_s));
        QVERIFY(!Settings().modelAliases().contains(u"kept"_s));

        // For this run only: in the Engine with its key, never in the settings file.
        auto *thisRun = edit->findChild<QPushButton *>(u"keepForThisRun"_s);
        QVERIFY(thisRun->isVisible());
        QTest::mouseClick(thisRun, Qt::LeftButton);
        QTRY_COMPARE(saved.count(), 1);
        const std::optional<ModelConfig> model = m_fixture->engine->registry().model(u"kept"_s);
        QVERIFY(model);
        QCOMPARE(model->apiKeyRef, u"run:kept"_s);
        QCOMPARE(row(dialog, u"kept"_s)->text(3), u"this run only"_s);
        QFile settings(Settings().filePath());
        QVERIFY(settings.open(QIODevice::ReadOnly));
        const QByteArray stored = settings.readAll();
        QVERIFY(!stored.contains("kept"));
        QVERIFY(!stored.contains("sk-run-only-5678"));
        QString key;
        m_fixture->engine->resolveKey(*model, this, [&](QString k, QString) { key = k; });
        QTRY_COMPARE(key, u"sk-run-only-5678"_s);
        // It survives other models being changed in Settings.
        dialog->storeModel(*m_fixture->engine->registry().model(u"m1"_s));
        QVERIFY(m_fixture->engine->registry().model(u"kept"_s));

        // Or from an environment variable: the hidden key does not show as a variable name.
        ModelEditDialog *second = dialog->editModel();
        fill(second, u"fromenv"_s, url, u"sk-secret-9999"_s);
        QSignalSpy secondSaved(second, &QDialog::accepted);
        second->accept();
        auto *environment = second->findChild<QPushButton *>(u"useEnvironment"_s);
        QTRY_VERIFY(environment->isVisible());
        QTest::mouseClick(environment, Qt::LeftButton);
        auto *keyField = second->findChild<QLineEdit *>(u"apiKey"_s);
        QVERIFY(keyField->text().isEmpty());
        QCOMPARE(second->keyMode(), ModelEditDialog::KeyMode::Environment);
        keyField->setText(u"MY_SERVER_KEY"_s);
        second->accept();
        QTRY_COMPARE(secondSaved.count(), 1);
        QCOMPARE(m_fixture->engine->registry().model(u"fromenv"_s)->apiKeyRef,
                 u"env:MY_SERVER_KEY"_s);
    }

    // With no secret service, Settings and the Add Model dialog say so before a key is typed.
    void saysUpFrontWhenThereIsNoKeychain()
    {
        BrokenKeychain keychain;
        keychain.unavailable = u"No secret service is running."_s;
        m_fixture->engine->setSecrets(&keychain);
        const auto restore =
            qScopeGuard([this] { m_fixture->engine->setSecrets(m_fixture->context->secrets()); });
        SettingsDialog *dialog = m_fixture->window->openSettings();
        QTRY_VERIFY(!dialog->keychainStatus().isEmpty());
        QVERIFY(dialog->keychainStatus().contains(u"environment variable"_s));
        ModelEditDialog *edit = dialog->editModel();
        QTRY_VERIFY(!edit->keychainProblem().isEmpty());
        auto *mode = edit->findChild<QComboBox *>(u"keyMode"_s);
        const auto *items = qobject_cast<QStandardItemModel *>(mode->model());
        QVERIFY(!items->item(mode->findData(int(ModelEditDialog::KeyMode::Keychain)))->isEnabled());
        QVERIFY(items->item(mode->findData(int(ModelEditDialog::KeyMode::ThisRun)))->isEnabled());
        edit->reject();
    }

    // The test asks the chosen model itself, so a wrong id or a refused key shows as such.
    void connectionTestNamesAnUnknownModelAndARefusedKey()
    {
        SettingsDialog *dialog = m_fixture->window->openSettings();
        ModelEditDialog *edit = dialog->editModel();
        fill(edit, u"probe"_s, m_server.baseUrl().toString() + u"/v1"_s, u"sk-wrong"_s);
        QString error;
        m_server.addFaultRule(*Fake::FaultRule::parse(u"404@model=fake-missing"_s, &error));
        m_server.addFaultRule(*Fake::FaultRule::parse(u"401@model=fake-model"_s, &error));
        const auto test = [edit] {
            QSignalSpy tested(edit, &ModelEditDialog::testFinished);
            edit->testConnection();
            return tested.wait(20000) && !tested.first().at(0).toBool();
        };
        edit->findChild<QComboBox *>(u"modelId"_s)->setEditText(u"fake-missing"_s);
        QVERIFY(test());
        QVERIFY2(edit->testResult().contains(u"does not know the model fake-missing"_s) &&
                     edit->testResult().contains(u"fake-model, fake-large"_s),
                 qPrintable(edit->testResult()));
        QCOMPARE(edit->testOutcome(), std::optional(false));

        edit->findChild<QComboBox *>(u"modelId"_s)->setEditText(u"fake-model"_s);
        QCOMPARE(edit->testOutcome(), std::nullopt); // not tested as it is now
        QVERIFY(test());
        QVERIFY2(edit->testResult().contains(u"refused the key (HTTP 401)"_s),
                 qPrintable(edit->testResult()));
        QVERIFY(!edit->testResult().contains(u"sk-wrong"_s));
        edit->reject();
    }

    void failingConnectionSaysWhy()
    {
        SettingsDialog *dialog = m_fixture->window->openSettings();
        ModelEditDialog *edit = dialog->editModel();
        fill(edit, u"nowhere"_s, u"http://127.0.0.1:%1/v1"_s.arg(Fake::FakeLlmServer::closedPort()),
             u"k"_s);
        QSignalSpy tested(edit, &ModelEditDialog::testFinished);
        edit->testConnection();
        QVERIFY(tested.wait(30000));
        QVERIFY(!tested.first().at(0).toBool());
        QVERIFY2(edit->testResult().startsWith(u"Failed"_s), qPrintable(edit->testResult()));

        // Invalid fields keep the dialog open with the reason.
        edit->findChild<QLineEdit *>(u"baseUrl"_s)->setText(u"ftp://example.org"_s);
        edit->accept();
        QVERIFY(edit->isVisible());
        QVERIFY(edit->findChild<QLabel *>(u"aliasProblem"_s)->text().contains(u"http"_s));
        edit->findChild<QLineEdit *>(u"alias"_s)->setText(u"m0"_s);
        edit->accept();
        QVERIFY(edit->findChild<QLabel *>(u"aliasProblem"_s)->text().contains(u"exists"_s));
        // The message follows the fields as they are corrected, before the next OK.
        edit->findChild<QLineEdit *>(u"alias"_s)->setText(u"nowhere"_s);
        QVERIFY(edit->findChild<QLabel *>(u"aliasProblem"_s)->text().contains(u"http"_s));
        edit->findChild<QLineEdit *>(u"baseUrl"_s)->setText(u"http://127.0.0.1:9/v1"_s);
        QVERIFY(edit->findChild<QLabel *>(u"aliasProblem"_s)->isHidden());
        edit->reject();
        QVERIFY(!m_fixture->engine->registry().model(u"nowhere"_s));
    }

    // A label's & marks its mnemonic; one with no field to give the focus to shows it as
    // written ("&Model id:").
    void labelsShowNoLiteralAmpersand()
    {
        SettingsDialog *dialog = m_fixture->window->openSettings();
        ModelEditDialog *edit = dialog->editModel();
        QStringList literal;
        for (QWidget *window : {static_cast<QWidget *>(dialog), static_cast<QWidget *>(edit)})
            for (const QLabel *label : window->findChildren<QLabel *>())
                if (label->textFormat() != Qt::RichText && label->text().contains(u'&') &&
                    !label->buddy() && label->isVisibleTo(window))
                    literal << label->text();
        QVERIFY2(literal.isEmpty(), qPrintable(literal.join(u" | "_s)));
        edit->reject();
    }

    void showsWhereValuesComeFrom()
    {
        SettingsDialog *dialog = m_fixture->window->openSettings();
        QTreeWidgetItem *m0 = row(dialog, u"m0"_s);
        QVERIFY(m0);
        QVERIFY2(m0->text(4).contains(u"settings: "_s) && m0->text(4).contains(u"base_url"_s),
                 qPrintable(m0->text(4)));
        QTreeWidgetItem *big = row(dialog, u"big"_s);
        QVERIFY(big);
        QCOMPARE(big->text(4), u"defaults"_s);
        QVERIFY(row(dialog, u"demo"_s));
        // A slot changed here records only the value that differs from the environment.
        // Its own prices replace its list price, both of them.
        ModelConfig changed = *m_fixture->engine->registry().model(u"big"_s);
        QCOMPARE(changed.priceOrigin, PriceOrigin::ListPrice);
        changed.outputPricePerMillion = 12.5;
        changed.priceOrigin = PriceOrigin::Settings;
        dialog->storeModel(changed);
        const QVariantMap stored = Settings().modelAttributes(u"big"_s);
        QCOMPARE(stored.keys(),
                 (QStringList{u"input_price_per_million"_s, u"output_price_per_million"_s}));
        QCOMPARE(stored[u"output_price_per_million"_s].toDouble(), 12.5);
        QVERIFY2(row(dialog, u"big"_s)->text(4).contains(u"output_price_per_million"_s),
                 qPrintable(row(dialog, u"big"_s)->text(4)));
        dialog->removeModel(u"big"_s);
        QVERIFY(Settings().modelAttributes(u"big"_s).isEmpty());
    }

    // A new model starts at the server found here (LM Studio), not at Ollama's address.
    void newModelStartsAtAServerFoundHere()
    {
        m_fixture->window->setLocalServerCandidates(
            {{u"Ollama"_s, u"ollama"_s, Fake::FakeLlmServer::closedPort()},
             {u"LM Studio"_s, u"lmstudio"_s, m_server.port()}});
        SettingsDialog *dialog = m_fixture->window->openSettings();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->probeFinished(), 20000);
        ModelEditDialog *edit = dialog->editModel();
        QCOMPARE(QUrl(edit->findChild<QLineEdit *>(u"baseUrl"_s)->text()),
                 QUrl(u"http://127.0.0.1:%1/v1"_s.arg(m_server.port())));
        edit->reject();
        // An existing model keeps its own.
        ModelEditDialog *existing = dialog->editModel(u"m0"_s);
        QCOMPARE(QUrl(existing->findChild<QLineEdit *>(u"baseUrl"_s)->text()),
                 m_fixture->engine->registry().model(u"m0"_s)->baseUrl);
        existing->reject();
    }

    void offersLocalServers()
    {
        // A second fake server stands for Ollama; the one m0 and m1 use stands for LM Studio,
        // already configured; nothing listens where vLLM would be.
        Fake::FakeLlmServer ollama;
        QVERIFY(ollama.listen());
        m_fixture->window->setLocalServerCandidates(
            {{u"Ollama"_s, u"ollama"_s, ollama.port()},
             {u"LM Studio"_s, u"lmstudio"_s, m_server.port()},
             {u"vLLM"_s, u"vllm"_s, Fake::FakeLlmServer::closedPort()}});
        SettingsDialog *dialog = m_fixture->window->openSettings();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->probeFinished(), 20000);
        auto *add = dialog->findChild<QPushButton *>(u"addLocal_ollama"_s);
        QVERIFY(add);
        QVERIFY(add->isEnabled());
        QVERIFY(!dialog->findChild<QPushButton *>(u"addLocal_vllm"_s));
        // Every model a server lists can be added, each once.
        auto *lmstudio = dialog->findChild<QPushButton *>(u"addLocal_lmstudio"_s);
        auto *lmstudioModels = dialog->findChild<QComboBox *>(u"localModels_lmstudio"_s);
        QVERIFY(lmstudio && lmstudioModels);
        QCOMPARE(lmstudioModels->count(), 2);
        lmstudioModels->setCurrentIndex(1);
        QVERIFY(lmstudio->isEnabled());
        lmstudio->click();
        QCOMPARE(lmstudio->text(), u"Added as lmstudio-fake-large"_s);
        QVERIFY(!lmstudio->isEnabled());
        QCOMPARE(m_fixture->engine->registry().model(u"lmstudio-fake-large"_s)->modelId,
                 u"fake-large"_s);
        lmstudioModels->setCurrentIndex(0);
        QVERIFY(lmstudio->isEnabled());
        add->click();
        const std::optional<ModelConfig> model = m_fixture->engine->registry().model(u"ollama"_s);
        QVERIFY(model);
        QCOMPARE(model->baseUrl.port(), ollama.port());
        QCOMPARE(model->modelId, u"fake-model"_s);
        QVERIFY(model->apiKeyRef.isEmpty());
        QVERIFY(!add->isEnabled());
    }
};

QTEST_MAIN(TestSettingsModels)
#include "tst_settingsmodels.moc"
