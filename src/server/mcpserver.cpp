// SPDX-License-Identifier: GPL-3.0-or-later
#include "mcpserver.h"

#include "config/appidentity.h"
#include "conversation/engine.h"
#include "conversation/legacylayout.h"
#include "export/exporter.h"
#include "legacyapi.h"
#include "persona/personalibrary.h"
#include "sessionapi.h"
#include "setuprequest.h"
#include "storage/sessionstore.h"

#include <QBuffer>
#include <QJsonDocument>

#include <cmath>

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

QJsonObject textContent(const QString &text)
{
    return {{u"type"_s, u"text"_s}, {u"text"_s, text}};
}

QJsonObject toolResult(const QString &text, const QJsonObject &structured)
{
    return {{u"content"_s, QJsonArray{textContent(text)}},
            {u"structuredContent"_s, structured},
            {u"isError"_s, false}};
}

// Clients validate structuredContent against the output schema, so a failure carries none.
QJsonObject toolError(const QString &text)
{
    return {{u"content"_s, QJsonArray{textContent(text)}}, {u"isError"_s, true}};
}

QJsonObject toolError(const Error &error)
{
    return toolError(error.message);
}

QString idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

// The tools' descriptions, kept as JSON so that the schemas read as clients see them.
const QByteArray kTools = R"([
{
  "name": "crosstalk_setup",
  "title": "Set up a conversation",
  "description": "Creates a conversation between two to eight language models, each with its own persona, and answers its session_id. Run it with crosstalk_run.",
  "inputSchema": {
    "type": "object",
    "properties": {
      "models": {
        "type": "array", "minItems": 2, "maxItems": 8,
        "description": "Model aliases (see list_models), e.g. [\"big\", \"small\"]; participants are named after them. Or participant objects {name, model, persona}.",
        "items": {"anyOf": [
          {"type": "string", "minLength": 1, "maxLength": 128},
          {"type": "object", "required": ["model"], "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 64},
            "model": {"type": "string", "minLength": 1, "maxLength": 128},
            "persona": {"type": "string", "maxLength": 100000},
            "colour": {"type": "string", "maxLength": 32}}}]}
      },
      "system_prompts": {
        "type": "object",
        "description": "Personas by model alias: the text itself, or path:FILE / a file name inside the persona library.",
        "additionalProperties": {"type": "string", "maxLength": 100000}
      },
      "paradigm": {"type": "string", "enum": ["memory", "report", "relay", "debate", "roundtable", "moderated"], "default": "relay"},
      "iterations": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20, "description": "Rounds of the conversation."},
      "topic": {"type": "string", "minLength": 1, "maxLength": 4000}
    },
    "required": ["models"]
  },
  "outputSchema": {
    "type": "object",
    "properties": {
      "session_id": {"type": "string"},
      "status": {"type": "string"},
      "models": {"type": "array", "items": {"type": "string"}},
      "paradigm": {"type": "string"},
      "iterations": {"type": "integer"}
    },
    "required": ["session_id", "status", "models", "paradigm", "iterations"]
  }
},
{
  "name": "crosstalk_run",
  "title": "Run a conversation",
  "description": "Runs (or continues) a session and answers its transcript when it ends, with a progress notification per message when the request has a progress token. With wait false it answers at once; follow it with crosstalk_status and crosstalk_transcript.",
  "inputSchema": {
    "type": "object",
    "properties": {
      "session_id": {"type": "string", "minLength": 1, "maxLength": 64},
      "wait": {"type": "boolean", "default": true}
    },
    "required": ["session_id"]
  },
  "outputSchema": {
    "type": "object",
    "properties": {
      "session_id": {"type": "string"},
      "status": {"type": "string"},
      "conversation": {"type": "array", "items": {"type": "object"}},
      "duration_seconds": {"type": "number"},
      "reason": {"type": "string"},
      "error": {
        "type": "object",
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        "required": ["code", "message"]
      }
    },
    "required": ["session_id", "status", "conversation", "duration_seconds"]
  }
},
{
  "name": "crosstalk_status",
  "title": "Session status",
  "description": "A session's status, models, paradigm, iterations, progress and message count.",
  "inputSchema": {
    "type": "object",
    "properties": {"session_id": {"type": "string", "minLength": 1, "maxLength": 64}},
    "required": ["session_id"]
  },
  "outputSchema": {"$ref": "#status"}
},
{
  "name": "crosstalk_list",
  "title": "List sessions",
  "description": "Every stored session with its status.",
  "inputSchema": {"type": "object", "properties": {}},
  "outputSchema": {
    "type": "object",
    "properties": {
      "sessions": {"type": "array", "items": {"$ref": "#status"}},
      "total": {"type": "integer"}
    },
    "required": ["sessions", "total"]
  }
},
{
  "name": "crosstalk_delete",
  "title": "Delete a session",
  "description": "Deletes a session and its transcript. Refused while another process runs it.",
  "inputSchema": {
    "type": "object",
    "properties": {"session_id": {"type": "string", "minLength": 1, "maxLength": 64}},
    "required": ["session_id"]
  },
  "outputSchema": {
    "type": "object",
    "properties": {"success": {"type": "boolean"}, "message": {"type": "string"}},
    "required": ["success", "message"]
  }
},
{
  "name": "load_system_prompt",
  "title": "Choose a slot's persona",
  "description": "Makes a persona file of the persona library the persona of a model slot for every later session (in every Crosstalk process) that gives that slot none; enable false clears the choice.",
  "inputSchema": {
    "type": "object",
    "properties": {
      "model": {"type": "string", "enum": ["big", "middle", "small"]},
      "prompt_file": {"type": "string", "minLength": 1, "maxLength": 1024, "description": "A file inside the persona library, e.g. alice.md or path:examples/prompts/alice.txt."},
      "enable": {"type": "boolean", "default": true}
    },
    "required": ["model"]
  },
  "outputSchema": {
    "type": "object",
    "properties": {
      "model": {"type": "string"},
      "enabled": {"type": "boolean"},
      "prompt_file": {"type": "string"},
      "message": {"type": "string"}
    },
    "required": ["model", "enabled", "message"]
  }
},
{
  "name": "crosstalk_health",
  "title": "Health",
  "description": "The engine's state, the number of sessions and the model ids of the big, middle and small slots.",
  "inputSchema": {"type": "object", "properties": {}},
  "outputSchema": {
    "type": "object",
    "properties": {
      "status": {"type": "string"},
      "version": {"type": "string"},
      "engine": {"type": "string", "enum": ["idle", "running"]},
      "session_count": {"type": "integer"},
      "running_sessions": {"type": "integer"},
      "models": {"type": "object", "additionalProperties": {"type": ["string", "null"]}}
    },
    "required": ["status", "version", "engine", "session_count", "running_sessions", "models"]
  }
},
{
  "name": "crosstalk_transcript",
  "title": "Transcript",
  "description": "A session's transcript as Markdown, plain text, HTML, the session document (json) or the old tool's JSON layout (legacy-json).",
  "inputSchema": {
    "type": "object",
    "properties": {
      "session_id": {"type": "string", "minLength": 1, "maxLength": 64},
      "format": {"type": "string", "enum": ["md", "txt", "html", "json", "legacy-json"], "default": "md"}
    },
    "required": ["session_id"]
  },
  "outputSchema": {
    "type": "object",
    "properties": {
      "session_id": {"type": "string"},
      "format": {"type": "string"},
      "status": {"type": "string"},
      "content": {"type": "string"}
    },
    "required": ["session_id", "format", "status", "content"]
  }
},
{
  "name": "list_models",
  "title": "List models",
  "description": "The configured model aliases with their model ids and providers.",
  "inputSchema": {"type": "object", "properties": {}},
  "outputSchema": {
    "type": "object",
    "properties": {
      "models": {"type": "array", "items": {
        "type": "object",
        "properties": {
          "alias": {"type": "string"},
          "display_name": {"type": "string"},
          "model_id": {"type": "string"},
          "kind": {"type": "string"},
          "base_url": {"type": "string"}},
        "required": ["alias", "display_name", "model_id", "kind", "base_url"]}}
    },
    "required": ["models"]
  }
}
])"_ba;

// The old status object, shared by crosstalk_status and crosstalk_list.
const QJsonObject kStatusSchema{
    {u"type"_s, u"object"_s},
    {u"properties"_s,
     QJsonObject{
         {u"session_id"_s, QJsonObject{{u"type"_s, u"string"_s}}},
         {u"status"_s, QJsonObject{{u"type"_s, u"string"_s}}},
         {u"models"_s, QJsonObject{{u"type"_s, u"array"_s},
                                   {u"items"_s, QJsonObject{{u"type"_s, u"string"_s}}}}},
         {u"paradigm"_s, QJsonObject{{u"type"_s, u"string"_s}}},
         {u"iterations"_s, QJsonObject{{u"type"_s, u"integer"_s}}},
         {u"current_iteration"_s, QJsonObject{{u"type"_s, u"integer"_s}}},
         {u"message_count"_s, QJsonObject{{u"type"_s, u"integer"_s}}},
         {u"created_at"_s, QJsonObject{{u"type"_s, u"number"_s}}},
     }},
    {u"required"_s,
     QJsonArray{u"session_id"_s, u"status"_s, u"models"_s, u"paradigm"_s, u"iterations"_s,
                u"current_iteration"_s, u"message_count"_s, u"created_at"_s}},
};

// Replaces the placeholder {"$ref": "#status"} with the status schema: clients do not all
// resolve references, so every schema is sent whole.
QJsonValue expand(const QJsonValue &value)
{
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &item : value.toArray())
            array.append(expand(item));
        return array;
    }
    if (!value.isObject())
        return value;
    QJsonObject object = value.toObject();
    if (object.value(u"$ref"_s) == u"#status"_s)
        return kStatusSchema;
    for (auto it = object.begin(); it != object.end(); ++it)
        *it = expand(*it);
    return object;
}

const QJsonArray &toolList()
{
    static const QJsonArray tools = expand(QJsonDocument::fromJson(kTools).array()).toArray();
    return tools;
}

QJsonObject toolNamed(const QString &name)
{
    for (const QJsonValue &tool : toolList())
        if (tool[u"name"_s] == name)
            return tool.toObject();
    return {};
}

bool hasType(const QJsonValue &value, const QString &type)
{
    if (type == u"string"_s)
        return value.isString();
    if (type == u"boolean"_s)
        return value.isBool();
    if (type == u"object"_s)
        return value.isObject();
    if (type == u"array"_s)
        return value.isArray();
    if (type == u"null"_s)
        return value.isNull();
    if (type == u"number"_s)
        return value.isDouble();
    const double number = value.toDouble();
    return value.isDouble() && std::isfinite(number) && std::floor(number) == number; // integer
}

QString describe(const QJsonObject &schema)
{
    const QString type = schema.value(u"type"_s).toString();
    return type == u"integer"_s                        ? u"an integer"_s
           : type == u"object"_s || type == u"array"_s ? u"an %1"_s.arg(type)
                                                       : u"a %1"_s.arg(type);
}

// Checks a value against the part of JSON Schema the tools' input schemas use, naming each
// problem as the arguments name the field (`models[1].model`).
void check(const QJsonValue &value, const QJsonObject &schema, const QString &path,
           QList<FieldError> &errors)
{
    if (const QJsonArray anyOf = schema.value(u"anyOf"_s).toArray(); !anyOf.isEmpty()) {
        QStringList kinds;
        for (const QJsonValue &branch : anyOf) {
            QList<FieldError> branchErrors;
            check(value, branch.toObject(), path, branchErrors);
            if (branchErrors.isEmpty())
                return;
            kinds.append(describe(branch.toObject()));
        }
        errors.append({path, u"must be %1"_s.arg(kinds.join(u" or "_s))});
        return;
    }
    const QString type = schema.value(u"type"_s).toString();
    if (!type.isEmpty() && !hasType(value, type)) {
        errors.append({path, u"must be %1"_s.arg(describe(schema))});
        return;
    }
    if (const QJsonArray allowed = schema.value(u"enum"_s).toArray();
        !allowed.isEmpty() && !allowed.contains(value)) {
        QStringList names;
        for (const QJsonValue &name : allowed)
            names.append(name.toString());
        errors.append({path, u"must be one of %1"_s.arg(names.join(u", "_s))});
        return;
    }
    if (value.isString()) {
        const qsizetype length = value.toString().size();
        if (length < schema.value(u"minLength"_s).toInt(0))
            errors.append({path, u"must not be empty"_s});
        else if (schema.contains(u"maxLength"_s) && length > schema[u"maxLength"_s].toInt())
            errors.append({path, u"must be at most %1 characters long"_s.arg(
                                     schema[u"maxLength"_s].toInt())});
    } else if (value.isDouble()) {
        const double number = value.toDouble();
        if ((schema.contains(u"minimum"_s) && number < schema[u"minimum"_s].toDouble()) ||
            (schema.contains(u"maximum"_s) && number > schema[u"maximum"_s].toDouble()))
            errors.append({path, u"must be from %1 to %2"_s.arg(schema[u"minimum"_s].toDouble())
                                     .arg(schema[u"maximum"_s].toDouble())});
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        if (array.size() < schema.value(u"minItems"_s).toInt(0) ||
            (schema.contains(u"maxItems"_s) && array.size() > schema[u"maxItems"_s].toInt())) {
            errors.append(
                {path, u"must have from %1 to %2 items"_s.arg(schema[u"minItems"_s].toInt())
                           .arg(schema[u"maxItems"_s].toInt())});
            return;
        }
        const QJsonObject items = schema.value(u"items"_s).toObject();
        for (qsizetype i = 0; i < array.size(); ++i)
            check(array.at(i), items, u"%1[%2]"_s.arg(path).arg(i), errors);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        const QString prefix = path.isEmpty() ? QString() : path + u'.';
        for (const QJsonValue &name : schema.value(u"required"_s).toArray())
            if (!object.contains(name.toString()))
                errors.append({prefix + name.toString(), u"is required"_s});
        const QJsonObject properties = schema.value(u"properties"_s).toObject();
        const QJsonObject others = schema.value(u"additionalProperties"_s).toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (properties.contains(it.key()))
                check(*it, properties[it.key()].toObject(), prefix + it.key(), errors);
            else if (!others.isEmpty())
                check(*it, others, prefix + it.key(), errors);
        }
    }
}

// A session id argument; not_found for text that is no id, as for an unknown one.
std::optional<QUuid> sessionId(const QJsonObject &arguments, QJsonObject *error)
{
    const QString text = arguments.value(u"session_id"_s).toString();
    const QUuid id = QUuid::fromString(text);
    if (id.isNull()) {
        *error = toolError(LegacyApi::noSession(text));
        return std::nullopt;
    }
    return id;
}

QString runText(const QJsonObject &reply)
{
    const QJsonArray conversation = reply[u"conversation"_s].toArray();
    QString text = u"Session %1 is %2: %3 messages in %4 s."_s
                       .arg(reply[u"session_id"_s].toString(), reply[u"status"_s].toString())
                       .arg(conversation.size())
                       .arg(reply[u"duration_seconds"_s].toDouble(), 0, 'f', 1);
    if (reply.contains(u"reason"_s))
        text += u" "_s + reply[u"reason"_s].toString();
    for (const QJsonValue &message : conversation)
        text += u"\n\n[%1] %2 → %3:\n%4"_s.arg(message[u"iteration"_s].toInt() + 1)
                    .arg(message[u"speaker"_s].toString(), message[u"listener"_s].toString(),
                         message[u"content"_s].toString());
    return text;
}

QString statusText(const QJsonObject &status)
{
    return u"Session %1: %2, %3 with %4, round %5 of %6, %7 messages."_s
        .arg(status[u"session_id"_s].toString(), status[u"status"_s].toString(),
             status[u"paradigm"_s].toString(),
             status[u"models"_s].toVariant().toStringList().join(u", "_s))
        .arg(status[u"current_iteration"_s].toInt())
        .arg(status[u"iterations"_s].toInt())
        .arg(status[u"message_count"_s].toInt());
}

} // namespace

// One receive(): its answer is sent once every request in it is answered.
struct McpServer::Exchange
{
    QPointer<McpChannel> channel;
    bool batch = false;
    // Requests answered later (a waiting crosstalk_run).
    int later = 0;
    // receive() has handled every message.
    bool handled = false;
    QJsonArray responses;
};

// A crosstalk_run call waiting for its session to settle.
struct McpServer::WaitingRun
{
    QUuid sessionId;
    QJsonValue requestId;
    QString clientKey;
    Exchange *exchange = nullptr;
    QJsonValue progressToken;
    int progress = 0;
    QString reason;
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
    return toolList();
}

McpServer::McpServer(Engine *engine, const PersonaLibrary *library, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_library(library)
{
    connect(engine, &Engine::event, this, &McpServer::onEngineEvent);
}

McpServer::~McpServer()
{
    for (WaitingRun *waiting : std::as_const(m_waiting)) {
        if (--waiting->exchange->later == 0)
            delete waiting->exchange;
        delete waiting;
    }
}

void McpServer::receive(const QByteArray &json, McpChannel *channel)
{
    auto *exchange = new Exchange;
    exchange->channel = channel;
    QJsonParseError parseError;
    const QJsonDocument document = SetupRequest::nestingDepth(json) > SetupRequest::maxNestingDepth
                                       ? QJsonDocument()
                                       : QJsonDocument::fromJson(json, &parseError);
    if (document.isNull()) {
        exchange->responses.append(errorResponse(
            QJsonValue::Null, kParseError,
            parseError.error == QJsonParseError::NoError
                ? u"Parse error: nests deeper than %1 levels"_s.arg(SetupRequest::maxNestingDepth)
                : u"Parse error: %1 at byte %2"_s.arg(parseError.errorString())
                      .arg(parseError.offset)));
    } else if (document.isArray()) {
        const QJsonArray batch = document.array();
        if (channel->protocolVersion != batchVersion() || batch.isEmpty() ||
            batch.size() > maxBatchSize) {
            exchange->responses.append(errorResponse(
                QJsonValue::Null, kInvalidRequest,
                batch.isEmpty() ? u"Invalid request: an empty batch"_s
                : batch.size() > maxBatchSize
                    ? u"Invalid request: a batch holds at most %1 calls"_s.arg(maxBatchSize)
                    : u"Invalid request: batches exist in protocol revision %1 "
                      "only"_s.arg(batchVersion())));
        } else {
            exchange->batch = true;
            for (const QJsonValue &message : batch)
                if (const QJsonValue response = handle(message, exchange); !response.isNull())
                    exchange->responses.append(response);
        }
    } else if (const QJsonValue response = handle(document.object(), exchange);
               !response.isNull()) {
        exchange->responses.append(response);
    }
    exchange->handled = true;
    answer(exchange, QJsonValue::Null);
}

void McpServer::answer(Exchange *exchange, const QJsonValue &response)
{
    if (!response.isNull())
        exchange->responses.append(response);
    if (!exchange->handled || exchange->later > 0)
        return;
    if (exchange->channel) {
        if (exchange->responses.isEmpty())
            exchange->channel->reply(QJsonValue::Null);
        else if (exchange->batch)
            exchange->channel->reply(exchange->responses);
        else
            exchange->channel->reply(exchange->responses.first());
    }
    delete exchange;
}

QJsonValue McpServer::handle(const QJsonValue &value, Exchange *exchange)
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
            cancel(params, exchange->channel);
        // notifications/initialized and any other notification need nothing from us.
        return QJsonValue::Null;
    }
    if (method == u"initialize"_s) {
        if (exchange->batch)
            return errorResponse(id, kInvalidRequest,
                                 u"Invalid request: initialize must not be part of a batch"_s);
        const QJsonValue asked = params.value(u"protocolVersion"_s);
        if (!asked.isString())
            return errorResponse(id, kInvalidParams,
                                 u"Invalid params: protocolVersion must be a string"_s);
        const QString version = supportedVersions().contains(asked.toString())
                                    ? asked.toString()
                                    : supportedVersions().first();
        exchange->channel->protocolVersion = version;
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
        return callTool(id, params, exchange);
    return errorResponse(id, kMethodNotFound, u"Method not found: %1"_s.arg(method.left(100)));
}

QJsonValue McpServer::callTool(const QJsonValue &id, const QJsonObject &params, Exchange *exchange)
{
    const QJsonValue nameValue = params.value(u"name"_s);
    if (!nameValue.isString())
        return errorResponse(id, kInvalidParams, u"Invalid params: name must be a string"_s);
    if (params.contains(u"arguments"_s) && !params.value(u"arguments"_s).isObject())
        return errorResponse(id, kInvalidParams, u"Invalid params: arguments must be an object"_s);
    const QString name = nameValue.toString();
    const QJsonObject tool = toolNamed(name);
    if (tool.isEmpty())
        return errorResponse(id, kInvalidParams, u"Unknown tool: %1"_s.arg(name.left(100)));
    const QJsonObject arguments = params.value(u"arguments"_s).toObject();
    QList<FieldError> problems;
    check(arguments, tool.value(u"inputSchema"_s).toObject(), QString(), problems);
    if (!problems.isEmpty())
        return resultResponse(id, toolError(Error::invalidInput(problems)));

    QJsonObject result;
    if (name == u"crosstalk_setup"_s)
        result = setup(arguments);
    else if (name == u"crosstalk_run"_s) {
        bool later = false;
        const QJsonValue token = params.value(u"_meta"_s).toObject().value(u"progressToken"_s);
        result = run(id, arguments, token, exchange, &later);
        if (later)
            return QJsonValue::Null;
    } else if (name == u"crosstalk_status"_s)
        result = status(arguments);
    else if (name == u"crosstalk_list"_s)
        result = list();
    else if (name == u"crosstalk_delete"_s)
        result = remove(arguments);
    else if (name == u"load_system_prompt"_s)
        result = loadSystemPrompt(arguments);
    else if (name == u"crosstalk_health"_s)
        result = health();
    else if (name == u"crosstalk_transcript"_s)
        result = transcript(arguments);
    else
        result = listModels();
    return resultResponse(id, result);
}

QJsonObject McpServer::setup(const QJsonObject &arguments)
{
    const LegacyApi::Result created = LegacyApi::setup(*m_engine, *m_library, arguments);
    if (!created)
        return toolError(*created.error);
    const QJsonObject &reply = created.value;
    return toolResult(u"Session %1 is set up: %2 with %3, %4 rounds. Run it with crosstalk_run."_s
                          .arg(reply[u"session_id"_s].toString(), reply[u"paradigm"_s].toString(),
                               reply[u"models"_s].toVariant().toStringList().join(u", "_s))
                          .arg(reply[u"iterations"_s].toInt()),
                      reply);
}

QJsonObject McpServer::run(const QJsonValue &id, const QJsonObject &arguments,
                           const QJsonValue &token, Exchange *exchange, bool *later)
{
    QJsonObject error;
    const std::optional<QUuid> session = sessionId(arguments, &error);
    if (!session)
        return error;
    bool finished = false;
    const LegacyApi::Result started =
        LegacyApi::start(*m_engine, *session, &finished, m_maxRunning);
    if (!started)
        return toolError(*started.error);
    if (finished)
        return toolResult(runText(started.value), started.value);
    if (!arguments.value(u"wait"_s).toBool(true)) {
        const QJsonObject reply = LegacyApi::runReply(*m_engine->session(*session), {});
        return toolResult(u"Session %1 is running; crosstalk_status tells how far it got."_s.arg(
                              idText(*session)),
                          reply);
    }
    auto *waiting = new WaitingRun;
    waiting->sessionId = *session;
    waiting->requestId = id;
    waiting->clientKey = exchange->channel->clientKey;
    waiting->exchange = exchange;
    if (token.isString() || token.isDouble())
        waiting->progressToken = token;
    ++exchange->later;
    m_waiting.append(waiting);
    *later = true;
    // The session may have settled at once (nothing left to say).
    settle(*session);
    return {};
}

void McpServer::cancel(const QJsonObject &params, McpChannel *channel)
{
    const QJsonValue requestId = params.value(u"requestId"_s);
    const QString key = channel ? channel->clientKey : QString();
    for (WaitingRun *waiting : std::as_const(m_waiting)) {
        if (waiting->requestId == requestId && waiting->clientKey == key) {
            // The call is no longer answered; the session runs on, as it does when a REST
            // client stops waiting.
            Exchange *exchange = waiting->exchange;
            forget(waiting);
            answer(exchange, QJsonValue::Null);
            return;
        }
    }
}

void McpServer::forget(WaitingRun *waiting)
{
    m_waiting.removeOne(waiting);
    --waiting->exchange->later;
    delete waiting;
}

void McpServer::onEngineEvent(const EngineEvent &event)
{
    const auto waitingFor = [this, &event] {
        QList<WaitingRun *> found;
        for (WaitingRun *waiting : std::as_const(m_waiting))
            if (waiting->sessionId == event.sessionId)
                found.append(waiting);
        return found;
    };
    const QList<WaitingRun *> waiting = waitingFor();
    if (waiting.isEmpty())
        return;
    switch (event.type) {
    case EngineEventType::SessionDeleted:
        for (WaitingRun *run : waiting) {
            Exchange *exchange = run->exchange;
            const QJsonValue id = run->requestId;
            forget(run);
            answer(exchange,
                   resultResponse(id, toolError(u"The session was deleted while it ran."_s)));
        }
        return;
    case EngineEventType::SessionStatus:
        if (!event.reason.isEmpty())
            for (WaitingRun *run : waiting)
                run->reason = event.reason;
        break;
    case EngineEventType::MessageCompleted:
        for (WaitingRun *run : waiting) {
            if (run->progressToken.isNull() || !run->exchange->channel)
                continue;
            const QString speaker = event.message.speaker;
            run->exchange->channel->notify(
                {{u"jsonrpc"_s, u"2.0"_s},
                 {u"method"_s, u"notifications/progress"_s},
                 {u"params"_s,
                  QJsonObject{{u"progressToken"_s, run->progressToken},
                              {u"progress"_s, ++run->progress},
                              {u"message"_s, u"%1 (round %2): %3"_s.arg(speaker)
                                                 .arg(event.message.round + 1)
                                                 .arg(event.message.content.left(200))}}}});
        }
        break;
    default:
        break;
    }
    settle(event.sessionId);
}

void McpServer::settle(const QUuid &id)
{
    const Session *session = m_engine->session(id);
    if (!session || !LegacyApi::settled(*session))
        return;
    const QList<WaitingRun *> all = m_waiting;
    for (WaitingRun *waiting : all) {
        if (waiting->sessionId != id)
            continue;
        const QJsonObject reply =
            LegacyApi::runReply(*session, waiting->reason, m_engine->storageFault(id));
        Exchange *exchange = waiting->exchange;
        const QJsonValue requestId = waiting->requestId;
        forget(waiting);
        answer(exchange, resultResponse(requestId, toolResult(runText(reply), reply)));
    }
}

QJsonObject McpServer::status(const QJsonObject &arguments)
{
    QJsonObject error;
    const std::optional<QUuid> id = sessionId(arguments, &error);
    if (!id)
        return error;
    const LegacyApi::Result found = LegacyApi::status(*m_engine, *id);
    return found ? toolResult(statusText(found.value), found.value) : toolError(*found.error);
}

QJsonObject McpServer::list()
{
    const LegacyApi::Result listed = LegacyApi::list(*m_engine);
    if (!listed)
        return toolError(*listed.error);
    QStringList lines{u"%1 sessions."_s.arg(listed.value[u"total"_s].toInteger())};
    for (const QJsonValue &status : listed.value[u"sessions"_s].toArray())
        lines.append(statusText(status.toObject()));
    return toolResult(lines.join(u'\n'), listed.value);
}

QJsonObject McpServer::remove(const QJsonObject &arguments)
{
    QJsonObject error;
    const std::optional<QUuid> id = sessionId(arguments, &error);
    if (!id)
        return error;
    const LegacyApi::Result removed = LegacyApi::remove(*m_engine, *id);
    return removed ? toolResult(u"Session %1 deleted."_s.arg(idText(*id)), removed.value)
                   : toolError(*removed.error);
}

QJsonObject McpServer::loadSystemPrompt(const QJsonObject &arguments)
{
    const QString slot = arguments.value(u"model"_s).toString();
    const bool enable = arguments.value(u"enable"_s).toBool(true);
    SessionStore *store = m_engine->store();
    if (!store)
        return toolError(u"There is no session store to keep the choice in."_s);
    if (!enable) {
        if (auto cleared = store->setSlotPersona(slot, std::nullopt); !cleared)
            return toolError(cleared.error());
        return toolResult(u"The %1 slot has no chosen persona now."_s.arg(slot),
                          {{u"model"_s, slot},
                           {u"enabled"_s, false},
                           {u"message"_s, u"System prompt disabled for %1"_s.arg(slot)}});
    }
    QString file = arguments.value(u"prompt_file"_s).toString();
    if (file.isEmpty())
        return toolError(Error::invalidInput({{u"prompt_file"_s, u"is required to enable a "
                                                                 "persona"_s}}));
    if (file.startsWith(u"path:"_s))
        file = file.mid(5);
    // A file inside the library only: a remote client names it.
    const Parsed<Persona> persona = m_library->resolveFile(file, PersonaTrust::Remote);
    if (!persona) {
        QList<FieldError> problems;
        for (const FieldError &problem : persona.errors)
            problems.append({u"prompt_file"_s, problem.toString()});
        return toolError(Error::invalidInput(problems));
    }
    const QString reference = u"path:"_s + file;
    if (auto stored = store->setSlotPersona(slot, reference); !stored)
        return toolError(stored.error());
    return toolResult(u"Later sessions give the %1 slot the persona in %2."_s.arg(slot, file),
                      {{u"model"_s, slot},
                       {u"enabled"_s, true},
                       {u"prompt_file"_s, file},
                       {u"message"_s, u"System prompt loaded for %1 from %2"_s.arg(slot, file)}});
}

QJsonObject McpServer::health()
{
    int running = 0;
    for (const QUuid &id : m_engine->sessionIds())
        if (m_engine->session(id)->status == SessionStatus::Running)
            ++running;
    const LegacyApi::Result listed = LegacyApi::list(*m_engine);
    if (!listed)
        return toolError(*listed.error);
    QJsonObject models;
    QStringList modelLines;
    for (const QString &slot : ModelRegistry::slotAliases()) {
        const std::optional<ModelConfig> model = m_engine->registry().model(slot);
        models.insert(slot, model ? QJsonValue(model->modelId) : QJsonValue(QJsonValue::Null));
        modelLines.append(u"%1: %2"_s.arg(slot, model ? model->modelId : u"not configured"_s));
    }
    const qint64 count = listed.value[u"total"_s].toInteger();
    const QString engine = running > 0 ? u"running"_s : u"idle"_s;
    return toolResult(u"Crosstalk %1 is healthy; the engine is %2 (%3 running), %4 sessions. "
                      "Models: %5."_s.arg(AppIdentity::version(), engine)
                          .arg(running)
                          .arg(count)
                          .arg(modelLines.join(u", "_s)),
                      {{u"status"_s, u"ok"_s},
                       {u"version"_s, AppIdentity::version()},
                       {u"engine"_s, engine},
                       {u"session_count"_s, count},
                       {u"running_sessions"_s, running},
                       {u"models"_s, models}});
}

QJsonObject McpServer::transcript(const QJsonObject &arguments)
{
    QJsonObject error;
    const std::optional<QUuid> id = sessionId(arguments, &error);
    if (!id)
        return error;
    const QString formatName = arguments.value(u"format"_s).toString(u"md"_s);
    const ExportFormat format = *Exporter::formatFromName(formatName);
    std::optional<Session> stored;
    Error notFound;
    const Session *session = SessionApi::find(*m_engine, *id, stored, &notFound);
    if (!session)
        return toolError(notFound);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (const std::optional<Error> failed = Exporter::write(*session, format, buffer))
        return toolError(*failed);
    const QString content = QString::fromUtf8(bytes);
    return toolResult(content, {{u"session_id"_s, idText(*id)},
                                {u"format"_s, formatName},
                                {u"status"_s, LegacyLayout::statusName(session->status)},
                                {u"content"_s, content}});
}

QJsonObject McpServer::listModels()
{
    const QJsonArray models = SessionApi::models(m_engine->registry());
    QStringList lines;
    for (const QJsonValue &model : models)
        lines.append(model[u"display_name"_s].toString());
    return toolResult(u"Models: %1."_s.arg(lines.join(u", "_s)), {{u"models"_s, models}});
}

} // namespace Crosstalk
