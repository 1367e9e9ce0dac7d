// SPDX-License-Identifier: GPL-3.0-or-later
// bench_sse — the streaming path's cost: SSE parser throughput over a realistic Chat
// Completions stream, and the client's CPU per streamed 500-token reply through
// OpenAIChatCall against crosstalk-fakellm running as a separate process (so the server's
// work is not counted). QUALITY.md P2 also counts the model update and persistence, which
// come later: this reports its own keys, never "P2".
#include "benchsupport.h"
#include "llm/chatclient.h"
#include "llm/sseparser.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

using namespace Crosstalk::Bench;

const QString kParseKey = u"sse_parse_mb_s"_s;
const QString kCpuKey = u"client_cpu_per_500_token_reply"_s;
constexpr int kReplyTokens = 500;
constexpr double kParseTargetMbS = 100;   // two orders above the fastest provider's stream
constexpr double kCpuTargetMs = 1.0;      // P2's budget for the whole app
constexpr qsizetype kNetworkChunk = 1400; // about one TCP segment per read

// A 500-token reply as OpenAI streams it with include_usage: one chunk per token.
QByteArray openAiStream()
{
    QByteArray stream;
    const QByteArray head =
        R"(data: {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":)"
        R"("chat.completion.chunk","created":1741569952,"model":"gpt-4o-2024-08-06",)"
        R"("system_fingerprint":"fp_eb9dce56a8","choices":[{"index":0,"delta":)"
        R"({"content":")";
    const QByteArray tail = R"("},"logprobs":null,"finish_reason":null}],"usage":null})"
                            "\n\n";
    static const char *const words[] = {" the", " evidence", " points", " to",
                                        " a",   " clearer",  " answer", ",",
                                        " and", " é",        " 😀",     " trade-offs"};
    for (int i = 0; i < kReplyTokens; ++i)
        stream += head + words[i % std::size(words)] + tail;
    stream +=
        R"(data: {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk",)"
        R"("created":1741569952,"model":"gpt-4o-2024-08-06","choices":[],"usage":)"
        R"({"prompt_tokens":120,"completion_tokens":500,"total_tokens":620}})"
        "\n\ndata: [DONE]\n\n";
    return stream;
}

QJsonObject measureParser()
{
    const QByteArray stream = openAiStream();
    qsizetype events = 0;
    const auto parseOnce = [&] {
        SseParser parser;
        for (qsizetype at = 0; at < stream.size(); at += kNetworkChunk)
            events += parser
                          .feed(QByteArrayView(stream).sliced(
                              at, qMin(kNetworkChunk, stream.size() - at)))
                          .size();
    };
    for (int i = 0; i < 20; ++i)
        parseOnce(); // warm caches and allocators
    QElapsedTimer clock;
    clock.start();
    int rounds = 0;
    while (clock.elapsed() < 1500) {
        parseOnce();
        ++rounds;
    }
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    const double mbs = double(stream.size()) * rounds / 1e6 / seconds;
    return result(mbs, u"MB/s"_s, kParseTargetMbS, mbs >= kParseTargetMbS,
                  u"SseParser::feed over a %1-byte Chat Completions stream of %2 chunks, fed in "
                  "%3-byte pieces, %4 passes in %5 s (events decoded to QString, JSON not parsed)"_s
                      .arg(stream.size())
                      .arg(kReplyTokens + 2)
                      .arg(kNetworkChunk)
                      .arg(rounds)
                      .arg(seconds, 0, 'f', 2));
}

// Streams `count` replies one after another and reports the process CPU per reply.
class ClientRun : public QObject
{
public:
    ClientRun(const ModelConfig &model, int warmup, int count)
        : m_model(model)
        , m_warmup(warmup)
        , m_count(count)
    {
        CallTiming timing;
        timing.retry.maxRetries = 0;
        m_client.setTiming(timing);
    }

    void start() { next(); }
    bool failed() const { return !m_error.isEmpty(); }
    QString error() const { return m_error; }
    double cpuMsPerReply() const { return m_cpuMs / m_count; }
    double wallMsPerReply() const { return m_wallMs / m_count; }

private:
    void next()
    {
        if (m_done == m_warmup) {
            m_cpuStart = processCpuMs();
            m_wall.start();
        }
        if (m_done == m_warmup + m_count) {
            m_cpuMs = processCpuMs() - m_cpuStart;
            m_wallMs = double(m_wall.nsecsElapsed()) / 1e6;
            QCoreApplication::quit();
            return;
        }
        ChatRequest request;
        request.system = u"You are Alice, a careful physicist."_s;
        request.turns = {{ChatTurn::Role::User, u"Topic: is light a wave?"_s}};
        ChatCall *call = m_client.createCall(m_model, u"sk-bench"_s, request, this);
        connect(call, &ChatCall::finished, this, [this, call] {
            if (call->usage().tokensOut != kReplyTokens)
                m_error = u"a reply had %1 tokens, not %2"_s.arg(call->usage().tokensOut)
                              .arg(kReplyTokens);
            call->deleteLater();
            ++m_done;
            if (failed())
                QCoreApplication::quit();
            else
                next();
        });
        connect(call, &ChatCall::failed, this, [this, call](const CallError &error) {
            m_error = error.message;
            call->deleteLater();
            QCoreApplication::quit();
        });
        call->start();
    }

    ChatClient m_client;
    ModelConfig m_model;
    int m_warmup;
    int m_count;
    int m_done = 0;
    double m_cpuStart = 0;
    double m_cpuMs = 0;
    double m_wallMs = 0;
    QElapsedTimer m_wall;
    QString m_error;
};

QJsonObject measureClient()
{
    FakeServer server;
    if (!server.start({u"--tokens-per-second"_s, u"0"_s},
                      R"({"rules": [{"reply": {"filler": 500}}]})"))
        return result(0, u"ms"_s, kCpuTargetMs, false, u"crosstalk-fakellm did not start"_s);
    const QUrl baseUrl = server.baseUrl;

    ModelConfig model;
    model.alias = u"big"_s;
    model.kind = ApiKind::OpenAI;
    model.modelId = u"gpt-4o"_s;
    model.baseUrl = baseUrl.resolved(QUrl(u"/v1"_s));

    constexpr int warmup = 20;
    constexpr int count = 300;
    ClientRun run(model, warmup, count);
    QTimer::singleShot(0, &run, [&run] { run.start(); });
    QCoreApplication::exec();
    if (run.failed())
        return result(0, u"ms"_s, kCpuTargetMs, false, u"a call failed: "_s + run.error());
    const double cpu = run.cpuMsPerReply();
    return result(cpu, u"ms"_s, kCpuTargetMs, cpu <= kCpuTargetMs,
                  u"process CPU (getrusage user+sys) per streamed %1-token reply through "
                  "ChatClient/OpenAIChatCall (HTTP, SSE parse, JSON decode, text append), mean of "
                  "%2 sequential replies after %3 warm-up, crosstalk-fakellm in a separate process "
                  "sending all tokens at once; %4 ms wall per reply. Excludes the model update and "
                  "persistence that P2 adds."_s.arg(kReplyTokens)
                      .arg(count)
                      .arg(warmup)
                      .arg(run.wallMsPerReply(), 0, 'f', 2));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList wanted = app.arguments().mid(1);
    if (wanted == QStringList{u"--ids"_s}) {
        std::printf("%s %s\n", qPrintable(kParseKey), qPrintable(kCpuKey));
        return 0;
    }
    if (wanted.isEmpty())
        wanted = {kParseKey, kCpuKey};
    QJsonObject out;
    if (wanted.contains(kParseKey))
        out.insert(kParseKey, measureParser());
    if (wanted.contains(kCpuKey))
        out.insert(kCpuKey, measureClient());
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    return 0;
}
