// SPDX-License-Identifier: GPL-3.0-or-later
#include "localapi.h"

#include "apitoken.h"
#include "engine/engine.h"
#include "restserver.h"

using namespace Qt::StringLiterals;

namespace Crosstalk {

LocalApi::LocalApi(Engine *engine, const PersonaLibrary *library, QObject *parent)
    : LocalApiControl(parent)
    , m_engine(engine)
    , m_library(library)
{}

LocalApi::~LocalApi() = default;

QUrl LocalApi::url() const
{
    return m_server ? m_server->url() : QUrl();
}

void LocalApi::start(const Options &options)
{
    stop();
    const int generation = ++m_generation;
    if (options.port < 1 || options.port > 65535) {
        Q_EMIT failed(tr("%1 is not a port number (1 to 65535).").arg(options.port));
        return;
    }
    ApiToken::obtain(
        m_environment, m_engine->secrets(), ApiToken::defaultFallbackPath(), this,
        [this, generation, options](const ApiToken::Obtained &obtained) {
            if (generation != m_generation)
                return;
            if (!obtained.error.isEmpty()) {
                Q_EMIT failed(tr("No token for the local API: %1").arg(obtained.error));
                return;
            }
            auto server = std::make_unique<RestServer>(m_engine, m_library);
            server->setToken(obtained.token);
            server->setMaxRunning(options.maxRunning);
            server->setRateLimits({options.ratePerSecond, options.rateBurst});
            if (const std::optional<Error> error =
                    server->listen(QHostAddress(QHostAddress::LocalHost), quint16(options.port))) {
                Q_EMIT failed(error->message);
                return;
            }
            m_server = std::move(server);
            m_token = obtained.token;
            m_tokenSource = obtained.source;
            Q_EMIT started(m_server->url());
        });
}

void LocalApi::stop()
{
    ++m_generation;
    if (!m_server)
        return;
    m_server.reset();
    m_token.clear();
    Q_EMIT stopped();
}

} // namespace Crosstalk
