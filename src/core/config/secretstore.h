// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>

#include <chrono>
#include <functional>
#include <optional>

namespace QKeychain {
class Job;
}

namespace Crosstalk {

// Where API keys (and the REST token) are kept: the system keychain, never the settings file,
// the store, logs or exports. Every operation is asynchronous and answers exactly once,
// through a callback run in `context`'s thread; if `context` is destroyed first it is not run.
class SecretStore : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    // `secret` is empty when nothing is stored under `name`; `error` says why the store could
    // not be asked (no secret service, timeout…), empty on success.
    using ReadCallback = std::function<void(std::optional<QString> secret, QString error)>;
    using DoneCallback = std::function<void(QString error)>;

    virtual void read(const QString &name, QObject *context, ReadCallback callback) = 0;
    virtual void write(const QString &name, const QString &secret, QObject *context,
                       DoneCallback callback) = 0;
    virtual void remove(const QString &name, QObject *context, DoneCallback callback) = 0;

    // Whether keys can be kept at all: `done` gets why not, in words for people (no secret
    // service running…), or an empty string when they can.
    virtual void checkAvailable(QObject *context, DoneCallback done);
};

// The system keychain through QtKeychain (Secret Service, KWallet). Without a secret service
// a job may fail or stall; the timeout answers the caller in that case, and the job's late
// answer is dropped.
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT

public:
    explicit KeychainSecretStore(QObject *parent = nullptr);

    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    void read(const QString &name, QObject *context, ReadCallback callback) override;
    void write(const QString &name, const QString &secret, QObject *context,
               DoneCallback callback) override;
    void remove(const QString &name, QObject *context, DoneCallback callback) override;
    // Asks the session bus whether a secret service (GNOME Keyring, KeePassXC…) or KWallet
    // runs or can be started, without waiting on the GUI thread.
    void checkAvailable(QObject *context, DoneCallback done) override;

    // Keychain jobs still alive. A job outlives its timeout until the secret service answers
    // or fails; with none left, no answer can come any more.
    int pendingJobs() const { return m_pendingJobs; }

private:
    // Runs `job` and calls `finish` once: with the job's outcome, or with a timeout error if
    // the keychain does not answer in time.
    void runJob(QKeychain::Job *job, QObject *context,
                std::function<void(QKeychain::Job *, QString error)> finish);

    std::chrono::milliseconds m_timeout{5000};
    int m_pendingJobs = 0;
};

// Secrets held in memory only: for tests, and for a session that explicitly chose not to use
// the keychain.
class MemorySecretStore : public SecretStore
{
    Q_OBJECT

public:
    using SecretStore::SecretStore;

    void read(const QString &name, QObject *context, ReadCallback callback) override;
    void write(const QString &name, const QString &secret, QObject *context,
               DoneCallback callback) override;
    void remove(const QString &name, QObject *context, DoneCallback callback) override;

private:
    QHash<QString, QString> m_secrets;
};

} // namespace Crosstalk
