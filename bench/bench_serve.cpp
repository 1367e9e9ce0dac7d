// SPDX-License-Identifier: GPL-3.0-or-later
// R15_serve_memory — a long-running `crosstalk serve` keeps its memory flat (QUALITY.md R15).
//
// The real crosstalk binary serves the REST API on a fresh store, its models served by
// crosstalk-fakellm in another process. Four clients at once set up a session (two models, two
// rounds), run it to the end (POST …/run waits for it) and delete it, 10,000 sessions in all.
// The serve process's VmRSS is read from /proc every 1,000 sessions; the value is its growth
// from the first sample to the last, when a first thousand sessions have warmed up the
// allocator, SQLite's cache and the connections.
#include "benchsupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>

#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace Crosstalk::Bench;

namespace {

constexpr int kSessions = 10000;
constexpr int kSampleEvery = 1000;
constexpr int kClients = 4;
constexpr double kTargetMb = 5;
const QByteArray kToken = "bench-serve-token-0123456789abcdefghijklmnop";

[[noreturn]] void fail(const QString &what)
{
    QTextStream(stderr) << "bench_serve: " << what << Qt::endl;
    std::exit(1);
}

// A field of /proc/PID/status in MB (VmRSS, RssAnon…), or 0 when it cannot be read.
double statusMb(qint64 pid, QByteArrayView field = "VmRSS")
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(field) && line.size() > field.size() && line[field.size()] == ':')
            return line.mid(field.size() + 1).simplified().split(' ').value(0).toDouble() / 1024;
    return 0;
}

// `crosstalk serve` on a store of its own under a fresh XDG home.
struct Serve
{
    QTemporaryDir home;
    QProcess process;
    QUrl url;

    bool start(const QUrl &fakeBase)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *variable :
             {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
            env.insert(QString::fromLatin1(variable), home.filePath(QString::fromLatin1(variable)));
        env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        env.insert(u"CROSSTALK_API_TOKEN"_s, QString::fromLatin1(kToken));
        env.insert(u"OPENAI_BASE_URL"_s, fakeBase.resolved(QUrl(u"/v1"_s)).toString());
        env.insert(u"OPENAI_API_KEY"_s, u"sk-bench"_s);
        env.remove(u"ANTHROPIC_API_KEY"_s);
        process.setProcessEnvironment(env);
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.start(QStringLiteral(CROSSTALK_EXECUTABLE),
                      {u"serve"_s, u"--port"_s, u"0"_s, u"--rate-limit"_s, u"0"_s});
        // It prints "listening on URL" once it serves.
        QByteArray line;
        QElapsedTimer clock;
        clock.start();
        while (!line.endsWith('\n') && clock.elapsed() < 30000 &&
               process.state() != QProcess::NotRunning) {
            process.waitForReadyRead(100);
            line += process.readLine();
        }
        if (!line.startsWith("listening on "))
            return false;
        url = QUrl(QString::fromLatin1(line.mid(13).trimmed()));
        return url.isValid();
    }

    ~Serve()
    {
        process.terminate();
        if (!process.waitForFinished(15000)) {
            process.kill();
            process.waitForFinished(5000);
        }
    }
};

// Sets up, runs and deletes sessions one after the other until `next` says there are no more.
class Client
{
public:
    Client(QNetworkAccessManager *network, const QUrl &base, std::function<bool()> next,
           std::function<void()> done)
        : m_network(network)
        , m_base(base)
        , m_next(std::move(next))
        , m_done(std::move(done))
    {}

    void begin()
    {
        if (!m_next())
            return;
        send(
            "POST", u"/v1/crosstalk/setup"_s,
            R"({"models": ["big", "small"], "iterations": 2, "topic": "Is a benchmark ever fair?"})",
            [this](const QJsonObject &reply) {
                const QString id = reply[u"session_id"_s].toString();
                send("POST", u"/v1/crosstalk/%1/run"_s.arg(id), {},
                     [this, id](const QJsonObject &run) {
                         if (run[u"status"_s].toString() != u"completed"_s)
                             fail(u"a session ended %1"_s.arg(run[u"status"_s].toString()));
                         send("DELETE", u"/v1/crosstalk/%1"_s.arg(id), {},
                              [this](const QJsonObject &) {
                                  m_done();
                                  begin();
                              });
                     });
            });
    }

private:
    void send(const QByteArray &method, const QString &path, const QByteArray &body,
              std::function<void(const QJsonObject &)> then)
    {
        QNetworkRequest request(m_base.resolved(QUrl(path)));
        request.setRawHeader("Authorization", "Bearer " + kToken);
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
        request.setTransferTimeout(60000);
        QNetworkReply *reply = m_network->sendCustomRequest(request, method, body);
        QObject::connect(reply, &QNetworkReply::finished, reply, [reply, method, path, then] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QByteArray bytes = reply->readAll();
            if (status != 200)
                fail(u"%1 %2 answered %3: %4"_s.arg(QString::fromLatin1(method), path)
                         .arg(status)
                         .arg(QString::fromUtf8(bytes.left(300))));
            then(QJsonDocument::fromJson(bytes).object());
        });
    }

    QNetworkAccessManager *m_network;
    QUrl m_base;
    std::function<bool()> m_next;
    std::function<void()> m_done;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (app.arguments().contains(u"--ids"_s)) {
        std::puts("R15_serve_memory");
        return 0;
    }
    FakeServer fake;
    if (!fake.start({u"--tokens-per-second"_s, u"0"_s},
                    R"({"rules": [{"reply": {"filler": 40}}]})"))
        fail(u"crosstalk-fakellm did not start"_s);
    Serve serve;
    if (!serve.start(fake.baseUrl))
        fail(u"crosstalk serve did not start"_s);
    const qint64 pid = serve.process.processId();
    const double startMb = statusMb(pid);

    QNetworkAccessManager network;
    int started = 0;
    int finished = 0;
    QList<double> samples; // after every kSampleEvery sessions
    QElapsedTimer clock;
    clock.start();
    const auto next = [&] { return started < kSessions ? (++started, true) : false; };
    const auto done = [&] {
        if (++finished % kSampleEvery != 0)
            return;
        samples.append(statusMb(pid));
        // The fake server records every request; it need not keep them.
        QNetworkReply *cleared = network.deleteResource(
            QNetworkRequest(fake.baseUrl.resolved(QUrl(u"/_fake/requests"_s))));
        QObject::connect(cleared, &QNetworkReply::finished, cleared, &QObject::deleteLater);
        QTextStream(stderr) << "bench_serve: " << finished << " sessions, VmRSS " << samples.last()
                            << " MB (anonymous " << statusMb(pid, "RssAnon") << ", file "
                            << statusMb(pid, "RssFile") << ", shared " << statusMb(pid, "RssShmem")
                            << ")" << Qt::endl;
    };
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < kClients; ++i) {
        clients.push_back(std::make_unique<Client>(&network, serve.url, next, done));
        clients.back()->begin();
    }
    if (!spin([&] { return finished == kSessions; }, 30 * 60 * 1000))
        fail(u"only %1 of %2 sessions finished in 30 minutes"_s.arg(finished).arg(kSessions));
    const double seconds = clock.elapsed() / 1000.0;
    if (samples.size() < 2 || samples.first() <= 0)
        fail(u"cannot read VmRSS of the serve process"_s);

    const double growth = samples.last() - samples.first();
    QStringList figures;
    for (double mb : std::as_const(samples))
        figures << QString::number(mb, 'f', 1);
    const QJsonObject out{
        {u"R15_serve_memory"_s,
         result(growth, u"MB"_s, kTargetMb, growth <= kTargetMb,
                u"VmRSS growth of the real crosstalk serve from 1,000 to %1 sessions set up, run "
                "to the end on crosstalk-fakellm (2 models × 2 rounds, 40-token replies) and "
                "deleted over HTTP by %2 clients at once; VmRSS %3 MB at start, then every "
                "1,000 sessions: %4 MB; %5 sessions/s; load average %6"_s
                    .arg(QLocale(QLocale::English).toString(kSessions))
                    .arg(kClients)
                    .arg(startMb, 0, 'f', 1)
                    .arg(figures.join(u", "_s))
                    .arg(kSessions / seconds, 0, 'f', 0)
                    .arg(loadAverage()))},
    };
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return 0;
}
