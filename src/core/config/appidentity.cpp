// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/appidentity.h"

#include "config/privatefiles.h"

#include <QGuiApplication>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace Crosstalk::AppIdentity {

QString id()
{
    return QStringLiteral(CROSSTALK_APP_ID);
}

QString displayName()
{
    return u"Crosstalk"_s;
}

QString version()
{
    return QStringLiteral(CROSSTALK_VERSION);
}

void apply()
{
    // An empty organisation name keeps the paths short: ~/.config/crosstalk, not
    // ~/.config/<org>/crosstalk.
    QCoreApplication::setOrganizationName(QString());
    QCoreApplication::setOrganizationDomain(u"crosstalk.org"_s);
    QCoreApplication::setApplicationName(u"crosstalk"_s);
    QCoreApplication::setApplicationVersion(version());
    QGuiApplication::setDesktopFileName(id());
}

void protectLocations()
{
    for (const auto location : {QStandardPaths::AppDataLocation, QStandardPaths::AppConfigLocation})
        PrivateFiles::makeFolder(QStandardPaths::writableLocation(location));
}

QString settingsFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           u"/crosstalk.conf"_s;
}

} // namespace Crosstalk::AppIdentity
