// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QSqlDatabase>
#include <QString>
#include <QTimer>

#include <chrono>

namespace Crosstalk {

// Tells when another connection — usually another Crosstalk process — has committed a write
// to the store, so views can reload. It polls `PRAGMA data_version` on a connection of its
// own: that number changes exactly when some other connection commits, and reading it costs
// no disk access. Writes made through any other connection count, including SessionStore
// instances in this process.
class StoreWatcher : public QObject
{
    Q_OBJECT

public:
    static constexpr std::chrono::milliseconds defaultInterval{250};

    explicit StoreWatcher(QObject *parent = nullptr);
    ~StoreWatcher() override;

    // Starts watching the database at `path`; false, with the reason in errorString(), when
    // it cannot be opened.
    bool start(const QString &path, std::chrono::milliseconds interval = defaultInterval);
    void stop();
    QString errorString() const;

Q_SIGNALS:
    void changed();

private:
    void poll();
    bool readVersion(qint64 *version);

    QString m_connectionName;
    QSqlDatabase m_db;
    QTimer m_timer;
    qint64 m_version = -1;
    QString m_error;
};

} // namespace Crosstalk
