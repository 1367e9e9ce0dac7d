// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserverprobe.h"

#include <QDialog>
#include <QProcessEnvironment>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTreeWidget;
class QVBoxLayout;

namespace Crosstalk {

class Engine;
class LocalApiControl;
class ModelSettings;
class PersonaLibrary;
class Settings;
struct ModelConfig;

// Settings → Configure Crosstalk: the Models page (add, edit, remove; where each value comes
// from; local servers found on this machine), the Folders page and, given a local API to
// switch, the Local API page. Changes take effect at once: the Engine gets the new models, the
// local API starts or stops.
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Page
    {
        Models,
        Folders,
        LocalApi
    };

    SettingsDialog(Engine *engine, const PersonaLibrary *library, LocalApiControl *localApi,
                   QWidget *parent = nullptr);
    ~SettingsDialog() override;

    void showPage(Page page);

    // Stores a model (from the edit dialog or a detected server) and reloads the Engine's
    // models. `key`, when given, goes to the keychain; `done` gets the keychain's error.
    void storeModel(const ModelConfig &model, const QString &key = {},
                    std::function<void(QString error)> done = {});
    void removeModel(const QString &alias);
    // Opens the edit dialog for a model (null: a new one), non-modal; returns it.
    class ModelEditDialog *editModel(const QString &alias = {});

    // The local servers found when the page opened (probed once per dialog).
    void setLocalServerCandidates(const QList<LocalServerProbe::Candidate> &candidates);
    bool probeFinished() const;

    // Local API controls, for tests and the first-run guide.
    QCheckBox *localApiSwitch() const { return m_apiSwitch; }
    QSpinBox *localApiPort() const { return m_apiPort; }
    QString localApiStatus() const;
    QString shownToken() const;
    // Why keys cannot be kept in the keychain, shown at the top of the Models page; empty when
    // they can.
    QString keychainStatus() const;

Q_SIGNALS:
    // The Engine's models changed.
    void modelsChanged();

private:
    QWidget *createModelsPage();
    QWidget *createFoldersPage();
    QWidget *createLocalApiPage();
    void refreshModels();
    void onLocalServers(const QList<LocalServer> &servers);
    void onApiSwitch(bool on);
    void updateApiState();
    void enableApiFields(bool enabled);
    void showEvent(QShowEvent *event) override;

    Engine *m_engine;
    const PersonaLibrary *m_library;
    LocalApiControl *m_localApi;
    ModelSettings *m_modelSettings;
    Settings *m_settings;

    QListWidget *m_pages = nullptr;
    QStackedWidget *m_stack = nullptr;
    QTreeWidget *m_modelList = nullptr;
    QPushButton *m_editButton = nullptr;
    QPushButton *m_removeButton = nullptr;
    QLabel *m_problems = nullptr;
    QLabel *m_keychainStatus = nullptr;
    QString m_keychainProblem; // why keys cannot go to the keychain; empty when they can
    QWidget *m_localServers = nullptr;
    QVBoxLayout *m_localServersLayout = nullptr;
    QLabel *m_localServersStatus = nullptr;
    LocalServerProbe *m_probe = nullptr;
    QList<LocalServerProbe::Candidate> m_candidates = LocalServerProbe::defaultCandidates();
    QList<LocalServer> m_foundServers; // by the probe, in the candidates' order
    bool m_probeStarted = false;

    QCheckBox *m_apiSwitch = nullptr;
    QSpinBox *m_apiMaxRunning = nullptr;
    QSpinBox *m_apiRate = nullptr;
    QSpinBox *m_apiBurst = nullptr;
    QSpinBox *m_apiPort = nullptr;
    QLabel *m_apiStatus = nullptr;
    QLineEdit *m_apiToken = nullptr;
    QPushButton *m_copyToken = nullptr;
};

} // namespace Crosstalk
