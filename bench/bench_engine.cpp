// SPDX-License-Identifier: GPL-3.0-or-later
// bench_engine — what the engine adds on top of model latency.
//  P1: session wall time over the critical path of model latency (the sum over rounds of the
//      slowest reply, as crosstalk-fakellm recorded the reply durations), 5 participants ×
//      20 rounds, memory paradigm, parallel rounds, 50 ms replies.
//  P13: P1 with replies that stream over their duration (50 tokens at 100 tokens/s), as
//      providers send them.
//  P5: 100 concurrent sessions against one fake server, counted when they complete without
//      a single failed message.
// The fake server runs as its own process with precise timers (ARCHITECTURE.md, "Measuring P1").
#include "benchsupport.h"
#include "engine/engine.h"
#include "llm/chatclient.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QProcess>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

using namespace Crosstalk::Bench;

// 50 ms replies (first token after 50 ms, the rest at once) on precise timers.
bool startServer(FakeServer &server, int replyMs)
{
    return server.start({u"--latency-ms"_s, QString::number(replyMs), u"--ttft-ms"_s,
                         QString::number(replyMs), u"--tokens-per-second"_s, u"0"_s});
}

Engine makeEngine(const QUrl &baseUrl, ChatClient &client)
{
    const ModelRegistry registry = registryFor(baseUrl);
    client.setNetworkPolicy(registry.network());
    return Engine(registry, &client, nullptr);
}

// How crosstalk-fakellm shapes every reply of a critical-path run.
struct ReplyShape
{
    double target;          // the ratio QUALITY.md asks for
    int ttftMs;             // request → head and first token
    double tokensPerSecond; // the rest of the reply; 0: at once
    int tokens;             // filler tokens per reply; 0: the default persona replies
    QString description;    // for the note
};

// P1: 50 ms replies sent at once at the end, the worst case for what follows the last byte.
const ReplyShape kAtOnce{1.05, 50, 0, 0, u"50 ms replies (persona text sent at once)"_s};
// P13: replies streamed over their duration, as providers send them.
const ReplyShape kStreamed{
    1.02, 50, 100, 50,
    u"replies of 50 tokens streamed at 100 tokens/s after a 50 ms first token (≈ 0.54 s)"_s};

// Session wall time over the critical path (the sum over rounds of the slowest reply, as
// crosstalk-fakellm recorded the reply durations).
QJsonObject measureCriticalPathRatio(const ReplyShape &shape)
{
    constexpr int participants = 5, rounds = 20;
    FakeServer server;
    const QStringList arguments{u"--latency-ms"_s,        QString::number(shape.ttftMs),
                                u"--ttft-ms"_s,           QString::number(shape.ttftMs),
                                u"--tokens-per-second"_s, QString::number(shape.tokensPerSecond)};
    const QByteArray script = shape.tokens > 0
                                  ? QByteArray(R"({"rules": [{"reply": {"filler": )" +
                                               QByteArray::number(shape.tokens) + "}}]}")
                                  : QByteArray();
    if (!server.start(arguments, script))
        return result(0, u"ratio"_s, shape.target, false, u"crosstalk-fakellm did not start"_s);
    ChatClient client;
    Engine engine = makeEngine(server.baseUrl, client);
    const Parsed<QUuid> created = engine.createSession(draft(participants, rounds));
    const QUuid id = *created.value;
    QElapsedTimer wall;
    wall.start();
    engine.start(id);
    spin([&] { return engine.session(id)->status != SessionStatus::Running; }, 300000);
    const double wallMs = double(wall.nsecsElapsed()) / 1e6;
    if (engine.session(id)->status != SessionStatus::Completed)
        return result(0, u"ratio"_s, shape.target, false, u"the session did not complete"_s);

    QNetworkReply *reply =
        client.http()->get(server.baseUrl.resolved(QUrl(u"/_fake/requests"_s)), {}, {});
    spin([&] { return reply->isFinished(); }, 10000);
    const QJsonArray requests =
        QJsonDocument::fromJson(reply->readAll()).object()[u"requests"_s].toArray();
    reply->deleteLater();
    QHash<int, double> slowest;
    for (const QJsonValue &r : requests) {
        const double duration = r[u"completed_ms"_s].toDouble() - r[u"arrived_ms"_s].toDouble();
        double &round = slowest[r[u"round"_s].toInt()];
        round = std::max(round, duration);
    }
    double critical = 0;
    for (double ms : std::as_const(slowest))
        critical += ms;
    const double ratio = wallMs / critical;
    return result(ratio, u"ratio"_s, shape.target, ratio <= shape.target,
                  u"session wall time %1 ms / critical path %2 ms (sum over %3 rounds of the "
                  "slowest reply duration crosstalk-fakellm recorded; %4 requests); %5 "
                  "participants, memory, parallel rounds, %6, server in its own process; "
                  "%7 ms per round over the slowest reply; load average %8"_s.arg(wallMs, 0, 'f', 1)
                      .arg(critical, 0, 'f', 1)
                      .arg(slowest.size())
                      .arg(requests.size())
                      .arg(participants)
                      .arg(shape.description)
                      .arg((wallMs - critical) / rounds, 0, 'f', 1)
                      .arg(loadAverage()));
}

QJsonObject measureP5()
{
    constexpr int sessions = 100, participants = 3, rounds = 3, replyMs = 50;
    FakeServer server;
    if (!startServer(server, replyMs))
        return result(0, u"sessions"_s, sessions, false, u"crosstalk-fakellm did not start"_s);
    ChatClient client;
    Engine engine = makeEngine(server.baseUrl, client);
    QList<QUuid> ids;
    for (int i = 0; i < sessions; ++i)
        ids << *engine.createSession(draft(participants, rounds)).value;
    QElapsedTimer wall;
    wall.start();
    for (const QUuid &id : std::as_const(ids))
        engine.start(id);
    const auto running = [&] {
        return std::count_if(ids.cbegin(), ids.cend(), [&](const QUuid &id) {
            return engine.session(id)->status == SessionStatus::Running;
        });
    };
    spin([&] { return running() == 0; }, 300000);
    int clean = 0, failedMessages = 0;
    for (const QUuid &id : std::as_const(ids)) {
        const Session &s = *engine.session(id);
        int failed = 0;
        for (const Message &m : s.messages)
            failed += m.status != MessageStatus::Complete;
        failedMessages += failed;
        clean += s.status == SessionStatus::Completed && failed == 0 &&
                 s.messages.size() == participants * rounds;
    }
    return result(clean, u"sessions"_s, sessions, clean == sessions,
                  u"%1 sessions of %2 participants × %3 rounds started at once against one "
                  "crosstalk-fakellm (%4 ms replies); completed without a failed message: %5, "
                  "failed messages: %6, wall time %7 s"_s.arg(sessions)
                      .arg(participants)
                      .arg(rounds)
                      .arg(replyMs)
                      .arg(clean)
                      .arg(failedMessages)
                      .arg(wall.elapsed() / 1000.0, 0, 'f', 2));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList wanted = app.arguments().mid(1);
    if (wanted == QStringList{u"--ids"_s}) {
        std::printf("P1 P5 P13\n");
        return 0;
    }
    if (wanted.isEmpty())
        wanted = {u"P1"_s, u"P5"_s, u"P13"_s};
    QJsonObject out;
    if (wanted.contains(u"P1"_s))
        out.insert(u"P1"_s, measureCriticalPathRatio(kAtOnce));
    if (wanted.contains(u"P5"_s))
        out.insert(u"P5"_s, measureP5());
    if (wanted.contains(u"P13"_s))
        out.insert(u"P13"_s, measureCriticalPathRatio(kStreamed));
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return 0;
}
