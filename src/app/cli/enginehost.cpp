// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/enginehost.h"

#include "engine/engine.h"

#include <QCoreApplication>
#include <QTimer>

namespace Crosstalk::Cli {

namespace {
constexpr std::chrono::seconds kSettleTime{10};
}

EngineHost::EngineHost(const QString &command, QObject *parent)
    : AppContext(AppOptions(command), parent)
{}

bool EngineHost::replyInFlight() const
{
    for (const QUuid &id : engine()->sessionIds()) {
        const QList<Message> &messages = engine()->session(id)->messages;
        if (std::any_of(messages.cbegin(), messages.cend(),
                        [](const Message &m) { return m.status == MessageStatus::Streaming; }))
            return true;
    }
    return false;
}

void EngineHost::pauseAllAndExit(int code)
{
    for (const QUuid &id : engine()->sessionIds())
        if (isRunning(engine()->session(id)->status))
            engine()->pause(id);
    const auto exitWhenSettled = [this, code] {
        if (!replyInFlight())
            QCoreApplication::exit(code);
    };
    connect(engine(), &Engine::event, this, exitWhenSettled);
    QTimer::singleShot(kSettleTime, this, [code] { QCoreApplication::exit(code); });
    exitWhenSettled();
}

} // namespace Crosstalk::Cli
