// SPDX-License-Identifier: GPL-3.0-or-later
// The MCP server's JSON-RPC layer and tool argument readers on arbitrary bytes: one message or
// batch through McpServer::receive, as the stdio and HTTP transports hand it over, on an engine
// with a real store in a temporary folder. The first byte picks the protocol revision the
// channel agreed on (none, the newest, the one with batches). Sessions an input created are
// stopped and removed after it, so inputs do not pile up.
#include "config/settings.h"
#include "engine/engine.h"
#include "llm/chatclient.h"
#include "llm/modelregistry.h"
#include "mcpserver.h"
#include "storage/sessionstore.h"
#include "templibrary.h"

#include <QCoreApplication>
#include <QProcessEnvironment>

#include <cstdlib>

namespace {

class CollectingChannel : public Crosstalk::McpChannel
{
public:
    void notify(const QJsonObject &message) override { m_last = message; }
    void reply(const QJsonValue &answer) override { m_last = answer; }

private:
    QJsonValue m_last;
};

struct Server
{
    Server()
        : settings(Crosstalk::Fuzz::TempLibrary::instance().root() +
                   QStringLiteral("/crosstalk.conf"))
        , engine(Crosstalk::ModelRegistry::load(QProcessEnvironment(), &settings), &client, nullptr)
        , mcp(&engine, &Crosstalk::Fuzz::TempLibrary::instance().library())
    {
        const QString path =
            Crosstalk::Fuzz::TempLibrary::instance().root() + QStringLiteral("/store.sqlite");
        if (!store.open(path))
            Crosstalk::Fuzz::fail("cannot open the temporary store");
        engine.setStore(&store, QStringLiteral("fuzz"));
    }

    Crosstalk::Settings settings;
    Crosstalk::ChatClient client;
    Crosstalk::SessionStore store;
    Crosstalk::Engine engine;
    Crosstalk::McpServer mcp;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // Never destroyed, and the process leaves without running Qt Network's exit handlers: they
    // run after the application object is gone and crash inside Qt. Registered after them, so
    // run before them.
    static Server &server = []() -> Server & {
        auto *made = new Server;
        std::atexit([] { std::_Exit(0); });
        return *made;
    }();
    if (size == 0)
        return 0;
    CollectingChannel channel;
    switch (data[0] % 3) {
    case 1:
        channel.protocolVersion = Crosstalk::McpServer::supportedVersions().constFirst();
        break;
    case 2:
        channel.protocolVersion = Crosstalk::McpServer::batchVersion();
        break;
    default:
        break;
    }
    channel.clientKey = QStringLiteral("fuzz");
    server.mcp.receive(QByteArray(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1)),
                       &channel);
    QCoreApplication::processEvents();
    for (const QUuid &id : server.engine.sessionIds()) {
        server.engine.stop(id);
        server.engine.remove(id);
    }
    QCoreApplication::processEvents();
    return 0;
}
