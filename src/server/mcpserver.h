// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "mcptools.h"
#include "oldtooloperations.h"
#include "runwaiter.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QPointer>

#include <memory>
#include <vector>

namespace Crosstalk {

class Engine;
class PersonaLibrary;

// Where the messages of one MCP client go: stdio writes each as a line on stdout; Streamable
// HTTP answers the POST that carried the request. The server never blocks on a channel.
class McpChannel : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    // A notification sent while a request is being handled (progress).
    virtual void notify(const QJsonObject &message) = 0;
    // What answers one receive(): a response object, an array of responses for a batch, or
    // null when the input held nothing to answer (notifications, cancelled requests).
    virtual void reply(const QJsonValue &answer) = 0;

    // The protocol revision agreed on in initialize (stdio), or named by the request's
    // MCP-Protocol-Version header (HTTP). Empty before any was agreed.
    QString protocolVersion;
    // Which client's requests a notifications/cancelled may cancel: request ids are unique
    // only per client.
    QString clientKey;
};

// The MCP server (PRODUCT.md §4 "MCP server"): JSON-RPC 2.0 with the lifecycle, ping,
// cancellation and progress of the protocol revisions 2025-11-25, 2025-06-18 and 2025-03-26,
// and the tools — the old tool's seven (crosstalk_setup, crosstalk_run, crosstalk_status,
// crosstalk_list, crosstalk_delete, load_system_prompt, crosstalk_health) plus
// crosstalk_transcript and list_models — on the process's one Engine. Transport-independent:
// a transport hands each JSON text it receives to receive() with the channel that answers.
class McpServer : public QObject
{
    Q_OBJECT

public:
    // Newest first.
    static QStringList supportedVersions();
    // Batches (JSON arrays) exist in this revision only.
    static QString batchVersion();
    // The most calls a batch may hold (QUALITY.md R15): one message must not start thousands
    // of sessions.
    static constexpr qsizetype maxBatchSize = 100;

    McpServer(Engine *engine, const PersonaLibrary *library, QObject *parent = nullptr);
    ~McpServer() override;

    // The most sessions crosstalk_run lets run at once (QUALITY.md R15).
    void setMaxRunning(int maxRunning) { m_maxRunning = maxRunning; }

    // One JSON-RPC message or batch. Its answer goes to `channel` through reply(), exactly
    // once, at once or when a waiting crosstalk_run ends.
    void receive(const QByteArray &json, McpChannel *channel);

    // The tool descriptions of tools/list.
    static QJsonArray tools();

private:
    struct PendingReply;
    struct WaitingRun;

    // The response to one request, or null for a notification or one answered later.
    QJsonValue handle(const QJsonValue &message, PendingReply &pending);
    QJsonValue callTool(const QJsonValue &id, const QJsonObject &params, PendingReply &pending);
    QJsonObject run(const QJsonValue &id, const QJsonObject &arguments, const QJsonValue &token,
                    PendingReply &pending, bool *later);
    void cancel(const QJsonObject &params, McpChannel *channel);

    // Adds a response (null: none) and sends the receive()'s answer once it is complete.
    void answer(PendingReply &pending, const QJsonValue &response);
    // Ends a wait: the run is forgotten (and with it its wait in the RunWaiter) and `response`
    // (null: none) answers its request.
    void finish(WaitingRun *waiting, const QJsonValue &response);

    Engine *m_engine;
    McpTools m_tools;
    RunWaiter m_runWaiter;
    std::vector<std::unique_ptr<WaitingRun>> m_waiting;
    int m_maxRunning = OldToolOperations::defaultMaxRunning;
};

} // namespace Crosstalk
