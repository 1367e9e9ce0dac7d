// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUuid>

#include <optional>

namespace Crosstalk {

class Engine;
class PersonaLibrary;

// The MCP tools but crosstalk_run, whose answer waits for its session (McpServer's part).
// Each takes a call's arguments, already checked against the tool's input schema, and answers
// a tools/call result: a text for a person and structuredContent that fits the tool's output
// schema; a failure is a tool error result with the text only.
class McpTools
{
public:
    McpTools(Engine *engine, const PersonaLibrary *library);

    // The tool descriptions tools/list answers, read from resources/mcp-tools.json with the
    // paradigms filled in from paradigmTable.
    static const QJsonArray &descriptions();
    // The description of the tool `name`, or an empty object for an unknown name.
    static QJsonObject description(const QString &name);

    // Calls a tool other than crosstalk_run.
    QJsonObject call(const QString &name, const QJsonObject &arguments);

    static QJsonObject result(const QString &text, const QJsonObject &structured);
    static QJsonObject error(const Error &error);
    static QJsonObject error(const QString &text);
    // The session_id argument; an error result (not_found, as for an unknown id) for text that
    // is no id.
    static std::optional<QUuid> sessionId(const QJsonObject &arguments, QJsonObject *error);
    // The text of a crosstalk_run result: the outcome, then every message.
    static QString runText(const QJsonObject &reply);

private:
    QJsonObject setup(const QJsonObject &arguments);
    QJsonObject status(const QJsonObject &arguments);
    QJsonObject list();
    QJsonObject remove(const QJsonObject &arguments);
    QJsonObject loadSystemPrompt(const QJsonObject &arguments);
    QJsonObject health();
    QJsonObject transcript(const QJsonObject &arguments);
    QJsonObject listModels();

    Engine *m_engine;
    const PersonaLibrary *m_library;
};

} // namespace Crosstalk
