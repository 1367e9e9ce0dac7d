// SPDX-License-Identifier: GPL-3.0-or-later
#include "mcptools.h"

#include "apilookups.h"
#include "config/appidentity.h"
#include "conversation/oldtooljson.h"
#include "conversation/preset.h"
#include "engine/engine.h"
#include "export/exporter.h"
#include "oldtooloperations.h"
#include "persona/personalibrary.h"
#include "storage/sessionstore.h"
#include "storage/storeworker.h"

#include <QBuffer>
#include <QFile>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

QString idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

// Replaces each {"$ref": "#/$defs/NAME"} with the definition: clients do not all resolve
// references, so every schema is sent whole.
QJsonValue expand(const QJsonValue &value, const QJsonObject &definitions)
{
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &item : value.toArray())
            array.append(expand(item, definitions));
        return array;
    }
    if (!value.isObject())
        return value;
    QJsonObject object = value.toObject();
    if (const QString ref = object.value(u"$ref"_s).toString(); ref.startsWith(u"#/$defs/"_s))
        return definitions.value(ref.mid(8));
    for (auto it = object.begin(); it != object.end(); ++it)
        *it = expand(*it, definitions);
    return object;
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

McpTools::McpTools(Engine *engine, const PersonaLibrary *library)
    : m_engine(engine)
    , m_library(library)
{}

const QJsonArray &McpTools::descriptions()
{
    static const QJsonArray tools = [] {
        QFile file(u":/crosstalk/mcp-tools.json"_s);
        // A resource compiled in: it opens, and tst_mcpserver reads every tool of it.
        file.open(QIODevice::ReadOnly);
        const QJsonObject document = QJsonDocument::fromJson(file.readAll()).object();
        QJsonObject definitions = document.value(u"$defs"_s).toObject();
        // The paradigms from their table, so that the file cannot name others.
        QJsonObject paradigm = definitions.value(u"paradigm"_s).toObject();
        paradigm.insert(u"enum"_s, QJsonArray::fromStringList(enumNames<Paradigm>()));
        paradigm.insert(u"default"_s, enumToString(Preset::defaultParadigm));
        definitions.insert(u"paradigm"_s, paradigm);
        return expand(document.value(u"tools"_s), definitions).toArray();
    }();
    return tools;
}

QJsonObject McpTools::description(const QString &name)
{
    for (const QJsonValue &tool : descriptions())
        if (tool[u"name"_s] == name)
            return tool.toObject();
    return {};
}

QJsonObject McpTools::call(const QString &name, const QJsonObject &arguments)
{
    if (name == u"crosstalk_setup"_s)
        return setup(arguments);
    if (name == u"crosstalk_status"_s)
        return status(arguments);
    if (name == u"crosstalk_list"_s)
        return list();
    if (name == u"crosstalk_delete"_s)
        return remove(arguments);
    if (name == u"load_system_prompt"_s)
        return loadSystemPrompt(arguments);
    if (name == u"crosstalk_health"_s)
        return health();
    if (name == u"crosstalk_transcript"_s)
        return transcript(arguments);
    if (name == u"list_models"_s)
        return listModels();
    return error(u"Unknown tool: %1"_s.arg(name.left(100)));
}

QJsonObject McpTools::result(const QString &text, const QJsonObject &structured)
{
    return {{u"content"_s, QJsonArray{QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, text}}}},
            {u"structuredContent"_s, structured},
            {u"isError"_s, false}};
}

// Clients validate structuredContent against the output schema, so a failure carries none.
QJsonObject McpTools::error(const QString &text)
{
    return {{u"content"_s, QJsonArray{QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, text}}}},
            {u"isError"_s, true}};
}

QJsonObject McpTools::error(const Error &failure)
{
    return error(failure.message);
}

std::optional<QUuid> McpTools::sessionId(const QJsonObject &arguments, QJsonObject *failure)
{
    const QString text = arguments.value(u"session_id"_s).toString();
    const QUuid id = QUuid::fromString(text);
    if (id.isNull()) {
        *failure = error(OldToolOperations::noSession(text));
        return std::nullopt;
    }
    return id;
}

QString McpTools::runText(const QJsonObject &reply)
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

QJsonObject McpTools::setup(const QJsonObject &arguments)
{
    const OldToolOperations::Result created =
        OldToolOperations::setup(*m_engine, *m_library, arguments);
    if (!created)
        return error(*created.error);
    const QJsonObject &reply = created.value;
    return result(u"Session %1 is set up: %2 with %3, %4 rounds. Run it with crosstalk_run."_s
                      .arg(reply[u"session_id"_s].toString(), reply[u"paradigm"_s].toString(),
                           reply[u"models"_s].toVariant().toStringList().join(u", "_s))
                      .arg(reply[u"iterations"_s].toInt()),
                  reply);
}

QJsonObject McpTools::status(const QJsonObject &arguments)
{
    QJsonObject refusal;
    const std::optional<QUuid> id = sessionId(arguments, &refusal);
    if (!id)
        return refusal;
    const OldToolOperations::Result found = OldToolOperations::status(*m_engine, *id);
    return found ? result(statusText(found.value), found.value) : error(*found.error);
}

QJsonObject McpTools::list()
{
    const OldToolOperations::Result listed = OldToolOperations::list(*m_engine);
    if (!listed)
        return error(*listed.error);
    QStringList lines{u"%1 sessions."_s.arg(listed.value[u"total"_s].toInteger())};
    for (const QJsonValue &status : listed.value[u"sessions"_s].toArray())
        lines.append(statusText(status.toObject()));
    return result(lines.join(u'\n'), listed.value);
}

QJsonObject McpTools::remove(const QJsonObject &arguments)
{
    QJsonObject refusal;
    const std::optional<QUuid> id = sessionId(arguments, &refusal);
    if (!id)
        return refusal;
    const OldToolOperations::Result removed = OldToolOperations::remove(*m_engine, *id);
    return removed ? result(u"Session %1 deleted."_s.arg(idText(*id)), removed.value)
                   : error(*removed.error);
}

QJsonObject McpTools::loadSystemPrompt(const QJsonObject &arguments)
{
    const QString slot = arguments.value(u"model"_s).toString();
    const bool enable = arguments.value(u"enable"_s).toBool(true);
    StoreWorker *store = m_engine->reader();
    if (!store)
        return error(u"There is no session store to keep the choice in."_s);
    if (!enable) {
        if (auto cleared =
                store->fetch([&](SessionStore &s) { return s.setSlotPersona(slot, std::nullopt); });
            !cleared)
            return error(cleared.error());
        return result(u"The %1 slot has no chosen persona now."_s.arg(slot),
                      {{u"model"_s, slot},
                       {u"enabled"_s, false},
                       {u"message"_s, u"System prompt disabled for %1"_s.arg(slot)}});
    }
    QString file = arguments.value(u"prompt_file"_s).toString();
    if (file.isEmpty())
        return error(Error::invalidInput({{u"prompt_file"_s, u"is required to enable a "
                                                             "persona"_s}}));
    if (file.startsWith(u"path:"_s))
        file = file.mid(5);
    // A file inside the library only: a remote client names it.
    const Parsed<Persona> persona = m_library->resolveFile(file, PersonaTrust::Remote);
    if (!persona) {
        QList<FieldError> problems;
        for (const FieldError &problem : persona.errors)
            problems.append({u"prompt_file"_s, problem.toString()});
        return error(Error::invalidInput(problems));
    }
    const QString reference = u"path:"_s + file;
    if (auto stored =
            store->fetch([&](SessionStore &s) { return s.setSlotPersona(slot, reference); });
        !stored)
        return error(stored.error());
    return result(u"Later sessions give the %1 slot the persona in %2."_s.arg(slot, file),
                  {{u"model"_s, slot},
                   {u"enabled"_s, true},
                   {u"prompt_file"_s, file},
                   {u"message"_s, u"System prompt loaded for %1 from %2"_s.arg(slot, file)}});
}

QJsonObject McpTools::health()
{
    int running = 0;
    for (const QUuid &id : m_engine->sessionIds())
        if (isRunning(m_engine->session(id)->status))
            ++running;
    const OldToolOperations::Result listed = OldToolOperations::list(*m_engine);
    if (!listed)
        return error(*listed.error);
    QJsonObject models;
    QStringList modelLines;
    for (const QString &slot : ModelRegistry::slotAliases()) {
        const std::optional<ModelConfig> model = m_engine->registry().model(slot);
        models.insert(slot, model ? QJsonValue(model->modelId) : QJsonValue(QJsonValue::Null));
        modelLines.append(u"%1: %2"_s.arg(slot, model ? model->modelId : u"not configured"_s));
    }
    const qint64 count = listed.value[u"total"_s].toInteger();
    const QString engine = running > 0 ? u"running"_s : u"idle"_s;
    return result(u"Crosstalk %1 is healthy; the engine is %2 (%3 running), %4 sessions. "
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

QJsonObject McpTools::transcript(const QJsonObject &arguments)
{
    QJsonObject refusal;
    const std::optional<QUuid> id = sessionId(arguments, &refusal);
    if (!id)
        return refusal;
    const QString formatName = arguments.value(u"format"_s).toString(u"md"_s);
    const ExportFormat format = *Exporter::formatFromName(formatName);
    std::optional<Session> stored;
    Error notFound;
    const Session *session = ApiLookups::find(*m_engine, *id, stored, &notFound);
    if (!session)
        return error(notFound);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (const std::optional<Error> failed = Exporter::write(*session, format, buffer))
        return error(*failed);
    const QString content = QString::fromUtf8(bytes);
    return result(content, {{u"session_id"_s, idText(*id)},
                            {u"format"_s, formatName},
                            {u"status"_s, OldToolJson::statusName(session->status)},
                            {u"content"_s, content}});
}

QJsonObject McpTools::listModels()
{
    const QJsonArray models = ApiLookups::models(m_engine->registry());
    QStringList lines;
    for (const QJsonValue &model : models)
        lines.append(model[u"display_name"_s].toString());
    return result(u"Models: %1."_s.arg(lines.join(u", "_s)), {{u"models"_s, models}});
}

} // namespace Crosstalk
