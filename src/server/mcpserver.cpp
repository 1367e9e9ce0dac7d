// SPDX-License-Identifier: GPL-3.0-or-later
#include "mcpserver.h"

#include "config/appidentity.h"
#include "engine/engine.h"
#include "jsonschema.h"
#include "oldtooloperations.h"
#include "setuprequest.h"

#include <QJsonDocument>

#include <memory>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

// JSON-RPC 2.0 error codes.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;

QJsonObject errorResponse(const QJsonValue &id, int code, const QString &message)
{
    return {{u"jsonrpc"_s, u"2.0"_s},
            {u"id"_s, id},
            {u"error"_s, QJsonObject{{u"code"_s, code}, {u"message"_s, message}}}};
}

QJsonObject resultResponse(const QJsonValue &id, const QJsonObject &result)
{
    return {{u"jsonrpc"_s, u"2.0"_s}, {u"id"_s, id}, {u"result"_s, result}};
}

} // namespace

// The answer to one receive(), sent once every request in it is answered.
struct McpServer::PendingReply : std::enable_shared_from_this<PendingReply>
{
    QPointer<McpChannel> channel;
    bool batch = false;
    // Requests answered later (a waiting crosstalk_run).
    int later = 0;
    // receive() has handled every message.
    bool handled = false;
    QJsonArray responses;
};

// A crosstalk_run call waiting for its session to settle; it owns its wait in the RunWaiter.
struct McpServer::WaitingRun : QObject
{
    QJsonValue requestId;
    QString clientKey;
    std::shared_ptr<PendingReply> reply;
    QJsonValue progressToken;
    int progress = 0;
};

QStringList McpServer::supportedVersions()
{
    return {u"2025-11-25"_s, u"2025-06-18"_s, u"2025-03-26"_s};
}

QString McpServer::batchVersion()
{
    return u"2025-03-26"_s;
}

QJsonArray McpServer::tools()
{
    return McpTools::descriptions();
}

McpServer::McpServer(Engine *engine, const PersonaLibrary *library, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_tools(engine, library)
    , m_runWaiter(engine)
{}

McpServer::~McpServer() = default;

void McpServer::receive(const QByteArray &json, McpChannel *channel)
{
    const auto pending = std::make_shared<PendingReply>();
    pending->channel = channel;
    QJsonParseError parseError;
    const QJsonDocument document = SetupRequest::nestingDepth(json) > SetupRequest::maxNestingDepth
                                       ? QJsonDocument()
                                       : QJsonDocument::fromJson(json, &parseError);
    if (document.isNull()) {
        pending->responses.append(errorResponse(
            QJsonValue::Null, kParseError,
            parseError.error == QJsonParseError::NoError
                ? u"Parse error: nests deeper than %1 levels"_s.arg(SetupRequest::maxNestingDepth)
                : u"Parse error: %1 at byte %2"_s.arg(parseError.errorString())
                      .arg(parseError.offset)));
    } else if (document.isArray()) {
        const QJsonArray batch = document.array();
        if (channel->protocolVersion != batchVersion() || batch.isEmpty() ||
            batch.size() > maxBatchSize) {
            pending->responses.append(errorResponse(
                QJsonValue::Null, kInvalidRequest,
                batch.isEmpty() ? u"Invalid request: an empty batch"_s
                : batch.size() > maxBatchSize
                    ? u"Invalid request: a batch holds at most %1 calls"_s.arg(maxBatchSize)
                    : u"Invalid request: batches exist in protocol revision %1 "
                      "only"_s.arg(batchVersion())));
        } else {
            pending->batch = true;
            for (const QJsonValue &message : batch)
                if (const QJsonValue response = handle(message, *pending); !response.isNull())
                    pending->responses.append(response);
        }
    } else if (const QJsonValue response = handle(document.object(), *pending);
               !response.isNull()) {
        pending->responses.append(response);
    }
    pending->handled = true;
    answer(*pending, QJsonValue::Null);
}

void McpServer::answer(PendingReply &pending, const QJsonValue &response)
{
    if (!response.isNull())
        pending.responses.append(response);
    if (!pending.handled || pending.later > 0 || !pending.channel)
        return;
    if (pending.responses.isEmpty())
        pending.channel->reply(QJsonValue::Null);
    else if (pending.batch)
        pending.channel->reply(pending.responses);
    else
        pending.channel->reply(pending.responses.first());
}

QJsonValue McpServer::handle(const QJsonValue &value, PendingReply &pending)
{
    const QJsonObject message = value.toObject();
    const QJsonValue id = message.value(u"id"_s);
    const bool hasId = message.contains(u"id"_s);
    const QJsonValue replyId = (id.isString() || id.isDouble()) ? id : QJsonValue(QJsonValue::Null);
    if (!value.isObject() || message.value(u"jsonrpc"_s) != u"2.0"_s)
        return errorResponse(replyId, kInvalidRequest,
                             u"Invalid request: not a JSON-RPC 2.0 message"_s);
    if (!message.contains(u"method"_s)) {
        // A response to a request of ours; this server sends none, so there is nothing to do.
        if (hasId && (message.contains(u"result"_s) || message.contains(u"error"_s)))
            return QJsonValue::Null;
        return errorResponse(replyId, kInvalidRequest, u"Invalid request: no method"_s);
    }
    if (!message.value(u"method"_s).isString() || (hasId && replyId.isNull()))
        return errorResponse(replyId, kInvalidRequest,
                             u"Invalid request: the method must be a string and the id a string "
                             "or a number"_s);
    const QString method = message.value(u"method"_s).toString();
    if (message.contains(u"params"_s) && !message.value(u"params"_s).isObject())
        return hasId ? QJsonValue(errorResponse(id, kInvalidParams,
                                                u"Invalid params: must be an object"_s))
                     : QJsonValue(QJsonValue::Null);
    const QJsonObject params = message.value(u"params"_s).toObject();

    if (!hasId) {
        if (method == u"notifications/cancelled"_s)
            cancel(params, pending.channel);
        // notifications/initialized and any other notification need nothing from us.
        return QJsonValue::Null;
    }
    if (method == u"initialize"_s) {
        if (pending.batch)
            return errorResponse(id, kInvalidRequest,
                                 u"Invalid request: initialize must not be part of a batch"_s);
        const QJsonValue asked = params.value(u"protocolVersion"_s);
        if (!asked.isString())
            return errorResponse(id, kInvalidParams,
                                 u"Invalid params: protocolVersion must be a string"_s);
        const QString version = supportedVersions().contains(asked.toString())
                                    ? asked.toString()
                                    : supportedVersions().first();
        pending.channel->protocolVersion = version;
        return resultResponse(
            id,
            {{u"protocolVersion"_s, version},
             {u"capabilities"_s, QJsonObject{{u"tools"_s, QJsonObject{{u"listChanged"_s, false}}}}},
             {u"serverInfo"_s, QJsonObject{{u"name"_s, u"crosstalk"_s},
                                           {u"title"_s, u"Crosstalk"_s},
                                           {u"version"_s, AppIdentity::version()}}},
             {u"instructions"_s,
              u"Crosstalk lets several language models, each with a persona, talk about a "
              "topic. Call crosstalk_setup, then crosstalk_run (wait false for long "
              "sessions, then crosstalk_status and crosstalk_transcript)."_s}});
    }
    if (method == u"ping"_s)
        return resultResponse(id, {});
    if (method == u"tools/list"_s)
        return resultResponse(id, {{u"tools"_s, tools()}});
    if (method == u"tools/call"_s)
        return callTool(id, params, pending);
    return errorResponse(id, kMethodNotFound, u"Method not found: %1"_s.arg(method.left(100)));
}

QJsonValue McpServer::callTool(const QJsonValue &id, const QJsonObject &params,
                               PendingReply &pending)
{
    const QJsonValue nameValue = params.value(u"name"_s);
    if (!nameValue.isString())
        return errorResponse(id, kInvalidParams, u"Invalid params: name must be a string"_s);
    if (params.contains(u"arguments"_s) && !params.value(u"arguments"_s).isObject())
        return errorResponse(id, kInvalidParams, u"Invalid params: arguments must be an object"_s);
    const QString name = nameValue.toString();
    const QJsonObject tool = McpTools::description(name);
    if (tool.isEmpty())
        return errorResponse(id, kInvalidParams, u"Unknown tool: %1"_s.arg(name.left(100)));
    const QJsonObject arguments = params.value(u"arguments"_s).toObject();
    const QList<FieldError> problems =
        JsonSchema::check(arguments, tool.value(u"inputSchema"_s).toObject());
    if (!problems.isEmpty())
        return resultResponse(id, McpTools::error(Error::invalidInput(problems)));
    if (name != u"crosstalk_run"_s)
        return resultResponse(id, m_tools.call(name, arguments));
    bool later = false;
    const QJsonValue token = params.value(u"_meta"_s).toObject().value(u"progressToken"_s);
    const QJsonObject result = run(id, arguments, token, pending, &later);
    return later ? QJsonValue(QJsonValue::Null) : QJsonValue(resultResponse(id, result));
}

QJsonObject McpServer::run(const QJsonValue &id, const QJsonObject &arguments,
                           const QJsonValue &token, PendingReply &pending, bool *later)
{
    QJsonObject refusal;
    const std::optional<QUuid> session = McpTools::sessionId(arguments, &refusal);
    if (!session)
        return refusal;
    // The schema checked the budget's shape; its values are checked again with the caps.
    QList<FieldError> problems;
    const BudgetChange budget =
        BudgetChange::fromJson(arguments.value(u"budget"_s).toObject(), u"budget"_s, problems);
    if (!problems.isEmpty())
        return McpTools::error(Error::invalidInput(problems));
    bool finished = false;
    const OldToolOperations::Result started =
        OldToolOperations::start(*m_engine, *session, &finished, m_maxRunning, budget);
    if (!started)
        return McpTools::error(*started.error);
    if (finished)
        return McpTools::result(McpTools::runText(started.value), started.value);
    if (!arguments.value(u"wait"_s).toBool(true)) {
        const QJsonObject reply = OldToolOperations::runReply(*m_engine->session(*session), {});
        return McpTools::result(
            u"Session %1 is running; crosstalk_status tells how far it got."_s.arg(
                session->toString(QUuid::WithoutBraces)),
            reply);
    }
    auto owned = std::make_unique<WaitingRun>();
    WaitingRun *waiting = owned.get();
    waiting->requestId = id;
    waiting->clientKey = pending.channel->clientKey;
    waiting->reply = pending.shared_from_this();
    RunWaiter::Progress progress;
    if (token.isString() || token.isDouble()) {
        waiting->progressToken = token;
        progress = [waiting](const Message &message) {
            if (!waiting->reply->channel)
                return;
            waiting->reply->channel->notify(
                {{u"jsonrpc"_s, u"2.0"_s},
                 {u"method"_s, u"notifications/progress"_s},
                 {u"params"_s,
                  QJsonObject{{u"progressToken"_s, waiting->progressToken},
                              {u"progress"_s, ++waiting->progress},
                              {u"message"_s, u"%1 (round %2): %3"_s.arg(message.speaker)
                                                 .arg(message.round + 1)
                                                 .arg(message.content.left(200))}}}});
        };
    }
    ++pending.later;
    m_waiting.push_back(std::move(owned));
    *later = true;
    m_runWaiter.wait(
        *session, waiting,
        [this, waiting](const OldToolOperations::Result &result) {
            const QJsonObject content =
                result ? McpTools::result(McpTools::runText(result.value), result.value)
                       : McpTools::error(result.error->message);
            finish(waiting, resultResponse(waiting->requestId, content));
        },
        std::move(progress));
    return {};
}

void McpServer::cancel(const QJsonObject &params, McpChannel *channel)
{
    const QJsonValue requestId = params.value(u"requestId"_s);
    const QString key = channel ? channel->clientKey : QString();
    for (const std::unique_ptr<WaitingRun> &waiting : m_waiting) {
        if (waiting->requestId == requestId && waiting->clientKey == key) {
            // The call is no longer answered; the session runs on, as it does when a REST
            // client stops waiting.
            finish(waiting.get(), QJsonValue::Null);
            return;
        }
    }
}

void McpServer::finish(WaitingRun *waiting, const QJsonValue &response)
{
    const std::shared_ptr<PendingReply> pending = waiting->reply;
    --pending->later;
    std::erase_if(m_waiting, [waiting](const auto &each) { return each.get() == waiting; });
    answer(*pending, response);
}

} // namespace Crosstalk
