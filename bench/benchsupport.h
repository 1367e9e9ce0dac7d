// SPDX-License-Identifier: GPL-3.0-or-later
// What the benchmark programs share: the result object of QUALITY.md, process CPU time, an
// event loop that waits without burning a core, and crosstalk-fakellm in its own process.
#pragma once

#include "conversation/session.h"
#include "llm/modelregistry.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>

#include <sys/mman.h>
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

namespace Crosstalk::Bench {

using namespace Qt::StringLiterals;

// One entry of the JSON object bench/run prints (QUALITY.md).
inline QJsonObject result(double value, const QString &unit, double target, bool ok,
                          const QString &note)
{
    return {{u"value"_s, std::round(value * 1000) / 1000},
            {u"unit"_s, unit},
            {u"target"_s, target},
            {u"ok"_s, ok},
            {u"note"_s, note}};
}

// User and system CPU time of this process so far, all threads.
inline double processCpuMs()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto ms = [](const timeval &t) {
        return double(t.tv_sec) * 1e3 + double(t.tv_usec) / 1e3;
    };
    return ms(usage.ru_utime) + ms(usage.ru_stime);
}

// Page faults this process has taken that needed no disk read: first touches of new memory.
inline long minorPageFaults()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt;
}

// What the first touch of a new 4 KiB page of memory costs on this machine, in microseconds:
// the mean over 64 MiB of fresh anonymous memory. Virtual machines can make it expensive.
inline double pageTouchMicroseconds()
{
    constexpr size_t bytes = size_t(64) << 20;
    constexpr size_t page = 4096;
    void *memory = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED)
        return 0;
    auto *bytesOf = static_cast<volatile char *>(memory);
    QElapsedTimer clock;
    clock.start();
    for (size_t at = 0; at < bytes; at += page)
        bytesOf[at] = 1;
    const double us = double(clock.nsecsElapsed()) / 1e3 / double(bytes / page);
    munmap(memory, bytes);
    return us;
}

// The one-minute load average, written beside figures that depend on a quiet machine.
inline QString loadAverage()
{
    QFile file(u"/proc/loadavg"_s);
    if (!file.open(QIODevice::ReadOnly))
        return u"?"_s;
    return QString::fromLatin1(file.readAll()).section(u' ', 0, 0);
}

// Runs the event loop until `done` holds or `timeoutMs` passes. It sleeps between events:
// processEvents() with a time limit never waits (it drops WaitForMoreEvents), so a loop of it
// would spin a core and count that as the program's CPU.
inline bool spin(const std::function<bool()> &done, int timeoutMs)
{
    QTimer tick; // wakes the wait below to look at the clock
    tick.start(20);
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    return done();
}

inline double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(p * double(values.size())))];
}

// crosstalk-fakellm in its own process, so its CPU is not counted and its timers are its own.
struct FakeServer
{
    QTemporaryDir dir;
    QProcess process;
    QUrl baseUrl;

    // `script`, when given, is written to a file and passed with --script.
    bool start(QStringList arguments, const QByteArray &script = {})
    {
        if (!script.isEmpty()) {
            const QString scriptPath = dir.filePath(u"script.json"_s);
            QFile file(scriptPath);
            if (!file.open(QIODevice::WriteOnly) || file.write(script) != script.size())
                return false;
            arguments << u"--script"_s << scriptPath;
        }
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.start(QStringLiteral(CROSSTALK_FAKELLM_EXECUTABLE),
                      QStringList{u"--port"_s, u"0"_s} + arguments);
        // The server prints one line saying where it listens.
        if (!process.waitForStarted(10000) || !process.waitForReadyRead(10000))
            return false;
        const QByteArray line = process.readLine().trimmed();
        baseUrl = QUrl(QString::fromUtf8(line.mid(line.lastIndexOf(' ') + 1)));
        return baseUrl.isValid();
    }

    ~FakeServer()
    {
        process.kill();
        process.waitForFinished(5000);
    }
};

// One OpenAI-compatible model, "big", served by the fake server at `baseUrl`.
inline ModelRegistry registryFor(const QUrl &baseUrl)
{
    QProcessEnvironment env;
    env.insert(u"OPENAI_BASE_URL"_s, baseUrl.resolved(QUrl(u"/v1"_s)).toString());
    env.insert(u"OPENAI_API_KEY"_s, u"sk-bench"_s);
    return ModelRegistry::load(env, nullptr);
}

// A memory-paradigm session of `participants` on the model "big".
inline Session draft(int participants, int rounds)
{
    Session s;
    s.topic = u"What makes a good benchmark?"_s;
    s.paradigm = Paradigm::Memory;
    s.rounds = rounds;
    for (int i = 0; i < participants; ++i)
        s.participants.append(
            {u"P%1"_s.arg(i + 1), u"big"_s, u"You are P%1."_s.arg(i + 1), {}, {}, {}});
    return s;
}

} // namespace Crosstalk::Bench
