// SPDX-License-Identifier: GPL-3.0-or-later
#include "modeleditdialog.h"

#include "llm/pricetable.h"

#include "engine/engine.h"
#include "llm/chatclient.h"
#include "llm/connectiontest.h"
#include "llm/modellisting.h"
#include "llm/modelregistry.h"
#include "llm/pricetable.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

bool isSecret(ModelEditDialog::KeyMode mode)
{
    return mode == ModelEditDialog::KeyMode::Keychain || mode == ModelEditDialog::KeyMode::ThisRun;
}

constexpr auto kTestTimeout = std::chrono::seconds(15);
const QColor kNegative(0xda, 0x44, 0x53);
const QColor kPositive(0x27, 0xae, 0x60);

} // namespace

ModelEditDialog::ModelEditDialog(Engine *engine, const std::optional<ModelConfig> &existing,
                                 QWidget *parent)
    : QDialog(parent)
    , m_engine(engine)
    , m_existing(existing)
{
    setWindowTitle(existing ? tr("Edit Model %1").arg(existing->alias) : tr("Add Model"));
    setObjectName(u"ModelEditDialog"_s);
    auto *layout = new QVBoxLayout(this);

    auto *connection = new QGroupBox(tr("Connection"), this);
    auto *form = m_form = new QFormLayout(connection);
    m_alias = new QLineEdit(connection);
    m_alias->setObjectName(u"alias"_s);
    m_alias->setPlaceholderText(tr("a short name, e.g. local-llama"));
    m_alias->setReadOnly(existing.has_value());
    form->addRow(tr("&Alias:"), m_alias);
    m_aliasProblem = new QLabel(connection);
    m_aliasProblem->setObjectName(u"aliasProblem"_s);
    m_aliasProblem->setTextFormat(Qt::PlainText);
    QPalette negative = m_aliasProblem->palette();
    negative.setColor(QPalette::WindowText, kNegative);
    m_aliasProblem->setPalette(negative);
    form->addRow(QString(), m_aliasProblem);
    form->setRowVisible(m_aliasProblem, false); // rows of messages show only with one
    m_kind = new QComboBox(connection);
    m_kind->setObjectName(u"kind"_s);
    m_kind->addItem(tr("OpenAI-compatible (Chat Completions)"), enumToString(ApiKind::OpenAI));
    m_kind->addItem(tr("Anthropic (Messages)"), enumToString(ApiKind::Anthropic));
    form->addRow(tr("&Protocol:"), m_kind);
    m_baseUrl = new QLineEdit(connection);
    m_baseUrl->setObjectName(u"baseUrl"_s);
    m_baseUrl->setPlaceholderText(u"https://api.openai.com/v1"_s);
    form->addRow(tr("Server &URL:"), m_baseUrl);
    auto *modelRow = new QHBoxLayout;
    m_modelId = new QComboBox(connection);
    m_modelId->setObjectName(u"modelId"_s);
    m_modelId->setEditable(true);
    m_modelId->setAccessibleName(tr("Model id"));
    m_modelId->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    auto *fetch = new QPushButton(tr("&From Server"), connection);
    fetch->setObjectName(u"fetchModels"_s);
    fetch->setToolTip(tr("Choose from the models the server lists"));
    connect(fetch, &QPushButton::clicked, this, &ModelEditDialog::fetchModels);
    modelRow->addWidget(m_modelId, 1);
    modelRow->addWidget(fetch);
    // A row of a layout gets a label without a buddy, whose & would show as written.
    auto *modelLabel = new QLabel(tr("&Model id:"), connection);
    modelLabel->setBuddy(m_modelId);
    form->addRow(modelLabel, modelRow);
    auto *keyRow = new QHBoxLayout;
    m_keyMode = new QComboBox(connection);
    m_keyMode->setObjectName(u"keyMode"_s);
    m_keyMode->setAccessibleName(tr("Where the key comes from"));
    m_keyMode->addItem(tr("No key"), int(KeyMode::None));
    m_keyMode->addItem(tr("System keychain"), int(KeyMode::Keychain));
    m_keyMode->addItem(tr("Environment variable"), int(KeyMode::Environment));
    m_keyMode->addItem(tr("This run only"), int(KeyMode::ThisRun));
    m_keyMode->setItemData(3, tr("The model and its key are kept in memory until Crosstalk quits"),
                           Qt::ToolTipRole);
    m_key = new QLineEdit(connection);
    m_key->setObjectName(u"apiKey"_s);
    m_key->setAccessibleName(tr("API key"));
    keyRow->addWidget(m_keyMode);
    keyRow->addWidget(m_key, 1);
    auto *keyLabel = new QLabel(tr("API &key:"), connection);
    keyLabel->setBuddy(m_keyMode);
    form->addRow(keyLabel, keyRow);
    m_keychainProblem = new QLabel(connection);
    m_keychainProblem->setObjectName(u"keychainProblem"_s);
    m_keychainProblem->setWordWrap(true);
    // The form measures a wrapped label at its narrowest: give it a width to wrap at.
    m_keychainProblem->setMinimumWidth(420);
    m_keychainProblem->setTextFormat(Qt::PlainText);
    form->addRow(QString(), m_keychainProblem);
    form->setRowVisible(m_keychainProblem, false);
    // What works when the keychain does not: offered once it failed to keep a key.
    m_keychainAlternatives = new QWidget(connection);
    auto *alternatives = new QHBoxLayout(m_keychainAlternatives);
    alternatives->setContentsMargins(0, 0, 0, 0);
    auto *thisRun = new QPushButton(tr("Keep for This &Run Only"), m_keychainAlternatives);
    thisRun->setObjectName(u"keepForThisRun"_s);
    thisRun->setToolTip(tr("Keep the model and its key in memory until Crosstalk quits"));
    auto *environment =
        new QPushButton(tr("Read From an &Environment Variable"), m_keychainAlternatives);
    environment->setObjectName(u"useEnvironment"_s);
    connect(thisRun, &QPushButton::clicked, this, [this] {
        m_keyMode->setCurrentIndex(m_keyMode->findData(int(KeyMode::ThisRun)));
        accept();
    });
    connect(environment, &QPushButton::clicked, this, [this] {
        m_keyMode->setCurrentIndex(m_keyMode->findData(int(KeyMode::Environment)));
        m_form->setRowVisible(m_keychainAlternatives, false);
        m_key->setFocus();
    });
    alternatives->addWidget(thisRun);
    alternatives->addWidget(environment);
    alternatives->addStretch(1);
    form->addRow(QString(), m_keychainAlternatives);
    form->setRowVisible(m_keychainAlternatives, false);
    auto *testRow = new QHBoxLayout;
    m_test =
        new QPushButton(QIcon::fromTheme(u"network-connect"_s), tr("&Test Connection"), connection);
    m_test->setObjectName(u"testConnection"_s);
    connect(m_test, &QPushButton::clicked, this, &ModelEditDialog::testConnection);
    m_result = new QLabel(connection);
    m_result->setObjectName(u"testResult"_s);
    m_result->setAccessibleName(tr("Connection test result"));
    m_result->setWordWrap(true);
    m_result->setMinimumWidth(300);
    m_result->setTextFormat(Qt::PlainText);
    testRow->addWidget(m_test);
    testRow->addWidget(m_result, 1);
    form->addRow(QString(), testRow);
    layout->addWidget(connection);

    auto *parameters = new QGroupBox(tr("Parameters and prices"), this);
    auto *params = new QFormLayout(parameters);
    m_maxOutput = new QSpinBox(parameters);
    m_maxOutput->setObjectName(u"maxOutputTokens"_s);
    m_maxOutput->setRange(0, 1'000'000);
    m_maxOutput->setSpecialValueText(tr("server default"));
    params->addRow(tr("Max output tokens:"), m_maxOutput);
    m_temperature = new QDoubleSpinBox(parameters);
    m_temperature->setObjectName(u"temperature"_s);
    m_temperature->setRange(-0.1, 2.0);
    m_temperature->setSingleStep(0.1);
    m_temperature->setDecimals(2);
    m_temperature->setSpecialValueText(tr("server default"));
    m_temperature->setValue(-0.1);
    params->addRow(tr("Temperature:"), m_temperature);
    auto *policyRow = new QHBoxLayout;
    m_maxTokensField = new QComboBox(parameters);
    m_maxTokensField->setObjectName(u"maxTokensField"_s);
    m_maxTokensField->setAccessibleName(tr("Field for the output limit"));
    m_maxTokensField->addItem(u"max_tokens"_s);
    m_maxTokensField->addItem(u"max_completion_tokens"_s);
    auto *recommended = new QPushButton(tr("Re&commended"), parameters);
    recommended->setToolTip(tr("The policy Crosstalk knows this model id needs"));
    connect(recommended, &QPushButton::clicked, this, &ModelEditDialog::applyRecommendedPolicy);
    policyRow->addWidget(m_maxTokensField);
    policyRow->addWidget(recommended);
    policyRow->addStretch(1);
    params->addRow(tr("Output limit field:"), policyRow);
    m_acceptsTemperature = new QCheckBox(tr("Accepts temperature"), parameters);
    m_acceptsTopP = new QCheckBox(tr("Accepts top_p"), parameters);
    m_excludesTopP = new QCheckBox(tr("Not both in one request"), parameters);
    auto *accepts = new QHBoxLayout;
    accepts->addWidget(m_acceptsTemperature);
    accepts->addWidget(m_acceptsTopP);
    accepts->addWidget(m_excludesTopP);
    accepts->addStretch(1);
    params->addRow(tr("Parameter policy:"), accepts);
    auto *prices = new QHBoxLayout;
    m_inputPrice = new QDoubleSpinBox(parameters);
    m_inputPrice->setObjectName(u"inputPrice"_s);
    m_inputPrice->setAccessibleName(tr("Input price per million tokens"));
    m_outputPrice = new QDoubleSpinBox(parameters);
    m_outputPrice->setObjectName(u"outputPrice"_s);
    m_outputPrice->setAccessibleName(tr("Output price per million tokens"));
    for (QDoubleSpinBox *price : {m_inputPrice, m_outputPrice}) {
        price->setRange(0, 10'000);
        price->setDecimals(3);
        price->setPrefix(u"$"_s);
    }
    m_ownPrices = new QCheckBox(tr("My &own prices"), parameters);
    m_ownPrices->setObjectName(u"ownPrices"_s);
    m_ownPrices->setToolTip(tr("Prices for this model instead of its list price"));
    prices->addWidget(new QLabel(tr("in"), parameters));
    prices->addWidget(m_inputPrice);
    prices->addWidget(new QLabel(tr("out"), parameters));
    prices->addWidget(m_outputPrice);
    prices->addWidget(m_ownPrices);
    prices->addStretch(1);
    params->addRow(tr("Price per million tokens:"), prices);
    m_priceNote = new QLabel(parameters);
    m_priceNote->setObjectName(u"priceNote"_s);
    m_priceNote->setTextFormat(Qt::PlainText);
    m_priceNote->setWordWrap(true);
    params->addRow(QString(), m_priceNote);
    m_contextBudget = new QSpinBox(parameters);
    m_contextBudget->setRange(1, 10'000'000);
    m_contextBudget->setSuffix(tr(" tokens"));
    params->addRow(tr("Context budget:"), m_contextBudget);
    layout->addWidget(parameters);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &ModelEditDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ModelEditDialog::reject);
    layout->addWidget(buttons);

    // Fill from the model being edited, or from the defaults of a new one.
    ModelConfig model = existing.value_or(ModelConfig{});
    if (!existing) {
        model.baseUrl = QUrl(u"http://127.0.0.1:11434/v1"_s);
        model.policy = ParameterPolicy::forModel(ApiKind::OpenAI, {});
    }
    m_alias->setText(model.alias);
    m_kind->setCurrentIndex(std::max(0, m_kind->findData(enumToString(model.kind))));
    m_baseUrl->setText(model.baseUrl.toString());
    m_modelId->setEditText(model.modelId);
    KeyMode mode = KeyMode::None;
    if (model.apiKeyRef.startsWith(u"keychain:"_s))
        mode = KeyMode::Keychain;
    else if (model.apiKeyRef.startsWith(u"env:"_s))
        mode = KeyMode::Environment;
    else if (model.apiKeyRef.startsWith(u"run:"_s))
        mode = KeyMode::ThisRun;
    m_keyMode->setCurrentIndex(m_keyMode->findData(int(mode)));
    if (mode == KeyMode::Environment)
        m_key->setText(model.apiKeyRef.mid(4));
    m_maxOutput->setValue(model.maxOutputTokens.value_or(0));
    m_temperature->setValue(model.temperature.value_or(-0.1));
    m_maxTokensField->setCurrentIndex(
        model.policy.maxTokensField == ParameterPolicy::MaxTokensField::MaxTokens ? 0 : 1);
    m_acceptsTemperature->setChecked(model.policy.acceptsTemperature);
    m_acceptsTopP->setChecked(model.policy.acceptsTopP);
    m_excludesTopP->setChecked(model.policy.temperatureExcludesTopP);
    m_inputPrice->setValue(model.inputPricePerMillion);
    m_outputPrice->setValue(model.outputPricePerMillion);
    m_ownPrices->setChecked(model.priceOrigin == PriceOrigin::Settings);
    m_contextBudget->setValue(model.contextBudgetTokens);
    connect(m_keyMode, &QComboBox::currentIndexChanged, this, &ModelEditDialog::updateKeyField);
    // A problem shown goes (or changes) as the fields are corrected, not at the next OK.
    const auto recheck = [this] {
        if (!m_aliasProblem->isHidden())
            showProblem(formProblem());
    };
    for (QLineEdit *field : {m_alias, m_baseUrl, m_key})
        connect(field, &QLineEdit::textChanged, this, recheck);
    connect(m_modelId, &QComboBox::currentTextChanged, this, recheck);
    connect(m_keyMode, &QComboBox::currentIndexChanged, this, recheck);
    // The price shown follows the model id and server: its list price, free, or unknown.
    connect(m_ownPrices, &QCheckBox::toggled, this, &ModelEditDialog::updatePrices);
    connect(m_baseUrl, &QLineEdit::textChanged, this, &ModelEditDialog::updatePrices);
    connect(m_modelId, &QComboBox::currentTextChanged, this, &ModelEditDialog::updatePrices);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &ModelEditDialog::updatePrices);
    updatePrices();
    updateKeyField();
    if (!engine->secrets())
        setKeychainProblem(tr("Keys cannot be kept in a keychain here."));
    resize(620, sizeHint().height());
}

void ModelEditDialog::setKeychainProblem(const QString &problem)
{
    if (problem.isEmpty())
        return;
    if (keyMode() != KeyMode::Keychain)
        if (auto *items = qobject_cast<QStandardItemModel *>(m_keyMode->model()))
            items->item(m_keyMode->findData(int(KeyMode::Keychain)))->setEnabled(false);
    showKeychainProblem(problem, false);
}

QString ModelEditDialog::keychainProblem() const
{
    return m_keychainProblem->isHidden() ? QString() : m_keychainProblem->text();
}

void ModelEditDialog::showKeychainProblem(const QString &problem, bool offerAlternatives)
{
    m_keychainProblem->setText(
        offerAlternatives
            ? tr("%1 Keep the key for this run of Crosstalk only, or read it from an environment "
                 "variable.")
                  .arg(problem)
            : tr("%1 Name an environment variable that holds the key, or keep it for this run "
                 "only.")
                  .arg(problem));
    QPalette palette = m_keychainProblem->palette();
    palette.setColor(QPalette::WindowText,
                     offerAlternatives ? kNegative : QPalette().color(QPalette::WindowText));
    m_keychainProblem->setPalette(palette);
    m_form->setRowVisible(m_keychainProblem, !problem.isEmpty());
    m_form->setRowVisible(m_keychainAlternatives, offerAlternatives);
    growToFit();
}

ModelEditDialog::KeyMode ModelEditDialog::keyMode() const
{
    return KeyMode(m_keyMode->currentData().toInt());
}

QString ModelEditDialog::typedKey() const
{
    return isSecret(keyMode()) ? m_key->text().trimmed() : QString();
}

void ModelEditDialog::updateKeyField()
{
    const KeyMode mode = keyMode();
    // A key typed in a hidden field never shows as a variable name, nor a name as a key.
    if (isSecret(mode) != isSecret(m_shownMode))
        m_key->clear();
    m_shownMode = mode;
    m_key->setEnabled(mode != KeyMode::None);
    m_key->setEchoMode(isSecret(mode) ? QLineEdit::Password : QLineEdit::Normal);
    const QString ref = m_existing.value_or(ModelConfig{}).apiKeyRef;
    if (mode == KeyMode::Keychain) {
        m_key->setPlaceholderText(ref.startsWith(u"keychain:"_s)
                                      ? tr("kept in the keychain; type to replace")
                                      : tr("the API key, kept in the system keychain"));
    } else if (mode == KeyMode::ThisRun) {
        m_key->setPlaceholderText(ref.startsWith(u"run:"_s)
                                      ? tr("kept until Crosstalk quits; type to replace")
                                      : tr("the API key, kept in memory until Crosstalk quits"));
    } else if (mode == KeyMode::Environment) {
        m_key->setPlaceholderText(tr("variable name, e.g. OPENAI_API_KEY"));
    } else {
        m_key->clear();
        m_key->setPlaceholderText(tr("for servers that need none, such as Ollama"));
    }
}

void ModelEditDialog::applyRecommendedPolicy()
{
    const ParameterPolicy policy =
        ParameterPolicy::forModel(*enumFromString<ApiKind>(m_kind->currentData().toString()),
                                  m_modelId->currentText().trimmed());
    m_maxTokensField->setCurrentIndex(
        policy.maxTokensField == ParameterPolicy::MaxTokensField::MaxTokens ? 0 : 1);
    m_acceptsTemperature->setChecked(policy.acceptsTemperature);
    m_acceptsTopP->setChecked(policy.acceptsTopP);
    m_excludesTopP->setChecked(policy.temperatureExcludesTopP);
}

ModelConfig ModelEditDialog::model() const
{
    ModelConfig model = m_existing.value_or(ModelConfig{});
    model.alias = m_alias->text().trimmed();
    model.kind =
        enumFromString<ApiKind>(m_kind->currentData().toString()).value_or(ApiKind::OpenAI);
    model.baseUrl = QUrl(m_baseUrl->text().trimmed());
    model.modelId = m_modelId->currentText().trimmed();
    switch (keyMode()) {
    case KeyMode::None:
        model.apiKeyRef.clear();
        break;
    case KeyMode::Keychain:
        model.apiKeyRef = u"keychain:"_s + model.alias;
        break;
    case KeyMode::Environment:
        model.apiKeyRef = u"env:"_s + m_key->text().trimmed();
        break;
    case KeyMode::ThisRun:
        model.apiKeyRef = u"run:"_s + model.alias;
        break;
    }
    model.maxOutputTokens =
        m_maxOutput->value() > 0 ? std::optional(m_maxOutput->value()) : std::nullopt;
    model.temperature =
        m_temperature->value() >= 0 ? std::optional(m_temperature->value()) : std::nullopt;
    model.policy.maxTokensField = m_maxTokensField->currentIndex() == 0
                                      ? ParameterPolicy::MaxTokensField::MaxTokens
                                      : ParameterPolicy::MaxTokensField::MaxCompletionTokens;
    model.policy.acceptsTemperature = m_acceptsTemperature->isChecked();
    model.policy.acceptsTopP = m_acceptsTopP->isChecked();
    model.policy.temperatureExcludesTopP = m_excludesTopP->isChecked();
    for (const QString &price : {u"input_price_per_million"_s, u"output_price_per_million"_s}) {
        if (m_ownPrices->isChecked())
            model.sources.insert(price, ValueSource::Settings);
        else
            model.sources.remove(price);
    }
    model.inputPricePerMillion = m_inputPrice->value();
    model.outputPricePerMillion = m_outputPrice->value();
    applyPrice(model);
    model.contextBudgetTokens = m_contextBudget->value();
    return model;
}

void ModelEditDialog::updatePrices()
{
    const ModelConfig priced = model();
    for (QDoubleSpinBox *price : {m_inputPrice, m_outputPrice})
        price->setEnabled(m_ownPrices->isChecked());
    if (!m_ownPrices->isChecked()) {
        m_inputPrice->setValue(priced.inputPricePerMillion);
        m_outputPrice->setValue(priced.outputPricePerMillion);
    }
    QString note = priced.priceNote();
    if (priced.priceOrigin == PriceOrigin::Settings && priced.listPrice)
        note += u' ' + tr("Its list price is $%1 in, $%2 out.")
                           .arg(priced.listPrice->inputPerMillion, 0, 'f', 2)
                           .arg(priced.listPrice->outputPerMillion, 0, 'f', 2);
    m_priceNote->setText(note);
    growToFit();
}

void ModelEditDialog::suggestBaseUrl(const QUrl &url)
{
    if (!m_existing)
        m_baseUrl->setText(url.toString());
}

QString ModelEditDialog::aliasProblem() const
{
    if (m_existing)
        return {};
    const QString alias = m_alias->text().trimmed();
    static const QRegularExpression valid(u"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"_s);
    if (alias.isEmpty())
        return tr("Give the model an alias: participants refer to it by that name.");
    if (!valid.match(alias).hasMatch())
        return tr("Use letters, digits, '.', '_' and '-' only (up to 64), starting with a letter "
                  "or digit.");
    if (m_engine->registry().model(alias))
        return tr("A model called %1 exists already.").arg(alias);
    return {};
}

QString ModelEditDialog::formProblem() const
{
    if (QString problem = aliasProblem(); !problem.isEmpty())
        return problem;
    const ModelConfig m = model();
    if (!m.baseUrl.isValid() || m.baseUrl.host().isEmpty() ||
        (m.baseUrl.scheme() != u"http"_s && m.baseUrl.scheme() != u"https"_s))
        return tr("The server URL must be an http or https address.");
    if (m.modelId.isEmpty())
        return tr("Name the model id the server knows, or choose it from the server.");
    if (keyMode() == KeyMode::Environment && m_key->text().trimmed().isEmpty())
        return tr("Name the environment variable that holds the key.");
    // A model never points at a key that is not there.
    if (isSecret(keyMode()) && typedKey().isEmpty() && !hasStoredKey())
        return tr("Type the API key.");
    return {};
}

bool ModelEditDialog::hasStoredKey() const
{
    return m_existing && m_existing->apiKeyRef == model().apiKeyRef;
}

void ModelEditDialog::showProblem(const QString &problem)
{
    m_aliasProblem->setText(problem);
    m_form->setRowVisible(m_aliasProblem, !problem.isEmpty());
    growToFit();
}

void ModelEditDialog::growToFit()
{
    // A message shown later wraps over several lines: the dialog grows to show all of it
    // rather than squeezing the rows, once the labels have their new text laid out. Before
    // the dialog is shown, showEvent() does it.
    QTimer::singleShot(0, this, [this] {
        if (isVisible())
            fitHeight();
    });
}

void ModelEditDialog::fitHeight()
{
    layout()->activate();
    const int wanted = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width())
                                                     : sizeHint().height();
    if (height() < wanted)
        resize(width(), wanted);
}

void ModelEditDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    fitHeight();
}

void ModelEditDialog::accept()
{
    const QString problem = formProblem();
    showProblem(problem);
    if (!problem.isEmpty() || m_saving)
        return;
    if (!m_saver) {
        QDialog::accept();
        return;
    }
    m_saving = true;
    m_ok->setEnabled(false);
    m_saver(model(), typedKey(), [self = QPointer(this)](const QString &error) {
        if (!self)
            return;
        self->m_saving = false;
        self->m_ok->setEnabled(true);
        if (error.isEmpty()) {
            self->QDialog::accept();
            return;
        }
        // Nothing was saved; the form keeps what was typed.
        self->showKeychainProblem(tr("The system keychain could not keep the key: %1").arg(error),
                                  true);
        self->m_keychainAlternatives->findChild<QPushButton *>(u"keepForThisRun"_s)->setFocus();
    });
}

void ModelEditDialog::withKey(std::function<void(QString key, QString error)> done)
{
    const ModelConfig m = model();
    switch (keyMode()) {
    case KeyMode::None:
        done({}, {});
        return;
    case KeyMode::Environment: {
        const QString variable = m_key->text().trimmed();
        const QString value = qEnvironmentVariable(variable.toLocal8Bit().constData());
        done(value, value.isEmpty() ? tr("The environment variable %1 is not set.").arg(variable)
                                    : QString());
        return;
    }
    case KeyMode::Keychain:
    case KeyMode::ThisRun:
        if (!typedKey().isEmpty()) {
            done(typedKey(), {});
            return;
        }
        if (!hasStoredKey()) {
            done({}, tr("Type the API key first."));
            return;
        }
        m_engine->resolveKey(*m_existing, this, std::move(done));
        return;
    }
}

std::function<void()> ModelEditDialog::startAsking()
{
    delete m_asking; // a newer question replaces an unanswered one
    showResult(true, tr("Asking the server…"));
    // Disabling the focused button moves the focus on; it comes back when the answer does.
    QPointer<QWidget> focused = focusWidget();
    m_test->setEnabled(false);
    return [this, focused] {
        m_test->setEnabled(true);
        if (focused)
            focused->setFocus();
    };
}

void ModelEditDialog::listModels(
    std::function<void(bool ok, const QStringList &ids, const QString &error)> done)
{
    const auto answer = [done, finished = startAsking()](bool ok, const QStringList &ids,
                                                         const QString &error) {
        finished();
        done(ok, ids, error);
    };
    withKey([this, answer](const QString &key, const QString &error) {
        if (!error.isEmpty()) {
            answer(false, {}, error);
            return;
        }
        auto *listing =
            ModelListing::start(m_engine->chatClient()->http(), model(), key, kTestTimeout, this);
        m_asking = listing;
        connect(listing, &ModelListing::finished, this,
                [answer](const QStringList &ids) { answer(true, ids, {}); });
        connect(listing, &ModelListing::failed, this,
                [answer](const QString &message) { answer(false, {}, message); });
    });
}

void ModelEditDialog::testConnection()
{
    const ModelConfig tested = model();
    const auto answer = [this, tested, finished = startAsking()](bool ok, const QString &text) {
        finished();
        m_lastTest = {ModelRegistry::attributesOf(tested), typedKey(), ok};
        showResult(ok, text);
        Q_EMIT testFinished(ok, text);
    };
    withKey([this, tested, answer](const QString &key, const QString &error) {
        if (!error.isEmpty()) {
            answer(false, tr("Failed: %1").arg(error));
            return;
        }
        auto *test = ConnectionTest::start(m_engine->chatClient(), tested, key, kTestTimeout, this);
        m_asking = test;
        connect(test, &ConnectionTest::finished, this,
                [answer](bool ok, const QString &message) { answer(ok, message); });
    });
}

std::optional<bool> ModelEditDialog::testOutcome() const
{
    if (!m_lastTest || m_lastTest->attributes != ModelRegistry::attributesOf(model()) ||
        m_lastTest->key != typedKey())
        return std::nullopt;
    return m_lastTest->passed;
}

void ModelEditDialog::fetchModels()
{
    listModels([this](bool ok, const QStringList &ids, const QString &error) {
        if (!ok) {
            showResult(false, tr("Failed: %1").arg(error));
            Q_EMIT modelsFetched({});
            return;
        }
        const QString current = m_modelId->currentText();
        m_modelId->clear();
        m_modelId->addItems(ids);
        m_modelId->setEditText(current.isEmpty() && !ids.isEmpty() ? ids.first() : current);
        showResult(true, tr("%n model(s) listed; choose one.", nullptr, int(ids.size())));
        if (!ids.isEmpty())
            m_modelId->showPopup();
        Q_EMIT modelsFetched(ids);
    });
}

QString ModelEditDialog::testResult() const
{
    return m_result->text();
}

void ModelEditDialog::showResult(bool ok, const QString &text)
{
    QPalette palette = m_result->palette();
    palette.setColor(
        QPalette::WindowText,
        ok ? (text.startsWith(tr("Asking")) ? QPalette().color(QPalette::WindowText) : kPositive)
           : kNegative);
    m_result->setPalette(palette);
    m_result->setText(text);
    growToFit();
}

} // namespace Crosstalk
