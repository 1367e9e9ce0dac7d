// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/mcpcommand.h"

#include "cli/commandline.h"
#include "cli/enginehost.h"
#include "engine/engine.h"
#include "mcpserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QSocketNotifier>
#include <QTextStream>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Crosstalk::Cli {

namespace {

// How long replies in flight may take to arrive after stdin ends before the process exits.
// A line longer than this is not read into memory: it is answered with a parse error.
constexpr qsizetype kMaxLineLength = 8 * 1024 * 1024;

void warn(const QString &message)
{
    QTextStream(stderr) << "crosstalk mcp: " << message << '\n';
}

// Every message goes out whole, as one line; stdout carries nothing else.
class StdoutChannel : public McpChannel
{
public:
    using McpChannel::McpChannel;

    void notify(const QJsonObject &message) override { write(message); }
    void reply(const QJsonValue &answer) override
    {
        if (answer.isObject())
            write(answer.toObject());
        else if (answer.isArray())
            writeLine(QJsonDocument(answer.toArray()).toJson(QJsonDocument::Compact));
    }

private:
    void write(const QJsonObject &message)
    {
        writeLine(QJsonDocument(message).toJson(QJsonDocument::Compact));
    }

    static void writeLine(QByteArray line)
    {
        line.append('\n');
        qsizetype written = 0;
        while (written < line.size()) {
            const ssize_t n =
                ::write(STDOUT_FILENO, line.constData() + written, size_t(line.size() - written));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return; // the client is gone; stdin's end will follow
            written += n;
        }
    }
};

class McpCommand : public QObject
{
public:
    int exec(const QStringList &arguments);

private:
    void readInput();
    void takeLines();
    void endOfInput();

    std::unique_ptr<EngineHost> m_host;
    std::unique_ptr<McpServer> m_server;
    StdoutChannel m_channel;
    QSocketNotifier *m_input = nullptr;
    QByteArray m_buffer;
    // Set while the rest of an over-long line is skipped.
    bool m_skipping = false;
    bool m_ending = false;
};

void McpCommand::readInput()
{
    char chunk[65536];
    for (;;) {
        const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
        if (n > 0) {
            m_buffer.append(chunk, n);
            takeLines();
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return; // the rest comes with the next notification
        endOfInput();
        return;
    }
}

void McpCommand::takeLines()
{
    qsizetype start = 0;
    for (qsizetype end; (end = m_buffer.indexOf('\n', start)) >= 0; start = end + 1) {
        if (m_skipping) {
            m_skipping = false;
            continue;
        }
        const QByteArray line = m_buffer.sliced(start, end - start).trimmed();
        if (!line.isEmpty())
            m_server->receive(line, &m_channel);
    }
    m_buffer.remove(0, start);
    if (m_buffer.size() > kMaxLineLength) {
        if (!m_skipping)
            m_server->receive(QByteArray(), &m_channel); // answered with a parse error
        m_skipping = true;
        m_buffer.clear();
    }
}

void McpCommand::endOfInput()
{
    if (m_ending)
        return;
    m_ending = true;
    m_input->setEnabled(false);
    // A last message without its newline still counts.
    m_buffer.append('\n');
    takeLines();
    m_host->pauseAllAndExit(ExitOk);
}

int McpCommand::exec(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Serve the Model Context Protocol on stdio, for AI assistants and agents that start "
        "crosstalk as their MCP server (docs/mcp.md says how to register it). Messages are "
        "JSON-RPC, one per line; logs go to stderr. At the end of input, running sessions are "
        "paused (resumable) and the exit code is 0; 2 means bad usage."_s);
    parser.addHelpOption();
    if (!parser.parse(arguments)) {
        warn(parser.errorText() + u"\nTry 'crosstalk mcp --help'."_s);
        return ExitUsage;
    }
    if (parser.isSet(u"help"_s)) {
        QTextStream(stdout) << subcommandHelp(parser, u"mcp"_s);
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        warn(u"unexpected argument '%1'\nTry 'crosstalk mcp --help'."_s.arg(
            parser.positionalArguments().first()));
        return ExitUsage;
    }

    m_host = std::make_unique<EngineHost>(u"crosstalk mcp"_s, this);
    m_host->openStore();
    m_host->engine()->setUnloadIdleAfter(EngineHost::unloadIdleAfter);
    m_host->installBundledPersonas();
    m_server = std::make_unique<McpServer>(m_host->engine(), &m_host->library());
    m_channel.clientKey = u"stdio"_s;

    // Non-blocking, so that a read takes what is there and the event loop never waits on it.
    ::fcntl(STDIN_FILENO, F_SETFL, ::fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
    m_input = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
    connect(m_input, &QSocketNotifier::activated, this, &McpCommand::readInput);
    QMetaObject::invokeMethod(this, &McpCommand::readInput, Qt::QueuedConnection);

    return QCoreApplication::exec();
}

} // namespace

int mcpCommand(const QStringList &arguments)
{
    McpCommand command;
    return command.exec(arguments);
}

} // namespace Crosstalk::Cli
