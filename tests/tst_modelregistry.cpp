// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/settings.h"
#include "llm/modelregistry.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

QProcessEnvironment env(std::initializer_list<std::pair<QString, QString>> values)
{
    QProcessEnvironment environment;
    for (const auto &[name, value] : values)
        environment.insert(name, value);
    return environment;
}

ModelConfig slot(const ModelRegistry &registry, const QString &alias)
{
    const auto model = registry.model(alias);
    if (!model)
        qFatal("no model %s", qPrintable(alias));
    return *model;
}

} // namespace

class TestModelRegistry : public QObject
{
    Q_OBJECT

private slots:
    void defaultsWithEmptyEnvironment()
    {
        const ModelRegistry registry = ModelRegistry::load({}, nullptr);
        QCOMPARE(registry.aliases(), (QStringList{u"big"_s, u"middle"_s, u"small"_s, u"demo"_s}));
        QCOMPARE(slot(registry, u"big"_s).modelId, u"gpt-4o"_s);
        QCOMPARE(slot(registry, u"middle"_s).modelId, u"gpt-4o"_s);
        QCOMPARE(slot(registry, u"small"_s).modelId, u"gpt-4o-mini"_s);
        for (const QString &alias : ModelRegistry::slotAliases()) {
            const ModelConfig model = slot(registry, alias);
            QCOMPARE(model.kind, ApiKind::OpenAI);
            QCOMPARE(model.baseUrl, QUrl(u"https://api.openai.com/v1"_s));
            QCOMPARE(model.sourceOf(u"model_id"_s), ValueSource::Default);
            QCOMPARE(model.sourceOf(u"base_url"_s), ValueSource::Default);
        }
        QCOMPARE(registry.network().requestTimeoutSeconds, 120);
        QCOMPARE(registry.network().maxRetries, 2);
        QVERIFY(registry.problems().isEmpty());
    }

    void openAiKeyAndBaseUrl()
    {
        const ModelRegistry registry =
            ModelRegistry::load(env({{u"OPENAI_API_KEY"_s, u"sk-test"_s},
                                     {u"OPENAI_BASE_URL"_s, u"http://127.0.0.1:8765/v1"_s}}),
                                nullptr);
        for (const QString &alias : ModelRegistry::slotAliases()) {
            const ModelConfig model = slot(registry, alias);
            QCOMPARE(model.baseUrl, QUrl(u"http://127.0.0.1:8765/v1"_s));
            QCOMPARE(model.sourceOf(u"base_url"_s), ValueSource::Environment);
            QCOMPARE(model.apiKeyRef, u"env:OPENAI_API_KEY"_s);
            QCOMPARE(registry.environmentKey(model), u"sk-test"_s);
        }
    }

    void middleFollowsBig()
    {
        const ModelRegistry registry = ModelRegistry::load(
            env({{u"BIG_MODEL"_s, u"llama3.1:70b"_s}, {u"SMALL_MODEL"_s, u"llama3.2"_s}}), nullptr);
        QCOMPARE(slot(registry, u"big"_s).modelId, u"llama3.1:70b"_s);
        QCOMPARE(slot(registry, u"middle"_s).modelId, u"llama3.1:70b"_s);
        QCOMPARE(slot(registry, u"middle"_s).sourceOf(u"model_id"_s), ValueSource::Environment);
        QCOMPARE(slot(registry, u"small"_s).modelId, u"llama3.2"_s);

        const ModelRegistry own = ModelRegistry::load(
            env({{u"BIG_MODEL"_s, u"a"_s}, {u"MIDDLE_MODEL"_s, u"b"_s}}), nullptr);
        QCOMPARE(slot(own, u"middle"_s).modelId, u"b"_s);
    }

    void slotEndpoint_data()
    {
        QTest::addColumn<bool>("withOwnKey");
        QTest::newRow("own key") << true;
        QTest::newRow("falls back to OPENAI_API_KEY") << false;
    }

    void slotEndpoint()
    {
        QFETCH(bool, withOwnKey);
        QProcessEnvironment environment =
            env({{u"OPENAI_API_KEY"_s, u"shared"_s},
                 {u"ENABLE_SMALL_ENDPOINT"_s, u"true"_s},
                 {u"SMALL_ENDPOINT"_s, u"http://localhost:11434/v1"_s}});
        if (withOwnKey)
            environment.insert(u"SMALL_API_KEY"_s, u"own"_s);
        const ModelRegistry registry = ModelRegistry::load(environment, nullptr);
        const ModelConfig small = slot(registry, u"small"_s);
        QCOMPARE(small.baseUrl, QUrl(u"http://localhost:11434/v1"_s));
        QCOMPARE(registry.environmentKey(small), withOwnKey ? u"own"_s : u"shared"_s);
        QCOMPARE(slot(registry, u"big"_s).baseUrl, QUrl(u"https://api.openai.com/v1"_s));
    }

    void endpointIgnoredWhenNotEnabled()
    {
        const ModelRegistry registry = ModelRegistry::load(
            env({{u"ENABLE_BIG_ENDPOINT"_s, u"false"_s}, {u"BIG_ENDPOINT"_s, u"http://x/v1"_s}}),
            nullptr);
        QCOMPARE(slot(registry, u"big"_s).baseUrl, QUrl(u"https://api.openai.com/v1"_s));
    }

    void badEndpointIsReported()
    {
        const ModelRegistry registry = ModelRegistry::load(
            env({{u"ENABLE_BIG_ENDPOINT"_s, u"true"_s}, {u"BIG_ENDPOINT"_s, u"not a url"_s}}),
            nullptr);
        QCOMPARE(registry.problems().size(), 1);
        QVERIFY(registry.problems().first().contains(u"BIG_ENDPOINT"_s));
    }

    void onlyAnthropicKeyDefaultsToClaude()
    {
        const ModelRegistry registry =
            ModelRegistry::load(env({{u"ANTHROPIC_API_KEY"_s, u"sk-ant"_s}}), nullptr);
        for (const QString &alias : ModelRegistry::slotAliases()) {
            const ModelConfig model = slot(registry, alias);
            QCOMPARE(model.kind, ApiKind::Anthropic);
            QVERIFY(model.modelId.startsWith(u"claude-"_s));
            QCOMPARE(model.baseUrl, QUrl(u"https://api.anthropic.com"_s));
            QCOMPARE(registry.environmentKey(model), u"sk-ant"_s);
        }
        QVERIFY(slot(registry, u"big"_s).modelId != slot(registry, u"small"_s).modelId);
    }

    void claudeSlotAmongOpenAiSlots()
    {
        const ModelRegistry registry =
            ModelRegistry::load(env({{u"OPENAI_API_KEY"_s, u"sk-o"_s},
                                     {u"ANTHROPIC_API_KEY"_s, u"sk-a"_s},
                                     {u"BIG_MODEL"_s, u"claude-sonnet-4-5"_s},
                                     {u"MIDDLE_MODEL"_s, u"gpt-4.1"_s}}),
                                nullptr);
        QCOMPARE(slot(registry, u"big"_s).kind, ApiKind::Anthropic);
        QCOMPARE(registry.environmentKey(slot(registry, u"big"_s)), u"sk-a"_s);
        QCOMPARE(slot(registry, u"middle"_s).kind, ApiKind::OpenAI);
        QCOMPARE(slot(registry, u"small"_s).kind, ApiKind::OpenAI);
        QCOMPARE(registry.environmentKey(slot(registry, u"small"_s)), u"sk-o"_s);
    }

    void azureApiVersion()
    {
        const ModelRegistry registry =
            ModelRegistry::load(env({{u"AZURE_API_VERSION"_s, u"2024-10-21"_s}}), nullptr);
        QCOMPARE(slot(registry, u"big"_s).azureApiVersion, u"2024-10-21"_s);
    }

    void networkPolicy()
    {
        const ModelRegistry registry = ModelRegistry::load(
            env({{u"REQUEST_TIMEOUT"_s, u"30"_s}, {u"MAX_RETRIES"_s, u"0"_s}}), nullptr);
        QCOMPARE(registry.network().requestTimeoutSeconds, 30);
        QCOMPARE(registry.network().maxRetries, 0);
        QCOMPARE(registry.network().sources.value(u"request_timeout"_s), ValueSource::Environment);

        const ModelRegistry bad = ModelRegistry::load(
            env({{u"REQUEST_TIMEOUT"_s, u"soon"_s}, {u"MAX_RETRIES"_s, u"-1"_s}}), nullptr);
        QCOMPARE(bad.network().requestTimeoutSeconds, 120);
        QCOMPARE(bad.network().maxRetries, 2);
        QCOMPARE(bad.problems().size(), 2);
        QVERIFY(bad.problems().at(0).contains(u"REQUEST_TIMEOUT"_s));
        QVERIFY(bad.problems().at(1).contains(u"MAX_RETRIES"_s));
    }

    void slotPersonas()
    {
        const ModelRegistry registry =
            ModelRegistry::load(env({{u"ENABLE_CUSTOM_BIG_PROMPT"_s, u"true"_s},
                                     {u"BIG_SYSTEM_PROMPT"_s, u"You are Alice."_s},
                                     {u"ENABLE_CUSTOM_SMALL_PROMPT"_s, u"true"_s},
                                     {u"SMALL_SYSTEM_PROMPT"_s, u"ignored"_s},
                                     {u"SMALL_SYSTEM_PROMPT_FILE"_s, u"/home/me/bob.md"_s},
                                     {u"MIDDLE_SYSTEM_PROMPT"_s, u"not enabled"_s}}),
                                nullptr);
        QCOMPARE(registry.slotPersona(u"big"_s), (SlotPersona{u"You are Alice."_s, {}}));
        QCOMPARE(registry.slotPersona(u"small"_s), (SlotPersona{{}, u"/home/me/bob.md"_s}));
        QVERIFY(!registry.slotPersona(u"middle"_s));
    }

    void parameterPolicy_data()
    {
        QTest::addColumn<QString>("modelId");
        QTest::addColumn<bool>("completionTokens");
        QTest::newRow("gpt-4o") << u"gpt-4o"_s << false;
        QTest::newRow("o3-mini") << u"o3-mini"_s << true;
        QTest::newRow("o1") << u"o1"_s << true;
        QTest::newRow("gpt-5") << u"gpt-5"_s << true;
        QTest::newRow("llama") << u"llama3.2"_s << false;
    }

    void parameterPolicy()
    {
        QFETCH(QString, modelId);
        QFETCH(bool, completionTokens);
        const ModelRegistry registry =
            ModelRegistry::load(env({{u"BIG_MODEL"_s, modelId}}), nullptr);
        QCOMPARE(slot(registry, u"big"_s).policy.maxTokensField ==
                     ParameterPolicy::MaxTokensField::MaxCompletionTokens,
                 completionTokens);
    }

    void demoModelIsLabelled()
    {
        const ModelConfig demo = slot(ModelRegistry::load({}, nullptr), u"demo"_s);
        QCOMPARE(demo.kind, ApiKind::Demo);
        QCOMPARE(demo.displayName(), u"Demo (offline, scripted)"_s);
    }

    void settingsOverrideAndUserModels()
    {
        QTemporaryDir dir;
        Settings settings(dir.filePath(u"crosstalk.conf"_s));
        settings.setModelAttributes(u"big"_s, {{u"model_id"_s, u"gpt-4.1"_s}});
        settings.setModelAttributes(u"local"_s, {{u"base_url"_s, u"http://127.0.0.1:11434/v1"_s},
                                                 {u"model_id"_s, u"qwen2.5"_s},
                                                 {u"force_http1"_s, true},
                                                 {u"temperature"_s, 0.3}});
        settings.setRequestTimeoutSeconds(45);
        const ModelRegistry registry = ModelRegistry::load(
            env({{u"BIG_MODEL"_s, u"gpt-4o"_s}, {u"REQUEST_TIMEOUT"_s, u"30"_s}}), &settings);
        const ModelConfig big = slot(registry, u"big"_s);
        QCOMPARE(big.modelId, u"gpt-4.1"_s);
        QCOMPARE(big.sourceOf(u"model_id"_s), ValueSource::Settings);
        QCOMPARE(slot(registry, u"middle"_s).modelId, u"gpt-4o"_s);
        QCOMPARE(registry.network().requestTimeoutSeconds, 45);
        QCOMPARE(registry.aliases().last(), u"local"_s);
        const ModelConfig local = slot(registry, u"local"_s);
        QCOMPARE(local.baseUrl, QUrl(u"http://127.0.0.1:11434/v1"_s));
        QVERIFY(local.forceHttp1);
        QCOMPARE(local.temperature, 0.3);
        QVERIFY(registry.problems().isEmpty());
    }

    void badSettingsAreReportedByName()
    {
        QTemporaryDir dir;
        Settings settings(dir.filePath(u"crosstalk.conf"_s));
        settings.setModelAttributes(u"local"_s, {{u"model_id"_s, u"m"_s},
                                                 {u"temperature"_s, 7},
                                                 {u"base_url"_s, u"ftp://x"_s},
                                                 {u"api_key_ref"_s, u"sk-plain-key"_s},
                                                 {u"colour"_s, u"red"_s}});
        settings.setModelAttributes(u"demo"_s, {{u"model_id"_s, u"x"_s}});
        const ModelRegistry registry = ModelRegistry::load({}, &settings);
        const QStringList problems = registry.problems();
        QCOMPARE(problems.size(), 5);
        for (const QString &name : {u"local.temperature"_s, u"local.base_url"_s,
                                    u"local.api_key_ref"_s, u"local.colour"_s, u"demo"_s})
            QVERIFY2(problems.join(u'\n').contains(name), qPrintable(problems.join(u'\n')));
        QCOMPARE(slot(registry, u"local"_s).temperature, std::nullopt);
        QCOMPARE(slot(registry, u"demo"_s).kind, ApiKind::Demo);
    }

    void attributesRoundTripThroughSettings()
    {
        QTemporaryDir dir;
        ModelConfig model;
        model.alias = u"mine"_s;
        model.kind = ApiKind::Anthropic;
        model.baseUrl = QUrl(u"https://example.org"_s);
        model.modelId = u"claude-haiku-4-5"_s;
        model.apiKeyRef = u"keychain:mine"_s;
        model.temperature = 0.7;
        model.maxOutputTokens = 1024;
        model.topP = 0.9;
        model.policy.temperatureExcludesTopP = true;
        model.inputPricePerMillion = 1.5;
        model.outputPricePerMillion = 7.5;
        model.priceOrigin = PriceOrigin::Settings; // only the user's own prices are stored
        model.contextBudgetTokens = 200000;
        model.forceHttp1 = true;
        {
            Settings settings(dir.filePath(u"c.conf"_s));
            settings.setModelAttributes(model.alias, ModelRegistry::attributesOf(model));
        }
        Settings reread(dir.filePath(u"c.conf"_s));
        ModelConfig loaded = slot(ModelRegistry::load({}, &reread), u"mine"_s);
        loaded.sources.clear();
        QCOMPARE(loaded, model);
    }
};

QTEST_GUILESS_MAIN(TestModelRegistry)
#include "tst_modelregistry.moc"
