// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/secretstore.h"

#include "config/appidentity.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QPointer>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

// QtKeychain's messages ("Unknown error", "No keychain service available") say little to a
// person; these say what happened and what it means.
QString readableError(const QKeychain::Job *job)
{
    switch (job->error()) {
    case QKeychain::NoBackendAvailable:
        return QObject::tr("no secret service (such as KWallet or GNOME Keyring) is running.");
    case QKeychain::AccessDeniedByUser:
        return QObject::tr("access to the keychain was refused.");
    case QKeychain::AccessDenied:
        return QObject::tr("the keychain refused access (it may be locked).");
    default:
        return QObject::tr("the secret service refused it (it said \"%1\"); its keyring may be "
                           "locked or not set up yet.")
            .arg(job->errorString());
    }
}

} // namespace

void SecretStore::checkAvailable(QObject *context, DoneCallback done)
{
    QTimer::singleShot(0, context, [done] { done(QString()); });
}

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
                finish(done, readableError(done));
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

void KeychainSecretStore::checkAvailable(QObject *context, DoneCallback done)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected() || !bus.interface()) {
        QTimer::singleShot(0, context, [done] {
            done(QObject::tr("There is no desktop session bus, so no secret service (such as "
                             "KWallet or GNOME Keyring) can keep keys."));
        });
        return;
    }
    // A service that runs, or one the bus starts on demand, can keep keys.
    auto names = std::make_shared<QStringList>();
    auto pending = std::make_shared<int>(2);
    const auto answered = [names, pending, done](QDBusPendingCallWatcher *watcher) {
        watcher->deleteLater();
        const QDBusPendingReply<QStringList> reply = *watcher;
        if (!reply.isError())
            *names << reply.value();
        if (--*pending > 0)
            return;
        const bool available = std::any_of(names->cbegin(), names->cend(), [](const QString &n) {
            return n == u"org.freedesktop.secrets"_s || n.startsWith(u"org.kde.kwalletd"_s);
        });
        done(available ? QString()
                       : QObject::tr("No secret service (such as KWallet or GNOME Keyring) is "
                                     "running, so keys cannot be kept in the system keychain."));
    };
    for (const QString &method : {u"ListNames"_s, u"ListActivatableNames"_s}) {
        auto *watcher = new QDBusPendingCallWatcher(bus.interface()->asyncCall(method), context);
        QObject::connect(watcher, &QDBusPendingCallWatcher::finished, context, answered);
    }
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
