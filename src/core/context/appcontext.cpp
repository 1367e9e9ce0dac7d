// SPDX-License-Identifier: GPL-3.0-or-later
#include "context/appcontext.h"

#include "config/secretstore.h"
#include "config/settings.h"
#include "engine/engine.h"
#include "engine/sessionpersister.h"
#include "llm/chatclient.h"
#include "persona/personalibrary.h"
#include "storage/progresssteps.h"
#include "storage/sessionstore.h"

#include <QDir>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace Crosstalk {

AppContext::AppContext(AppOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_chatClient(new ChatClient(this))
{
    const QString folder = m_options.dataFolder;
    m_settings = folder.isEmpty()
                     ? std::make_unique<Settings>()
                     : std::make_unique<Settings>(QDir(folder).filePath(u"crosstalk.conf"_s));
    m_library = std::make_unique<PersonaLibrary>(
        folder.isEmpty() ? PersonaLibrary::defaultFolder() : QDir(folder).filePath(u"personas"_s));
    switch (m_options.secrets) {
    case AppOptions::Secrets::Keychain:
        m_secrets = new KeychainSecretStore(this);
        break;
    case AppOptions::Secrets::Memory:
        m_secrets = new MemorySecretStore(this);
        break;
    case AppOptions::Secrets::None:
        break;
    }
    const ModelRegistry registry = ModelRegistry::load(m_options.environment, m_settings.get());
    for (const QString &problem : registry.problems())
        warn(u"warning: "_s + problem);
    m_chatClient->setNetworkPolicy(registry.network());
    m_engine = std::make_unique<Engine>(registry, m_chatClient, m_secrets);
}

AppContext::~AppContext()
{
    // What the persister still holds goes to the store before either is gone; the engine's
    // persister writes to the store, so the engine goes first.
    if (m_engine->persister())
        m_engine->persister()->finishWrites();
    m_engine.reset();
    m_store.reset();
}

QString AppContext::storePath() const
{
    if (!m_options.storePath.isEmpty())
        return m_options.storePath;
    return m_options.dataFolder.isEmpty()
               ? SessionStore::defaultPath()
               : QDir(m_options.dataFolder).filePath(u"crosstalk.sqlite"_s);
}

bool AppContext::storeNeedsUpdate() const
{
    return SessionStore::needsUpdate(storePath());
}

std::optional<Error> AppContext::updateStore(const std::function<void(double done)> &progress) const
{
    SessionStore store;
    if (auto opened = store.open(storePath(), progress); !opened)
        return opened.error();
    return std::nullopt;
}

bool AppContext::openStore()
{
    auto store = std::make_unique<SessionStore>();
    std::function<void(double)> progress;
    if (storeNeedsUpdate()) {
        warn(u"updating the session store for this version (once; a large store takes a "
             "minute)"_s);
        progress = progressInSteps(
            10, [this](int percent) { warn(u"updating the session store: %1%"_s.arg(percent)); });
    }
    if (auto opened = store->open(storePath(), progress); !opened) {
        warn(u"warning: sessions will not be kept: "_s + opened.error().message);
        return false;
    }
    if (auto recovered = store->recoverAfterCrash(); !recovered)
        warn(u"warning: "_s + recovered.error().message);
    m_store = std::move(store);
    m_engine->setStore(m_store.get(), m_options.processKind);
    return true;
}

void AppContext::installBundledPersonas()
{
    if (const Parsed<QStringList> installed = m_library->installBundledIfEmpty(); !installed)
        warn(u"warning: "_s + installed.errors.first().toString());
}

void AppContext::warn(const QString &message) const
{
    if (m_options.warn)
        m_options.warn(message);
    else
        QTextStream(stderr) << m_options.processKind << ": " << message << '\n';
}

} // namespace Crosstalk
