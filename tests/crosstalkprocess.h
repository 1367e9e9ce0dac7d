// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the real crosstalk executable (CROSSTALK_EXECUTABLE) as a user would from a terminal.
#pragma once

#include <QHash>
#include <QProcess>
#include <QStringList>

namespace Crosstalk::Testing {

struct Result
{
    int exitCode = -1;
    QString out;
    QString err;
};

inline Result runCrosstalk(const QStringList &arguments, const QStringList &unset = {},
                           const QHash<QString, QString> &set = {})
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : unset)
        env.remove(name);
    for (auto it = set.cbegin(); it != set.cend(); ++it)
        env.insert(it.key(), it.value());
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(CROSSTALK_EXECUTABLE), arguments);
    if (!process.waitForFinished(30000))
        return {};
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

} // namespace Crosstalk::Testing
