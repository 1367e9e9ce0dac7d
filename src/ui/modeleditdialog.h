// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "llm/modelconfig.h"

#include <QDialog>
#include <QPointer>
#include <QVariantMap>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace Crosstalk {

class Engine;

// Adds or edits one model: server, protocol, model id (typed, or chosen from the server's
// list), key, parameters and their policy, prices. "Test connection" asks the server for its
// model list with the values as they are in the form, which proves URL, protocol and key.
// The key typed here goes to the keychain, never to the settings file. When the keychain
// cannot keep it, the dialog stays open, says why, and offers what works: this run only, or
// an environment variable.
class ModelEditDialog : public QDialog
{
    Q_OBJECT

public:
    enum class KeyMode
    {
        None,
        Keychain,
        Environment,
        ThisRun // model and key in memory until the program ends
    };
    // Saves the model (and the typed key); `done` gets the keychain's error, empty on success.
    using Saver = std::function<void(const ModelConfig &model, const QString &key,
                                     std::function<void(QString error)> done)>;

    // `existing` null: a new model.
    ModelEditDialog(Engine *engine, const std::optional<ModelConfig> &existing,
                    QWidget *parent = nullptr);

    // The model as the form describes it (the key reference, not the key).
    ModelConfig model() const;
    KeyMode keyMode() const;
    // The key typed in (keychain or this-run mode); empty when left unchanged.
    QString typedKey() const;
    // OK saves through `saver` and closes only once the model is saved.
    void setSaver(Saver saver) { m_saver = std::move(saver); }
    // Says up front (before a key is typed) why keys cannot go to the keychain, and takes the
    // keychain out of the choices; Settings asked once when it opened.
    void setKeychainProblem(const QString &problem);
    // The keychain's problem shown under the key; empty when there is none.
    QString keychainProblem() const;

    // For a new model: the server URL to start from (a server found on this machine) instead
    // of Ollama's default.
    void suggestBaseUrl(const QUrl &url);

    // The alias problem, or empty when the alias can be used.
    QString aliasProblem() const;

    // Runs the connection test (the model list, then a one-token request to the model);
    // testFinished() tells the outcome, also shown in the form.
    void testConnection();
    // Whether the last test of the values now in the form passed; none when they were not
    // tested as they are.
    std::optional<bool> testOutcome() const;
    // Fetches the server's model list into the model id box.
    void fetchModels();
    QString testResult() const;

    void accept() override;

Q_SIGNALS:
    void testFinished(bool ok, const QString &message);
    void modelsFetched(const QStringList &ids);

private:
    // Answers with the key the form means: typed, from the environment, or from the keychain.
    void withKey(std::function<void(QString key, QString error)> done);
    void
    listModels(std::function<void(bool ok, const QStringList &ids, const QString &error)> done);
    // Shows that the server is being asked; the function returned ends that.
    std::function<void()> startAsking();
    void updateKeyField();
    // Shows the price the model has as the form stands, and where it comes from.
    void updatePrices();
    void applyRecommendedPolicy();
    void showResult(bool ok, const QString &text);
    // What keeps the form from being saved, or empty.
    QString formProblem() const;
    // Whether the model being edited already has the key the form refers to.
    bool hasStoredKey() const;
    void showProblem(const QString &problem);
    void growToFit();
    void fitHeight();
    void showEvent(QShowEvent *event) override;
    void showKeychainProblem(const QString &problem, bool offerAlternatives);

    Engine *m_engine;
    std::optional<ModelConfig> m_existing;
    QPointer<QObject> m_asking; // the listing or test under way
    struct Test
    {
        QVariantMap attributes;
        QString key;
        bool passed = false;
    };
    std::optional<Test> m_lastTest;
    Saver m_saver;
    KeyMode m_shownMode = KeyMode::None;
    bool m_saving = false;

    QLineEdit *m_alias = nullptr;
    QComboBox *m_kind = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QComboBox *m_modelId = nullptr;
    QComboBox *m_keyMode = nullptr;
    QLineEdit *m_key = nullptr;
    QSpinBox *m_maxOutput = nullptr;
    QDoubleSpinBox *m_temperature = nullptr;
    QComboBox *m_maxTokensField = nullptr;
    QCheckBox *m_acceptsTemperature = nullptr;
    QCheckBox *m_acceptsTopP = nullptr;
    QCheckBox *m_excludesTopP = nullptr;
    QCheckBox *m_ownPrices = nullptr;
    QLabel *m_priceNote = nullptr;
    QDoubleSpinBox *m_inputPrice = nullptr;
    QDoubleSpinBox *m_outputPrice = nullptr;
    QSpinBox *m_contextBudget = nullptr;
    QPushButton *m_test = nullptr;
    QLabel *m_result = nullptr;
    QLabel *m_aliasProblem = nullptr;
    QFormLayout *m_form = nullptr;
    QLabel *m_keychainProblem = nullptr;
    QWidget *m_keychainAlternatives = nullptr;
    QPushButton *m_ok = nullptr;
};

} // namespace Crosstalk
