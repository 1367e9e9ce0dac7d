// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QtLogging>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace Crosstalk::Fuzz {

// Some parsers use QObjects (the persona library's file watcher, the chat calls' timers) that
// want an application object, which lives as long as the fuzzing process.
inline void ensureApplication()
{
    static int argc = 1;
    static char name[] = "crosstalk-fuzz";
    static char *argv[] = {name, nullptr};
    static QCoreApplication app(argc, argv);
    // Millions of rejected inputs would each print a warning; the fuzzer's own output matters.
    qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &) {});
}

// A broken invariant is a finding like a crash: abort, so that libFuzzer keeps the input.
[[noreturn]] inline void fail(const char *what)
{
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
}

} // namespace Crosstalk::Fuzz
