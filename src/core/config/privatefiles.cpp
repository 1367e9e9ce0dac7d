// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/privatefiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace Crosstalk::PrivateFiles {

namespace {
constexpr auto kOwnerFolder =
    QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
constexpr auto kOwnerFile = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
} // namespace

bool makeFolder(const QString &folder)
{
    if (folder.isEmpty() || !QDir().mkpath(folder))
        return false;
    return QFile::setPermissions(folder, kOwnerFolder);
}

void makeFile(const QString &file, bool create)
{
    if (!QFileInfo::exists(file)) {
        if (create) {
            QFile created(file);
            // NewOnly: another process creating it meanwhile keeps its file, tightened below.
            if (created.open(QIODevice::WriteOnly | QIODevice::NewOnly, kOwnerFile))
                return;
        }
        if (!QFileInfo::exists(file))
            return;
    }
    QFile::setPermissions(file, kOwnerFile);
}

} // namespace Crosstalk::PrivateFiles
