// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/servecommand.h"

#include "apitoken.h"
#include "cli/commandline.h"
#include "cli/enginehost.h"
#include "cli/signalwatcher.h"
#include "config/secretstore.h"
#include "engine/engine.h"
#include "oldtooloperations.h"
#include "restserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace Crosstalk::Cli {

namespace {

constexpr quint16 kDefaultPort = 8082; // the old tool's
// How long replies in flight may take to arrive after Ctrl-C before the process ends anyway.

int usageError(const QString &message)
{
    QTextStream(stderr) << "crosstalk serve: " << message << "\nTry 'crosstalk serve --help'.\n";
    return ExitUsage;
}

class ServeCommand : public QObject
{
public:
    int exec(const QStringList &arguments);

private:
    int parse(const QStringList &arguments);
    void start(const QString &token, const QString &tokenSource);
    void watchSignals();
    void shutDown();

    std::unique_ptr<EngineHost> m_host;
    std::unique_ptr<RestServer> m_server;
    QHostAddress m_address{QHostAddress::LocalHost};
    quint16 m_port = kDefaultPort;
    QString m_token;
    bool m_printToken = false;
    RateLimits m_limits;
    int m_maxRunning = OldToolOperations::defaultMaxRunning;
    bool m_shuttingDown = false;
};

int ServeCommand::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Serve the REST API without a window (docs/rest.md describes it). Every route but "
        "/healthz needs 'Authorization: Bearer TOKEN'; GET /openapi.json lists them all.\n\n"
        "Exit codes: 0 stopped by Ctrl-C or SIGTERM (running sessions are paused and can be "
        "resumed), 1 no token could be had, 2 bad usage or an address that cannot be used "
        "(e.g. the port is in use)."_s);
    parser.addHelpOption();
    const QCommandLineOption port(u"port"_s, u"Port to listen on (default 8082; 0 picks one)."_s,
                                  u"P"_s);
    const QCommandLineOption bind(u"bind"_s,
                                  u"Address to listen on (default 127.0.0.1). Any other than a "
                                  "loopback address exposes the API to the network."_s,
                                  u"ADDR"_s);
    const QCommandLineOption token(
        u"token"_s,
        u"The token clients must send, at least 32 characters; other users can see it in the "
        "process list. Default: CROSSTALK_API_TOKEN (at least 32 characters), else the one kept "
        "in the keychain (or, without a keychain, in ~/.config/crosstalk/api-token), made on "
        "first use."_s,
        u"T"_s);
    const QCommandLineOption printToken(u"print-token"_s,
                                        u"Print the token clients must send, and exit."_s);
    const QCommandLineOption rateLimit(
        u"rate-limit"_s, u"Requests per second per client (default 100; 0 turns it off)."_s,
        u"N"_s);
    const QCommandLineOption rateBurst(
        u"rate-burst"_s, u"Requests a client may make at once (default 200)."_s, u"N"_s);
    const QCommandLineOption maxRunning(
        u"max-running"_s,
        u"Sessions that may run at once (default 16); a run request beyond it is answered 429 "
        "and the session stays as it was."_s,
        u"N"_s);
    parser.addOptions({port, bind, token, printToken, rateLimit, rateBurst, maxRunning});

    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(u"help"_s)) {
        QTextStream(stdout) << subcommandHelp(parser, u"serve"_s);
        return -1;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(u"unexpected argument '%1'"_s.arg(parser.positionalArguments().first()));
    if (parser.isSet(port)) {
        bool ok = false;
        const uint value = parser.value(port).toUInt(&ok);
        if (!ok || value > 65535)
            return usageError(u"--port: '%1' is not a port number"_s.arg(parser.value(port)));
        m_port = quint16(value);
    }
    if (parser.isSet(bind)) {
        const QString value = parser.value(bind);
        m_address =
            value == u"localhost"_s ? QHostAddress(QHostAddress::LocalHost) : QHostAddress(value);
        if (m_address.isNull())
            return usageError(u"--bind: '%1' is not an IP address"_s.arg(value));
    }
    m_token = parser.value(token).trimmed();
    if (parser.isSet(token) && m_token.isEmpty())
        return usageError(u"--token: the token must not be empty"_s);
    if (parser.isSet(token)) {
        if (const QString weak = ApiToken::weakness(m_token, u"--token"_s); !weak.isEmpty())
            return usageError(weak);
        QTextStream(stderr) << "crosstalk serve: warning: other users of this machine can read "
                               "a token given with --token in the process list; prefer "
                               "CROSSTALK_API_TOKEN or the token Crosstalk keeps.\n";
    }
    m_printToken = parser.isSet(printToken);
    if (parser.isSet(maxRunning)) {
        bool ok = false;
        m_maxRunning = parser.value(maxRunning).toInt(&ok);
        if (!ok || m_maxRunning < 1)
            return usageError(u"--max-running: must be a whole number of 1 or more"_s);
    }
    for (const auto &[option, target] :
         {std::pair{&rateLimit, &m_limits.perSecond}, std::pair{&rateBurst, &m_limits.burst}}) {
        if (!parser.isSet(*option))
            continue;
        bool ok = false;
        *target = parser.value(*option).toDouble(&ok);
        if (!ok || *target < 0)
            return usageError(
                u"--%1: must be a number of 0 or more"_s.arg(option->names().first()));
    }
    return ExitOk;
}

void ServeCommand::watchSignals()
{
    connect(new SignalWatcher(this), &SignalWatcher::received, this, [this] {
        if (m_shuttingDown) {
            QCoreApplication::exit(ExitOk); // a second Ctrl-C does not wait for replies
            return;
        }
        shutDown();
    });
}

void ServeCommand::start(const QString &token, const QString &tokenSource)
{
    if (m_printToken) {
        QTextStream(stdout) << token << '\n';
        QCoreApplication::exit(ExitOk);
        return;
    }
    m_server = std::make_unique<RestServer>(m_host->engine(), &m_host->library());
    m_server->setToken(token);
    m_server->setRateLimits(m_limits);
    m_server->setMaxRunning(m_maxRunning);
    if (const std::optional<Error> error = m_server->listen(m_address, m_port)) {
        QTextStream(stderr) << "crosstalk serve: " << error->message << '\n';
        QCoreApplication::exit(ExitUsage);
        return;
    }
    QTextStream err(stderr);
    if (!m_address.isLoopback())
        err << "crosstalk serve: warning: listening on " << m_address.toString()
            << ", which other machines may reach; anyone with the token can use the API.\n";
    err << "crosstalk serve: REST API at " << m_server->url().toString() << " (token from "
        << tokenSource << "; Ctrl-C stops).\n";
    QTextStream(stdout) << "listening on " << m_server->url().toString() << Qt::endl;
}

void ServeCommand::shutDown()
{
    m_shuttingDown = true;
    QTextStream(stderr) << "\ncrosstalk serve: stopping; running sessions are paused.\n";
    m_host->pauseAllAndExit(ExitOk);
}

int ServeCommand::exec(const QStringList &arguments)
{
    if (const int code = parse(arguments); code != ExitOk)
        return code < 0 ? ExitOk : code;

    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    m_host = std::make_unique<EngineHost>(u"crosstalk serve"_s, this);
    if (!m_printToken) {
        m_host->openStore();
        m_host->engine()->setUnloadIdleAfter(EngineHost::unloadIdleAfter);
        m_host->installBundledPersonas();
        watchSignals();
    }

    // Everything from here on runs in the event loop, so that exit() ends it however soon.
    QMetaObject::invokeMethod(
        this,
        [this, environment] {
            if (!m_token.isEmpty()) {
                start(m_token, u"--token"_s);
                return;
            }
            ApiToken::obtain(environment, m_host->secrets(), ApiToken::defaultFallbackPath(), this,
                             [this](const ApiToken::Obtained &obtained) {
                                 if (!obtained.error.isEmpty()) {
                                     QTextStream(stderr)
                                         << "crosstalk serve: no token: " << obtained.error << '\n';
                                     QCoreApplication::exit(ExitFailure);
                                     return;
                                 }
                                 start(obtained.token, obtained.source);
                             });
        },
        Qt::QueuedConnection);
    const int code = QCoreApplication::exec();
    return code;
}

} // namespace

int serveCommand(const QStringList &arguments)
{
    ServeCommand command;
    return command.exec(arguments);
}

} // namespace Crosstalk::Cli
