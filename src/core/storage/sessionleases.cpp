// SPDX-License-Identifier: GPL-3.0-or-later
// SessionStore's leases (a session runs in one process at a time) and crash recovery.
#include "storage/sessionrows.h"
#include "storage/sessionstore.h"
#include "storage/sqlstatement.h"

#include <QCoreApplication>
#include <QSysInfo>

#include <cerrno>
#include <signal.h>

using namespace Qt::StringLiterals;

namespace Crosstalk {

using namespace StoreSql;
using namespace StoreRows;

namespace {

bool processExists(qint64 pid)
{
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

} // namespace

QString LeaseHolder::description() const
{
    return u"crosstalk %1 (pid %2 on %3)"_s.arg(processKind).arg(pid).arg(hostName);
}

bool LeaseHolder::isThisProcess() const
{
    return pid == QCoreApplication::applicationPid() && hostName == QSysInfo::machineHostName();
}

bool SessionStore::leaseIsLive(qint64 pid, const QString &hostName, qint64 heartbeatMs) const
{
    if (heartbeatMs < nowMs() - m_leaseTimeout.count()) {
        return false;
    }
    // On this host a vanished holder is stale at once, without waiting for the timeout.
    return hostName != QSysInfo::machineHostName() || processExists(pid);
}

StoreResult<void> SessionStore::acquireLease(const QUuid &sessionId, const QString &processKind)
{
    if (!isOpen()) {
        return notOpen();
    }
    const QString what = u"acquiring the lease of session %1"_s.arg(idText(sessionId));
    return inWriteTransaction(m_db, [&]() -> StoreResult<void> {
        QSqlError error;
        if (!sessionExists(m_db, sessionId, &error)) {
            return error.isValid() ? failure(what, error) : sessionNotFound(sessionId);
        }
        {
            Statement current(m_db, u"SELECT token, pid, host, process_kind, heartbeat_at "
                                    "FROM leases WHERE session_id = :id"_s);
            current.bind(u":id"_s, idText(sessionId));
            if (!current.exec()) {
                return failure(what, current.error());
            }
            if (current.next() && current.value(0).toString() != m_leaseToken &&
                leaseIsLive(current.value(1).toLongLong(), current.value(2).toString(),
                            current.value(4).toLongLong())) {
                LeaseHolder holder;
                holder.pid = current.value(1).toLongLong();
                holder.hostName = current.value(2).toString();
                holder.processKind = current.value(3).toString();
                return storeError(
                    ErrorCode::Conflict,
                    u"Session %1 is running in %2."_s.arg(idText(sessionId), holder.description()));
            }
        }
        Statement take(
            m_db, u"INSERT INTO leases (session_id, token, pid, host, process_kind, acquired_at, "
                  "heartbeat_at) VALUES (:id, :token, :pid, :host, :kind, :now, :now2) "
                  "ON CONFLICT (session_id) DO UPDATE SET acquired_at = CASE WHEN "
                  "token = excluded.token THEN acquired_at ELSE excluded.acquired_at END, "
                  "token = excluded.token, pid = excluded.pid, host = excluded.host, "
                  "process_kind = excluded.process_kind, heartbeat_at = excluded.heartbeat_at"_s);
        const qint64 now = nowMs();
        take.bind(u":id"_s, idText(sessionId))
            .bind(u":token"_s, m_leaseToken)
            .bind(u":pid"_s, QCoreApplication::applicationPid())
            .bind(u":host"_s, QSysInfo::machineHostName())
            .bind(u":kind"_s, text(processKind))
            .bind(u":now"_s, now)
            .bind(u":now2"_s, now);
        if (!take.exec()) {
            return failure(what, take.error());
        }
        return {};
    });
}

StoreResult<void> SessionStore::renewLease(const QUuid &sessionId)
{
    if (!isOpen()) {
        return notOpen();
    }
    return inWriteTransaction(m_db, [&]() -> StoreResult<void> {
        Statement renew(m_db, u"UPDATE leases SET heartbeat_at = :now "
                              "WHERE session_id = :id AND token = :token"_s);
        renew.bind(u":now"_s, nowMs())
            .bind(u":id"_s, idText(sessionId))
            .bind(u":token"_s, m_leaseToken);
        if (!renew.exec()) {
            return failure(u"renewing the lease of session %1"_s.arg(idText(sessionId)),
                           renew.error());
        }
        if (renew.rowsAffected() == 0) {
            return storeError(
                ErrorCode::Conflict,
                u"The lease of session %1 was lost: it went stale and another process "
                "took it over, or the session was deleted."_s.arg(idText(sessionId)));
        }
        return {};
    });
}

StoreResult<void> SessionStore::releaseLease(const QUuid &sessionId)
{
    if (!isOpen()) {
        return notOpen();
    }
    return inWriteTransaction(m_db, [&]() -> StoreResult<void> {
        Statement release(m_db, u"DELETE FROM leases WHERE session_id = :id AND token = :token"_s);
        release.bind(u":id"_s, idText(sessionId)).bind(u":token"_s, m_leaseToken);
        if (!release.exec()) {
            return failure(u"releasing the lease of session %1"_s.arg(idText(sessionId)),
                           release.error());
        }
        return {};
    });
}

StoreResult<std::optional<LeaseHolder>> SessionStore::leaseHolder(const QUuid &sessionId)
{
    if (!isOpen()) {
        return notOpen();
    }
    Statement query(m_db, u"SELECT pid, host, process_kind, acquired_at, heartbeat_at "
                          "FROM leases WHERE session_id = :id"_s);
    query.bind(u":id"_s, idText(sessionId));
    if (!query.exec()) {
        return failure(u"reading the lease of session %1"_s.arg(idText(sessionId)), query.error());
    }
    if (!query.next() || !leaseIsLive(query.value(0).toLongLong(), query.value(1).toString(),
                                      query.value(4).toLongLong())) {
        return std::optional<LeaseHolder>();
    }
    return std::optional(LeaseHolder{query.value(0).toLongLong(), query.value(1).toString(),
                                     query.value(2).toString(), timeFrom(query.value(3)),
                                     timeFrom(query.value(4))});
}

StoreResult<Recovery> SessionStore::recoverAfterCrash()
{
    if (!isOpen()) {
        return notOpen();
    }
    const QString what = u"recovering sessions after a crash"_s;
    Recovery recovery;
    auto done = inWriteTransaction(m_db, [&]() -> StoreResult<void> {
        // Sessions with a live lease run elsewhere; everything else that claims to be
        // running or streaming was left so by a process that died.
        QSet<QString> live;
        {
            Statement leases(m_db, u"SELECT session_id, pid, host, heartbeat_at FROM leases"_s);
            if (!leases.exec()) {
                return failure(what, leases.error());
            }
            while (leases.next()) {
                if (leaseIsLive(leases.value(1).toLongLong(), leases.value(2).toString(),
                                leases.value(3).toLongLong())) {
                    live.insert(leases.value(0).toString());
                }
            }
        }
        {
            Statement running(m_db, u"SELECT id FROM sessions WHERE status = 'running'"_s);
            if (!running.exec()) {
                return failure(what, running.error());
            }
            while (running.next()) {
                if (!live.contains(running.value(0).toString())) {
                    recovery.interruptedSessions.append(QUuid(running.value(0).toString()));
                }
            }
        }
        {
            Statement streaming(m_db, u"SELECT id, session_id FROM messages "
                                      "WHERE status = 'streaming'"_s);
            if (!streaming.exec()) {
                return failure(what, streaming.error());
            }
            while (streaming.next()) {
                if (!live.contains(streaming.value(1).toString())) {
                    recovery.partialMessages.append(QUuid(streaming.value(0).toString()));
                }
            }
        }
        const qint64 now = nowMs();
        for (const QUuid &id : std::as_const(recovery.interruptedSessions)) {
            Statement update(m_db, u"UPDATE sessions SET status = 'interrupted', "
                                   "updated_at = :now WHERE id = :id"_s);
            update.bind(u":now"_s, now).bind(u":id"_s, idText(id));
            if (!update.exec()) {
                return failure(what, update.error());
            }
        }
        for (const QUuid &id : std::as_const(recovery.partialMessages)) {
            Statement update(m_db, u"UPDATE messages SET status = 'partial' WHERE id = :id"_s);
            update.bind(u":id"_s, idText(id));
            if (!update.exec()) {
                return failure(what, update.error());
            }
        }
        // Stale leases would otherwise linger until someone takes the session over.
        Statement removeStale(m_db, u"DELETE FROM leases WHERE session_id = :id"_s);
        Statement all(m_db, u"SELECT session_id FROM leases"_s);
        if (!all.exec()) {
            return failure(what, all.error());
        }
        QStringList stale;
        while (all.next()) {
            if (!live.contains(all.value(0).toString())) {
                stale.append(all.value(0).toString());
            }
        }
        all.finish();
        for (const QString &id : std::as_const(stale)) {
            removeStale.bind(u":id"_s, id);
            if (!removeStale.exec()) {
                return failure(what, removeStale.error());
            }
        }
        return {};
    });
    if (!done) {
        return done.error();
    }
    return recovery;
}

} // namespace Crosstalk
