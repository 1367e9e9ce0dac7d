// SPDX-License-Identifier: GPL-3.0-or-later
// Request bodies checked field by field against the providers' published formats:
// OpenAI Chat Completions (POST /v1/chat/completions) and Anthropic Messages (POST /v1/messages).
#include "llm/anthropicchatcall.h"
#include "llm/openaichatcall.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

ChatRequest conversation()
{
    ChatRequest request;
    request.system = u"You are Alice, a careful physicist."_s;
    request.turns = {
        {ChatTurn::Role::User, u"Topic: is light a wave?"_s},
        {ChatTurn::Role::Assistant, u"Both, depending on the experiment."_s},
        {ChatTurn::Role::User, u"Bob: It is a particle."_s},
        {ChatTurn::Role::User, u"Round 2 of 3: reply to the others."_s},
    };
    return request;
}

ModelConfig model(ApiKind kind, const QString &id)
{
    ModelConfig m;
    m.alias = u"big"_s;
    m.kind = kind;
    m.modelId = id;
    m.baseUrl = QUrl(kind == ApiKind::Anthropic ? u"https://api.anthropic.com"_s
                                                : u"https://api.openai.com/v1"_s);
    m.policy = ParameterPolicy::forModel(kind, id);
    return m;
}

} // namespace

class TestRequestBodies : public QObject
{
    Q_OBJECT

private slots:
    void openAiBody()
    {
        ModelConfig m = model(ApiKind::OpenAI, u"gpt-4o"_s);
        m.temperature = 0.7;
        m.maxOutputTokens = 512;
        const QJsonObject body = OpenAIChatCall::requestBody(m, conversation());
        QCOMPARE(body.keys(), (QStringList{u"max_tokens"_s, u"messages"_s, u"model"_s, u"stream"_s,
                                           u"stream_options"_s, u"temperature"_s}));
        QCOMPARE(body[u"model"_s].toString(), u"gpt-4o"_s);
        QCOMPARE(body[u"stream"_s].toBool(), true);
        QCOMPARE(body[u"stream_options"_s].toObject()[u"include_usage"_s].toBool(), true);
        QCOMPARE(body[u"temperature"_s].toDouble(), 0.7);
        QCOMPARE(body[u"max_tokens"_s].toInt(), 512);
        const QJsonArray messages = body[u"messages"_s].toArray();
        QCOMPARE(messages.size(), 4); // system + user + assistant + the two users merged
        QCOMPARE(messages[0].toObject(),
                 (QJsonObject{{u"role"_s, u"system"_s},
                              {u"content"_s, u"You are Alice, a careful physicist."_s}}));
        QCOMPARE(messages[1].toObject()[u"role"_s].toString(), u"user"_s);
        QCOMPARE(messages[2].toObject()[u"role"_s].toString(), u"assistant"_s);
        QCOMPARE(messages[3].toObject(),
                 (QJsonObject{{u"role"_s, u"user"_s},
                              {u"content"_s, u"Bob: It is a particle.\n\nRound 2 of 3: reply to "
                                             "the others."_s}}));
    }

    void openAiReasoningModelTakesMaxCompletionTokens()
    {
        ModelConfig m = model(ApiKind::OpenAI, u"o3-mini"_s);
        m.temperature = 0.7;
        m.topP = 0.9;
        m.maxOutputTokens = 2000;
        const QJsonObject body = OpenAIChatCall::requestBody(m, conversation());
        QCOMPARE(body[u"max_completion_tokens"_s].toInt(), 2000);
        QVERIFY(!body.contains(u"max_tokens"_s));
        QVERIFY(!body.contains(u"temperature"_s));
        QVERIFY(!body.contains(u"top_p"_s));
    }

    void openAiRequestParametersOverrideModelDefaults()
    {
        ModelConfig m = model(ApiKind::OpenAI, u"gpt-4o"_s);
        m.temperature = 0.7;
        ChatRequest request = conversation();
        request.temperature = 0.1;
        request.topP = 0.5;
        const QJsonObject body = OpenAIChatCall::requestBody(m, request);
        QCOMPARE(body[u"temperature"_s].toDouble(), 0.1);
        QCOMPARE(body[u"top_p"_s].toDouble(), 0.5);
        QVERIFY(!body.contains(u"max_tokens"_s));
    }

    void openAiEndpoint_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("azure");
        QTest::addColumn<QString>("expected");
        QTest::newRow("openai") << u"https://api.openai.com/v1"_s << QString()
                                << u"https://api.openai.com/v1/chat/completions"_s;
        QTest::newRow("trailing slash") << u"http://127.0.0.1:11434/v1/"_s << QString()
                                        << u"http://127.0.0.1:11434/v1/chat/completions"_s;
        QTest::newRow("azure") << u"https://r.openai.azure.com/openai/deployments/gpt4o"_s
                               << u"2024-10-21"_s
                               << u"https://r.openai.azure.com/openai/deployments/gpt4o/chat/"
                                  "completions?api-version=2024-10-21"_s;
    }

    void openAiEndpoint()
    {
        QFETCH(QString, base);
        QFETCH(QString, azure);
        QFETCH(QString, expected);
        ModelConfig m = model(ApiKind::OpenAI, u"gpt-4o"_s);
        m.baseUrl = QUrl(base);
        m.azureApiVersion = azure;
        QCOMPARE(OpenAIChatCall::endpointFor(m).toString(), expected);
    }

    void anthropicBody()
    {
        ModelConfig m = model(ApiKind::Anthropic, u"claude-sonnet-4-5"_s);
        m.temperature = 0.5;
        m.topP = 0.9; // refused together with temperature by newer models: left out
        const QJsonObject body = AnthropicChatCall::requestBody(m, conversation());
        QCOMPARE(body.keys(), (QStringList{u"max_tokens"_s, u"messages"_s, u"model"_s, u"stream"_s,
                                           u"system"_s, u"temperature"_s}));
        QCOMPARE(body[u"max_tokens"_s].toInt(), AnthropicChatCall::DefaultMaxTokens);
        QCOMPARE(body[u"system"_s].toString(), u"You are Alice, a careful physicist."_s);
        const QJsonArray messages = body[u"messages"_s].toArray();
        QCOMPARE(messages.size(), 3);
        for (const QJsonValue &message : messages)
            QVERIFY(message.toObject()[u"role"_s].toString() != u"system"_s);
        QCOMPARE(messages.last().toObject()[u"role"_s].toString(), u"user"_s);
    }

    void anthropicOlderModelTakesBothSamplingParameters()
    {
        ModelConfig m = model(ApiKind::Anthropic, u"claude-3-5-haiku-latest"_s);
        m.temperature = 0.5;
        m.topP = 0.9;
        m.maxOutputTokens = 100;
        const QJsonObject body = AnthropicChatCall::requestBody(m, conversation());
        QCOMPARE(body[u"top_p"_s].toDouble(), 0.9);
        QCOMPARE(body[u"temperature"_s].toDouble(), 0.5);
        QCOMPARE(body[u"max_tokens"_s].toInt(), 100);
    }

    void anthropicEndpoint_data()
    {
        QTest::addColumn<QString>("base");
        QTest::newRow("host only") << u"https://api.anthropic.com"_s;
        QTest::newRow("with v1") << u"https://api.anthropic.com/v1"_s;
        QTest::newRow("with slash") << u"https://api.anthropic.com/"_s;
    }

    void anthropicEndpoint()
    {
        QFETCH(QString, base);
        ModelConfig m = model(ApiKind::Anthropic, u"claude-haiku-4-5"_s);
        m.baseUrl = QUrl(base);
        QCOMPARE(AnthropicChatCall::endpointFor(m).toString(),
                 u"https://api.anthropic.com/v1/messages"_s);
    }

    void mergeKeepsAlternation()
    {
        const QList<ChatTurn> merged = mergeConsecutiveTurns({{ChatTurn::Role::User, u"a"_s},
                                                              {ChatTurn::Role::User, u"b"_s},
                                                              {ChatTurn::Role::Assistant, u"c"_s},
                                                              {ChatTurn::Role::Assistant, u"d"_s},
                                                              {ChatTurn::Role::User, u"e"_s}});
        QCOMPARE(merged, (QList<ChatTurn>{{ChatTurn::Role::User, u"a\n\nb"_s},
                                          {ChatTurn::Role::Assistant, u"c\n\nd"_s},
                                          {ChatTurn::Role::User, u"e"_s}}));
    }
};

QTEST_GUILESS_MAIN(TestRequestBodies)
#include "tst_requestbodies.moc"
