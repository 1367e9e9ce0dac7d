// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/secretstore.h"

#include "config/appidentity.h"

#include <QPointer>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace Crosstalk {

KeychainSecretStore::KeychainSecretStore(QObject *parent)
    : SecretStore(parent)
{}

void KeychainSecretStore::runJob(QKeychain::Job *job, QObject *context,
                                 std::function<void(QKeychain::Job *, QString error)> finish)
{
    ++m_pendingJobs;
    connect(job, &QObject::destroyed, this, [this] { --m_pendingJobs; });
    const std::chrono::milliseconds timeout = m_timeout;
    auto answered = std::make_shared<bool>(false);
    auto *timer = new QTimer(job);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, context, [answered, finish, timeout] {
        if (std::exchange(*answered, true))
            return;
        finish(nullptr, QObject::tr("The system keychain did not answer within %n second(s).",
                                    nullptr, int(timeout.count() / 1000)));
    });
    QObject::connect(
        job, &QKeychain::Job::finished, context, [answered, finish](QKeychain::Job *done) {
            if (std::exchange(*answered, true))
                return;
            if (done->error() == QKeychain::NoError || done->error() == QKeychain::EntryNotFound)
                finish(done, QString());
            else
                finish(done, done->errorString());
        });
    // A job outlives a stalled secret service: it deletes itself when it finally finishes.
    job->setAutoDelete(true);
    timer->start(timeout);
    job->start();
}

void KeychainSecretStore::read(const QString &name, QObject *context, ReadCallback callback)
{
    auto *job = new QKeychain::ReadPasswordJob(AppIdentity::id());
    job->setKey(name);
    runJob(job, context, [callback](QKeychain::Job *done, const QString &error) {
        if (!error.isEmpty() || !done) {
            callback(std::nullopt, error);
            return;
        }
        if (done->error() == QKeychain::EntryNotFound) {
            callback(std::nullopt, QString());
            return;
        }
        callback(static_cast<QKeychain::ReadPasswordJob *>(done)->textData(), QString());
    });
}

void KeychainSecretStore::write(const QString &name, const QString &secret, QObject *context,
                                DoneCallback callback)
{
    auto *job = new QKeychain::WritePasswordJob(AppIdentity::id());
    job->setKey(name);
    job->setTextData(secret);
    runJob(job, context, [callback](QKeychain::Job *, const QString &error) { callback(error); });
}

void KeychainSecretStore::remove(const QString &name, QObject *context, DoneCallback callback)
{
    auto *job = new QKeychain::DeletePasswordJob(AppIdentity::id());
    job->setKey(name);
    runJob(job, context, [callback](QKeychain::Job *, const QString &error) { callback(error); });
}

void MemorySecretStore::read(const QString &name, QObject *context, ReadCallback callback)
{
    const std::optional<QString> secret =
        m_secrets.contains(name) ? std::optional(m_secrets.value(name)) : std::nullopt;
    // Answer from the event loop, like the keychain, so callers see one behaviour.
    QTimer::singleShot(0, context, [callback, secret] { callback(secret, QString()); });
}

void MemorySecretStore::write(const QString &name, const QString &secret, QObject *context,
                              DoneCallback callback)
{
    m_secrets.insert(name, secret);
    QTimer::singleShot(0, context, [callback] { callback(QString()); });
}

void MemorySecretStore::remove(const QString &name, QObject *context, DoneCallback callback)
{
    m_secrets.remove(name);
    QTimer::singleShot(0, context, [callback] { callback(QString()); });
}

} // namespace Crosstalk
