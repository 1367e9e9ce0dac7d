// SPDX-License-Identifier: GPL-3.0-or-later
// crosstalk-fakellm: the fake LLM server as a program, for benchmarks, demos and trying a
// client by hand. Options are described in tests/support/README.md.
#include "fakellmserver.h"
#include "testtls.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace Crosstalk::Fake;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"crosstalk-fakellm"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(CROSSTALK_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"A fake OpenAI Chat Completions and Anthropic Messages server with scripted replies "
        u"and fault injection."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption host(u"host"_s, u"Address to listen on (default 127.0.0.1)."_s,
                                  u"address"_s, u"127.0.0.1"_s);
    const QCommandLineOption port(u"port"_s, u"Port to listen on; 0 picks a free one."_s, u"port"_s,
                                  u"8765"_s);
    const QCommandLineOption script(u"script"_s, u"JSON script of reply and fault rules."_s,
                                    u"file"_s);
    const QCommandLineOption latency(u"latency-ms"_s, u"Delay before the response head."_s, u"ms"_s,
                                     u"0"_s);
    const QCommandLineOption ttft(u"ttft-ms"_s, u"Time from request to first token."_s, u"ms"_s,
                                  u"0"_s);
    const QCommandLineOption rate(u"tokens-per-second"_s, u"Streaming rate; 0 is unlimited."_s,
                                  u"rate"_s, u"0"_s);
    const QCommandLineOption seed(u"seed"_s, u"Seed of the scripted replies."_s, u"n"_s);
    const QCommandLineOption model(u"model"_s, u"A model id /v1/models lists (repeatable)."_s,
                                   u"id"_s);
    const QCommandLineOption fault(
        u"fault"_s,
        u"Inject a fault: NAME[:ARGS][@model=M,participant=P,round=R,nth=N] (repeatable)."_s,
        u"spec"_s);
    const QCommandLineOption tls(
        u"tls"_s, u"Serve HTTPS with the committed test certificate (tests/support/tls); clients "
                  u"must trust it as a CA."_s);
    parser.addOptions({host, port, script, latency, ttft, rate, seed, model, fault, tls});
    parser.process(app);

    const auto fail = [](const QString &message) {
        std::fprintf(stderr, "crosstalk-fakellm: %s\n", qPrintable(message));
        return 2;
    };

    FakeLlmServer server;
    QString error;
    if (parser.isSet(script) && !server.loadScript(parser.value(script), &error))
        return fail(error);
    bool ok = true;
    Timing timing;
    timing.latencyMs = parser.value(latency).toInt(&ok);
    if (ok)
        timing.ttftMs = parser.value(ttft).toInt(&ok);
    if (ok)
        timing.tokensPerSecond = parser.value(rate).toDouble(&ok);
    if (!ok || timing.latencyMs < 0 || timing.ttftMs < 0 || timing.tokensPerSecond < 0)
        return fail(u"timings must be numbers ≥ 0"_s);
    server.setTiming(timing);
    if (parser.isSet(seed)) {
        Crosstalk::ScriptEngine engine = server.script();
        engine.setSeed(parser.value(seed).toULongLong(&ok));
        if (!ok)
            return fail(u"--seed must be a whole number ≥ 0"_s);
        server.setScript(engine);
    }
    if (parser.isSet(model))
        server.setModels(parser.values(model));
    for (const QString &spec : parser.values(fault)) {
        const auto rule = FaultRule::parse(spec, &error);
        if (!rule)
            return fail(error);
        server.addFaultRule(*rule);
    }
    if (parser.isSet(tls)) {
        const auto configuration = testServerTlsConfiguration(&error);
        if (!configuration)
            return fail(u"--tls: "_s + error);
        server.setTls(*configuration);
    }
    const quint16 portNumber = parser.value(port).toUShort(&ok);
    if (!ok)
        return fail(u"--port must be a port number"_s);
    if (!server.listen(QHostAddress(parser.value(host)), portNumber))
        return fail(u"cannot listen on %1:%2: %3"_s.arg(parser.value(host), parser.value(port),
                                                        server.errorString()));

    // One line on stdout, so a script that started us on port 0 can read where we are.
    std::printf("crosstalk-fakellm listening on %s\n", qPrintable(server.baseUrl().toString()));
    std::fflush(stdout);
    return app.exec();
}
