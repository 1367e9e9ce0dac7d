// SPDX-License-Identifier: GPL-3.0-or-later
// P8: GET /v1/crosstalk/{id}/status on loopback, measured with wrk (2 connections per core,
// rate limit off): at least 10,000 requests per second with a p99 latency of at most 5 ms.
//
// The server is the real RestServer (request gate, screening, token, router) on a real engine
// and session store, in this process; wrk runs as its own process meanwhile, so the event
// loop here only serves. The value is wrk's requests per second; the note gives the p99.
#include "engine/engine.h"
#include "llm/chatclient.h"
#include "persona/personalibrary.h"
#include "restserver.h"
#include "storage/sessionstore.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <cmath>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

[[noreturn]] void fail(const QString &what)
{
    QTextStream(stderr) << "bench_rest: " << what << Qt::endl;
    std::exit(1);
}

// wrk prints latencies as 1.23ms, 456.00us or 1.02s.
double milliseconds(const QString &value, const QString &unit)
{
    const double number = value.toDouble();
    if (unit == u"us"_s)
        return number / 1000.0;
    if (unit == u"s"_s)
        return number * 1000.0;
    return number;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (app.arguments().contains(u"--ids"_s)) {
        std::puts("P8");
        return 0;
    }
    QTemporaryDir dir;
    if (!dir.isValid())
        fail(u"no temporary folder"_s);
    QProcessEnvironment environment;
    environment.insert(u"OPENAI_API_KEY"_s, u"sk-bench"_s);
    ChatClient client;
    Engine engine(ModelRegistry::load(environment, nullptr), &client, nullptr);
    SessionStore store;
    if (!store.open(dir.filePath(u"store.sqlite"_s)))
        fail(u"the session store did not open"_s);
    engine.setStore(&store, u"bench"_s);
    Session draft;
    draft.topic = u"What will be AI's biggest challenges over the next five years?"_s;
    draft.rounds = 20;
    draft.participants = {Participant{u"big"_s, u"big"_s, u"You are big."_s, {}, {}, {}},
                          Participant{u"small"_s, u"small"_s, u"You are small."_s, {}, {}, {}}};
    const Parsed<QUuid> session = engine.createSession(draft);
    if (!session)
        fail(u"no session: %1"_s.arg(session.errors.value(0).toString()));

    PersonaLibrary library(dir.filePath(u"personas"_s));
    RestServer server(&engine, &library);
    const QString token = u"bench-token-0123456789abcdefghijklmnopq"_s;
    server.setToken(token);
    server.setRateLimits({0, 0}); // off, as QUALITY.md says
    if (const std::optional<Error> error = server.listen())
        fail(error->message);

    const int cores = std::max(1, QThread::idealThreadCount());
    const QString url = server.url().toString() + u"/v1/crosstalk/"_s +
                        session.value->toString(QUuid::WithoutBraces) + u"/status"_s;
    QProcess wrk;
    wrk.setProcessChannelMode(QProcess::SeparateChannels);
    const QStringList arguments{u"-t"_s + QString::number(cores),
                                u"-c"_s + QString::number(2 * cores),
                                u"-d10s"_s,
                                u"--latency"_s,
                                u"-H"_s,
                                u"Authorization: Bearer "_s + token,
                                url};
    QObject::connect(&wrk, &QProcess::finished, &app, [&] { app.quit(); });
    QObject::connect(&wrk, &QProcess::errorOccurred, &app, [&](QProcess::ProcessError) {
        fail(u"wrk did not run: %1"_s.arg(wrk.errorString()));
    });
    wrk.start(u"wrk"_s, arguments);
    app.exec();
    const QString output = QString::fromUtf8(wrk.readAllStandardOutput());
    QTextStream(stderr) << output;
    if (wrk.exitCode() != 0)
        fail(u"wrk failed: %1"_s.arg(QString::fromUtf8(wrk.readAllStandardError())));
    if (output.contains(u"Non-2xx"_s))
        fail(u"some answers were not 2xx"_s);

    const QRegularExpressionMatch rate =
        QRegularExpression(u"Requests/sec:\\s+([0-9.]+)"_s).match(output);
    const QRegularExpressionMatch p99 =
        QRegularExpression(u"\\n\\s+99%\\s+([0-9.]+)(us|ms|s)"_s).match(output);
    const QRegularExpressionMatch p50 =
        QRegularExpression(u"\\n\\s+50%\\s+([0-9.]+)(us|ms|s)"_s).match(output);
    if (!rate.hasMatch() || !p99.hasMatch() || !p50.hasMatch())
        fail(u"cannot read wrk's output"_s);
    const double requestsPerSecond = rate.captured(1).toDouble();
    const double p99Ms = milliseconds(p99.captured(1), p99.captured(2));
    const double p50Ms = milliseconds(p50.captured(1), p50.captured(2));
    const QJsonObject result{
        {u"P8"_s,
         QJsonObject{
             {u"value"_s, std::round(requestsPerSecond)},
             {u"unit"_s, u"req/s"_s},
             {u"target"_s, 10000},
             {u"ok"_s, requestsPerSecond >= 10000 && p99Ms <= 5.0},
             {u"note"_s,
              u"p99 %1 ms (target 5 ms), p50 %2 ms; wrk -t%3 -c%4 -d10s on loopback "
              "against the in-process RestServer with token, rate limit off"_s.arg(p99Ms, 0, 'f', 2)
                  .arg(p50Ms, 0, 'f', 2)
                  .arg(cores)
                  .arg(2 * cores)},
         }},
    };
    std::puts(QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    return 0;
}
