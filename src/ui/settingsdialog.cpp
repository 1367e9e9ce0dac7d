// SPDX-License-Identifier: GPL-3.0-or-later
#include "settingsdialog.h"

#include "config/secretstore.h"
#include "config/settings.h"
#include "engine/engine.h"
#include "engine/localapicontrol.h"
#include "modeleditdialog.h"
#include "modelsettings.h"
#include "persona/personalibrary.h"
#include "storage/sessionstore.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

enum ModelColumn
{
    AliasColumn,
    ModelIdColumn,
    ServerColumn,
    KeyColumn,
    SourceColumn
};

// "environment: model_id, api_key_ref · settings: temperature", or "defaults".
QString sourcesText(const ModelConfig &model)
{
    QStringList environment;
    QStringList settings;
    for (auto it = model.sources.cbegin(); it != model.sources.cend(); ++it)
        (it.value() == ValueSource::Environment ? environment : settings) << it.key();
    environment.sort();
    settings.sort();
    QStringList parts;
    if (!environment.isEmpty())
        parts << SettingsDialog::tr("environment: %1").arg(environment.join(u", "_s));
    if (!settings.isEmpty())
        parts << SettingsDialog::tr("settings: %1").arg(settings.join(u", "_s));
    if (model.kind == ApiKind::Demo)
        return SettingsDialog::tr("built in");
    if (model.apiKeyRef.startsWith(u"run:"_s))
        return SettingsDialog::tr("this run only, gone when Crosstalk quits");
    return parts.isEmpty() ? SettingsDialog::tr("defaults") : parts.join(u" · "_s);
}

QString keyText(const ModelConfig &model)
{
    if (model.apiKeyRef.startsWith(u"keychain:"_s))
        return SettingsDialog::tr("keychain");
    if (model.apiKeyRef.startsWith(u"run:"_s))
        return SettingsDialog::tr("this run only");
    if (model.apiKeyRef.startsWith(u"env:"_s))
        return model.apiKeyRef.mid(4);
    return SettingsDialog::tr("none");
}

// Whether two configurations reach the same model the same way.
bool sameConnection(const ModelConfig &a, const ModelConfig &b)
{
    return a.kind == b.kind && a.baseUrl == b.baseUrl && a.modelId == b.modelId &&
           a.apiKeyRef == b.apiKeyRef && a.azureApiVersion == b.azureApiVersion;
}

QLabel *hint(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

SettingsDialog::SettingsDialog(Engine *engine, const PersonaLibrary *library,
                               LocalApiControl *localApi, QWidget *parent)
    : QDialog(parent)
    , m_engine(engine)
    , m_library(library)
    , m_localApi(localApi)
    , m_modelSettings(new ModelSettings(engine, this))
    , m_settings(&m_modelSettings->settings())
{
    connect(m_modelSettings, &ModelSettings::changed, this, [this] {
        refreshModels();
        Q_EMIT modelsChanged();
    });
    setWindowTitle(tr("Configure Crosstalk"));
    setObjectName(u"SettingsDialog"_s);
    auto *layout = new QVBoxLayout(this);
    auto *body = new QHBoxLayout;
    m_pages = new QListWidget(this);
    m_pages->setObjectName(u"settingsPages"_s);
    m_pages->setAccessibleName(tr("Settings pages"));
    m_pages->setIconSize(QSize(32, 32));
    m_pages->setFixedWidth(150);
    m_stack = new QStackedWidget(this);
    QList<std::tuple<QString, QString, QWidget *>> pages = {
        {tr("Models"), u"preferences-system-network"_s, createModelsPage()},
        {tr("Folders"), u"folder"_s, createFoldersPage()},
    };
    if (m_localApi)
        pages.append({tr("Local API"), u"network-server"_s, createLocalApiPage()});
    for (const auto &[title, icon, page] : pages) {
        m_pages->addItem(new QListWidgetItem(QIcon::fromTheme(icon), title));
        m_stack->addWidget(page);
    }
    connect(m_pages, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    m_pages->setCurrentRow(0);
    body->addWidget(m_pages);
    body->addWidget(m_stack, 1);
    layout->addLayout(body, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    refreshModels();
    resize(900, 560);
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::showPage(Page page)
{
    m_pages->setCurrentRow(int(page));
}

QWidget *SettingsDialog::createModelsPage()
{
    auto *page = new QWidget(this);
    page->setAccessibleName(tr("Models"));
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(hint(tr("The slots big, middle and small come from the environment "
                              "(OPENAI_API_KEY, BIG_MODEL…) unless changed here; the last column "
                              "says where each value comes from. Keys typed here are kept in "
                              "the system keychain, never in the settings file."),
                           page));
    m_keychainStatus = new QLabel(page);
    m_keychainStatus->setObjectName(u"keychainStatus"_s);
    m_keychainStatus->setWordWrap(true);
    m_keychainStatus->setTextFormat(Qt::PlainText);
    m_keychainStatus->hide();
    layout->addWidget(m_keychainStatus);
    const auto showKeychainStatus = [this](const QString &problem) {
        m_keychainProblem = problem;
        m_keychainStatus->setText(
            tr("%1 Models can read their key from an environment variable, or keep it for this "
               "run of Crosstalk only.")
                .arg(problem));
        m_keychainStatus->setVisible(!problem.isEmpty());
    };
    if (SecretStore *secrets = m_engine->secrets())
        secrets->checkAvailable(this, showKeychainStatus);
    else
        showKeychainStatus(tr("Keys cannot be kept in a keychain here."));
    m_modelList = new QTreeWidget(page);
    m_modelList->setObjectName(u"modelList"_s);
    m_modelList->setAccessibleName(tr("Configured models"));
    m_modelList->setRootIsDecorated(false);
    m_modelList->setHeaderLabels(
        {tr("Alias"), tr("Model"), tr("Server"), tr("Key"), tr("Values from")});
    m_modelList->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_modelList->header()->setStretchLastSection(true);
    connect(m_modelList, &QTreeWidget::itemActivated, this,
            [this](QTreeWidgetItem *item) { editModel(item->text(AliasColumn)); });
    layout->addWidget(m_modelList, 1);

    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(QIcon::fromTheme(u"list-add"_s), tr("&Add…"), page);
    add->setObjectName(u"addModel"_s);
    m_editButton = new QPushButton(QIcon::fromTheme(u"document-edit"_s), tr("&Edit…"), page);
    m_editButton->setObjectName(u"editModel"_s);
    m_removeButton = new QPushButton(QIcon::fromTheme(u"list-remove"_s), tr("&Remove"), page);
    m_removeButton->setObjectName(u"removeModel"_s);
    connect(add, &QPushButton::clicked, this, [this] { editModel(); });
    connect(m_editButton, &QPushButton::clicked, this, [this] {
        if (QTreeWidgetItem *item = m_modelList->currentItem())
            editModel(item->text(AliasColumn));
    });
    connect(m_removeButton, &QPushButton::clicked, this, [this] {
        if (QTreeWidgetItem *item = m_modelList->currentItem())
            removeModel(item->text(AliasColumn));
    });
    connect(m_modelList, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        const QString alias = item ? item->text(AliasColumn) : QString();
        const bool demo = alias == ModelRegistry::demoAlias();
        const bool slot = ModelRegistry::slotAliases().contains(alias);
        m_editButton->setEnabled(item && !demo);
        m_removeButton->setEnabled(item && !demo &&
                                   (!slot || m_settings->modelAliases().contains(alias)));
        m_removeButton->setText(slot ? tr("&Reset to Environment") : tr("&Remove"));
    });
    buttons->addWidget(add);
    buttons->addWidget(m_editButton);
    buttons->addWidget(m_removeButton);
    buttons->addStretch(1);
    layout->addLayout(buttons);

    m_problems = new QLabel(page);
    m_problems->setObjectName(u"modelProblems"_s);
    m_problems->setWordWrap(true);
    m_problems->setTextFormat(Qt::PlainText);
    QPalette negative = m_problems->palette();
    negative.setColor(QPalette::WindowText, QColor(0xda, 0x44, 0x53));
    m_problems->setPalette(negative);
    layout->addWidget(m_problems);

    auto *local = new QGroupBox(tr("Servers on this computer"), page);
    m_localServersLayout = new QVBoxLayout(local);
    m_localServersStatus =
        new QLabel(tr("Looking for Ollama, LM Studio, llama.cpp and vLLM…"), local);
    m_localServersStatus->setObjectName(u"localServersStatus"_s);
    m_localServersStatus->setWordWrap(true);
    m_localServersLayout->addWidget(m_localServersStatus);
    m_localServers = local;
    layout->addWidget(local);
    return page;
}

QWidget *SettingsDialog::createFoldersPage()
{
    auto *page = new QWidget(this);
    page->setAccessibleName(tr("Folders"));
    auto *form = new QFormLayout(page);
    const auto row = [this, form, page](const QString &label, const QString &path) {
        auto *line = new QHBoxLayout;
        auto *text = new QLineEdit(QDir::toNativeSeparators(path), page);
        text->setReadOnly(true);
        text->setAccessibleName(label);
        auto *open = new QPushButton(QIcon::fromTheme(u"document-open-folder"_s), tr("Open"), page);
        open->setAccessibleName(tr("Open %1").arg(label));
        connect(open, &QPushButton::clicked, this, [path] {
            QDir().mkpath(path);
            QDesktopServices::openUrl(QUrl::fromLocalFile(path));
        });
        line->addWidget(text, 1);
        line->addWidget(open);
        form->addRow(label + u':', line);
    };
    row(tr("Persona library"), m_library->folder());
    row(tr("Data folder"), QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
    form->addRow(tr("Session store:"),
                 new QLabel(QDir::toNativeSeparators(SessionStore::defaultPath()), page));
    form->addRow(tr("Settings file:"),
                 new QLabel(QDir::toNativeSeparators(m_settings->filePath()), page));
    form->addRow(hint(tr("Persona files are plain text: edit them here in the Personas panel or "
                         "with any editor; the window follows changes on disk."),
                      page));
    return page;
}

QWidget *SettingsDialog::createLocalApiPage()
{
    auto *page = new QWidget(this);
    page->setAccessibleName(tr("Local API"));
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(hint(tr("Serve the REST API (docs/rest.md) from this window on 127.0.0.1. "
                              "Sessions created over HTTP appear here live, and the window's "
                              "sessions can be driven over HTTP. Every route but /healthz needs "
                              "the token."),
                           page));
    auto *form = new QFormLayout;
    m_apiSwitch = new QCheckBox(tr("&Serve the local REST API"), page);
    m_apiSwitch->setObjectName(u"localApiSwitch"_s);
    m_apiPort = new QSpinBox(page);
    m_apiPort->setObjectName(u"localApiPort"_s);
    m_apiPort->setAccessibleName(tr("Port"));
    m_apiPort->setRange(1, 65535);
    m_apiPort->setValue(m_settings->localApiPort());
    m_apiPort->setToolTip(tr("Switch the API off to change the port"));
    m_apiMaxRunning = new QSpinBox(page);
    m_apiMaxRunning->setObjectName(u"localApiMaxRunning"_s);
    m_apiMaxRunning->setAccessibleName(tr("Sessions running at once"));
    m_apiMaxRunning->setRange(1, 1000);
    m_apiMaxRunning->setValue(m_settings->localApiMaxRunning());
    m_apiMaxRunning->setToolTip(tr("A run request beyond it is answered 429 and the session "
                                   "stays as it was; switch the API off to change it"));
    m_apiRate = new QSpinBox(page);
    m_apiRate->setObjectName(u"localApiRate"_s);
    m_apiRate->setAccessibleName(tr("Requests per second per client"));
    m_apiRate->setRange(0, 100000);
    m_apiRate->setSpecialValueText(tr("No limit"));
    m_apiRate->setSuffix(tr(" per second"));
    m_apiRate->setValue(qRound(m_settings->localApiRate()));
    m_apiRate->setToolTip(tr("How many requests a client may make a second in the long run; "
                             "more are answered 429 with Retry-After. 0 turns the limit off"));
    m_apiBurst = new QSpinBox(page);
    m_apiBurst->setObjectName(u"localApiBurst"_s);
    m_apiBurst->setAccessibleName(tr("Requests at once per client"));
    m_apiBurst->setRange(1, 100000);
    m_apiBurst->setValue(std::max(1, qRound(m_settings->localApiBurst())));
    m_apiBurst->setToolTip(tr("How many requests a client may make at once before the rate "
                              "applies"));
    m_apiStatus = new QLabel(page);
    m_apiStatus->setObjectName(u"localApiStatus"_s);
    m_apiStatus->setWordWrap(true);
    m_apiStatus->setTextFormat(Qt::PlainText);
    m_apiStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *tokenRow = new QHBoxLayout;
    m_apiToken = new QLineEdit(page);
    m_apiToken->setObjectName(u"localApiToken"_s);
    m_apiToken->setAccessibleName(tr("Token"));
    m_apiToken->setReadOnly(true);
    m_apiToken->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    m_copyToken = new QPushButton(QIcon::fromTheme(u"edit-copy"_s), tr("&Copy"), page);
    m_copyToken->setObjectName(u"copyToken"_s);
    m_copyToken->setToolTip(tr("Copy the token to the clipboard"));
    connect(m_copyToken, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_localApi->token()); });
    auto *show = new QCheckBox(tr("S&how"), page);
    connect(show, &QCheckBox::toggled, this, [this](bool on) {
        m_apiToken->setEchoMode(on ? QLineEdit::Normal : QLineEdit::PasswordEchoOnEdit);
    });
    tokenRow->addWidget(m_apiToken, 1);
    tokenRow->addWidget(show);
    tokenRow->addWidget(m_copyToken);
    form->addRow(QString(), m_apiSwitch);
    form->addRow(tr("&Port:"), m_apiPort);
    form->addRow(tr("Sessions running at &once:"), m_apiMaxRunning);
    form->addRow(tr("&Rate limit:"), m_apiRate);
    form->addRow(tr("B&urst:"), m_apiBurst);
    form->addRow(tr("Status:"), m_apiStatus);
    form->addRow(tr("Token:"), tokenRow);
    layout->addLayout(form);
    layout->addStretch(1);
    connect(m_apiSwitch, &QCheckBox::toggled, this, &SettingsDialog::onApiSwitch);
    connect(m_localApi, &LocalApiControl::started, this, &SettingsDialog::updateApiState);
    connect(m_localApi, &LocalApiControl::stopped, this, &SettingsDialog::updateApiState);
    connect(m_localApi, &LocalApiControl::failed, this, [this](const QString &message) {
        m_apiStatus->setText(tr("Not serving: %1").arg(message));
        m_settings->setLocalApiEnabled(false);
        const QSignalBlocker blocker(m_apiSwitch);
        m_apiSwitch->setChecked(false);
        enableApiFields(true);
    });
    updateApiState();
    return page;
}

void SettingsDialog::onApiSwitch(bool on)
{
    m_settings->setLocalApiEnabled(on);
    m_settings->setLocalApiPort(m_apiPort->value());
    m_settings->setLocalApiMaxRunning(m_apiMaxRunning->value());
    m_settings->setLocalApiRate(m_apiRate->value());
    m_settings->setLocalApiBurst(m_apiBurst->value());
    m_settings->sync();
    enableApiFields(!on);
    if (on) {
        m_apiStatus->setText(tr("Starting…"));
        m_localApi->start({m_apiPort->value(), m_apiMaxRunning->value(), double(m_apiRate->value()),
                           double(m_apiBurst->value())});
    } else {
        m_localApi->stop();
    }
}

void SettingsDialog::enableApiFields(bool enabled)
{
    // What the server was started with; it is switched off to change them.
    for (QWidget *field : {m_apiPort, m_apiMaxRunning, m_apiRate, m_apiBurst})
        field->setEnabled(enabled);
}

void SettingsDialog::updateApiState()
{
    const bool running = m_localApi->isRunning();
    {
        const QSignalBlocker blocker(m_apiSwitch);
        m_apiSwitch->setChecked(
            running || (m_settings->localApiEnabled() && m_apiStatus->text() == tr("Starting…")));
    }
    enableApiFields(!m_apiSwitch->isChecked());
    if (running) {
        m_apiPort->setValue(m_localApi->url().port());
        m_apiStatus->setText(tr("Serving at %1 (token from %2).")
                                 .arg(m_localApi->url().toString(), m_localApi->tokenSource()));
    } else if (!m_apiStatus->text().startsWith(tr("Not serving:"))) {
        m_apiStatus->setText(tr("Off."));
    }
    m_apiToken->setText(m_localApi->token());
    m_copyToken->setEnabled(running);
}

QString SettingsDialog::localApiStatus() const
{
    return m_apiStatus->text();
}

QString SettingsDialog::keychainStatus() const
{
    return m_keychainStatus->isHidden() ? QString() : m_keychainStatus->text();
}

QString SettingsDialog::shownToken() const
{
    return m_apiToken->text();
}

void SettingsDialog::refreshModels()
{
    const QString current =
        m_modelList->currentItem() ? m_modelList->currentItem()->text(0) : QString();
    m_modelList->clear();
    const ModelRegistry &registry = m_engine->registry();
    for (const QString &alias : registry.aliases()) {
        const ModelConfig model = *registry.model(alias);
        auto *item = new QTreeWidgetItem(m_modelList);
        item->setText(AliasColumn, alias);
        item->setText(ModelIdColumn,
                      model.kind == ApiKind::Demo ? model.displayName() : model.modelId);
        item->setText(ServerColumn, model.baseUrl.toDisplayString()); // without a password
        item->setText(KeyColumn, keyText(model));
        item->setText(SourceColumn, sourcesText(model));
        if (alias == current)
            m_modelList->setCurrentItem(item);
    }
    if (!m_modelList->currentItem() && m_modelList->topLevelItemCount() > 0)
        m_modelList->setCurrentItem(m_modelList->topLevelItem(0));
    m_problems->setText(registry.problems().join(u'\n'));
    m_problems->setVisible(!registry.problems().isEmpty());
}

void SettingsDialog::storeModel(const ModelConfig &model, const QString &key,
                                std::function<void(QString error)> done)
{
    m_modelSettings->store(model, key, std::move(done));
}

void SettingsDialog::removeModel(const QString &alias)
{
    m_modelSettings->remove(alias);
}

ModelEditDialog *SettingsDialog::editModel(const QString &alias)
{
    auto *dialog = new ModelEditDialog(
        m_engine, alias.isEmpty() ? std::nullopt : m_engine->registry().model(alias), this);
    // A new model starts at a server found on this machine, not at Ollama's address by rule.
    if (!m_foundServers.isEmpty())
        dialog->suggestBaseUrl(m_foundServers.first().baseUrl);
    dialog->setKeychainProblem(m_keychainProblem);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setSaver([this, dialog = QPointer(dialog)](const ModelConfig &model, const QString &key,
                                                       std::function<void(QString error)> done) {
        const std::optional<ModelConfig> before = m_engine->registry().model(model.alias);
        const std::optional<bool> tested = dialog ? dialog->testOutcome() : std::nullopt;
        storeModel(model, key, [this, model, key, before, tested, done](const QString &error) {
            // New Session offers models by their last test; an untested change forgets it.
            if (error.isEmpty() &&
                (tested || !key.isEmpty() || !before || !sameConnection(*before, model)))
                m_settings->setConnectionTestPassed(model.alias, tested);
            m_settings->sync();
            done(error);
        });
    });
    // A test of a model as it is saved counts without OK.
    connect(dialog, &ModelEditDialog::testFinished, this, [this, dialog](bool ok) {
        const ModelConfig tested = dialog->model();
        const std::optional<ModelConfig> saved = m_engine->registry().model(tested.alias);
        if (saved && dialog->typedKey().isEmpty() &&
            ModelRegistry::attributesOf(*saved) == ModelRegistry::attributesOf(tested)) {
            m_settings->setConnectionTestPassed(tested.alias, ok);
            m_settings->sync();
        }
    });
    dialog->setWindowModality(Qt::WindowModal);
    dialog->show();
    return dialog;
}

void SettingsDialog::setLocalServerCandidates(const QList<LocalServerProbe::Candidate> &candidates)
{
    m_candidates = candidates;
}

bool SettingsDialog::probeFinished() const
{
    return m_probe && m_probe->isFinished();
}

void SettingsDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    if (m_probeStarted)
        return;
    m_probeStarted = true;
    m_probe = new LocalServerProbe(this);
    connect(m_probe, &LocalServerProbe::finished, this, &SettingsDialog::onLocalServers);
    m_probe->start(m_candidates);
}

void SettingsDialog::onLocalServers(const QList<LocalServer> &servers)
{
    m_foundServers = servers;
    if (servers.isEmpty()) {
        m_localServersStatus->setText(
            tr("No local model server answered (Ollama on port 11434, LM Studio on 1234, "
               "llama.cpp on 8080, vLLM on 8000)."));
        return;
    }
    m_localServersStatus->setText(tr("Found on 127.0.0.1; these need no key:"));
    for (const LocalServer &server : servers) {
        auto *row = new QHBoxLayout;
        auto *label = new QLabel(tr("%1 at %2 — %n model(s)", nullptr, int(server.models.size()))
                                     .arg(server.name, server.baseUrl.toDisplayString()),
                                 m_localServers);
        label->setWordWrap(true);
        // Every model the server lists can be added, each once.
        auto *models = new QComboBox(m_localServers);
        models->setObjectName(u"localModels_"_s + server.alias);
        models->setAccessibleName(tr("Models of %1").arg(server.name));
        models->addItems(server.models);
        models->setEnabled(server.models.size() > 1);
        auto *add = new QPushButton(m_localServers);
        add->setObjectName(u"addLocal_"_s + server.alias);
        const auto update = [this, server, models, add] {
            QString used;
            for (const QString &alias : m_engine->registry().aliases()) {
                const ModelConfig model = *m_engine->registry().model(alias);
                if (model.baseUrl == server.baseUrl && model.modelId == models->currentText())
                    used = alias;
            }
            add->setText(used.isEmpty() ? tr("Add as Model") : tr("Added as %1").arg(used));
            add->setEnabled(used.isEmpty());
        };
        connect(models, &QComboBox::currentIndexChanged, this, update);
        connect(add, &QPushButton::clicked, this, [this, server, models, update] {
            m_modelSettings->addLocalServer(server, models->currentText());
            update();
        });
        update();
        row->addWidget(label, 1);
        row->addWidget(models);
        row->addWidget(add);
        m_localServersLayout->addLayout(row);
    }
}

} // namespace Crosstalk
