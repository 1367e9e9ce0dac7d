// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/enginehost.h"

#include "config/secretstore.h"
#include "config/settings.h"
#include "engine/engine.h"
#include "engine/sessionpersister.h"
#include "llm/chatclient.h"
#include "storage/sessionstore.h"

#include <QCoreApplication>
#include <QTextStream>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Crosstalk::Cli {

namespace {
constexpr std::chrono::seconds kSettleTime{10};
}

EngineHost::EngineHost(const QString &command, QObject *parent)
    : QObject(parent)
    , m_command(command)
    , m_secrets(new KeychainSecretStore(this))
{
    Settings settings;
    const ModelRegistry registry =
        ModelRegistry::load(QProcessEnvironment::systemEnvironment(), &settings);
    for (const QString &problem : registry.problems())
        warn(u"warning: "_s + problem);
    auto *chatClient = new ChatClient(this);
    chatClient->setNetworkPolicy(registry.network());
    m_engine = std::make_unique<Engine>(registry, chatClient, m_secrets);
}

EngineHost::~EngineHost()
{
    if (m_engine && m_engine->persister())
        m_engine->persister()->flush();
}

void EngineHost::warn(const QString &message) const
{
    QTextStream(stderr) << m_command << ": " << message << '\n';
}

void EngineHost::openStore()
{
    m_store = std::make_unique<SessionStore>();
    if (SessionStore::needsUpdate())
        warn(u"updating the session store for this version (once; a large store takes a minute)"_s);
    if (auto opened = m_store->open(); !opened) {
        warn(u"warning: sessions will not be kept: "_s + opened.error().message);
        m_store.reset();
        return;
    }
    if (auto recovered = m_store->recoverAfterCrash(); !recovered)
        warn(u"warning: "_s + recovered.error().message);
    m_engine->setStore(m_store.get(), m_command);
}

void EngineHost::installBundledPersonas()
{
    if (const Parsed<QStringList> installed = m_library.installBundledIfEmpty(); !installed)
        warn(u"warning: "_s + installed.errors.first().toString());
}

bool EngineHost::replyInFlight() const
{
    for (const QUuid &id : m_engine->sessionIds()) {
        const QList<Message> &messages = m_engine->session(id)->messages;
        if (std::any_of(messages.cbegin(), messages.cend(),
                        [](const Message &m) { return m.status == MessageStatus::Streaming; }))
            return true;
    }
    return false;
}

void EngineHost::pauseAllAndExit(int code)
{
    for (const QUuid &id : m_engine->sessionIds())
        if (m_engine->session(id)->status == SessionStatus::Running)
            m_engine->pause(id);
    const auto exitWhenSettled = [this, code] {
        if (!replyInFlight())
            QCoreApplication::exit(code);
    };
    connect(m_engine.get(), &Engine::event, this, exitWhenSettled);
    QTimer::singleShot(kSettleTime, this, [code] { QCoreApplication::exit(code); });
    exitWhenSettled();
}

} // namespace Crosstalk::Cli
