// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/settings.h"

#include "config/appidentity.h"
#include "config/privatefiles.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {
const auto kModels = u"models"_s;
const auto kRequestTimeout = u"network/request_timeout_seconds"_s;
const auto kMaxRetries = u"network/max_retries"_s;
const auto kLocalApiEnabled = u"local_api/enabled"_s;
const auto kLocalApiPort = u"local_api/port"_s;
const auto kLocalApiMaxRunning = u"local_api/max_running"_s;
const auto kLocalApiRate = u"local_api/rate_per_second"_s;
const auto kLocalApiBurst = u"local_api/rate_burst"_s;
const auto kWelcomeShown = u"window/welcome_shown"_s;
const auto kConnectionTests = u"connection_tests/"_s;
// Named as the window wrote them before this facade held them, so an arrangement kept then is
// still restored.
const auto kWindowGeometry = u"MainWindow/geometry"_s;
const auto kWindowState = u"MainWindow/state"_s;
const auto kPersonaSplit = u"MainWindow/persona_split"_s;
const auto kLastFolder = u"window/last_folder"_s;
const auto kOpenSession = u"MainWindow/open_session"_s;

// QSettings replaces the file on each write and keeps the permissions of the one it replaces,
// so an owner-only file stays owner-only. The folder is AppIdentity::protectLocations()'s.
const QString &ownerOnly(const QString &filePath)
{
    QDir().mkpath(QFileInfo(filePath).absolutePath());
    PrivateFiles::makeFile(filePath, true);
    return filePath;
}
} // namespace

Settings::Settings(const QString &filePath)
    : m_settings(ownerOnly(filePath), QSettings::IniFormat)
{}

Settings::Settings()
    : Settings(AppIdentity::settingsFilePath())
{}

QString Settings::modelGroup(const QString &alias)
{
    return kModels + u'/' + alias;
}

QStringList Settings::modelAliases() const
{
    m_settings.beginGroup(kModels);
    QStringList aliases = m_settings.childGroups();
    m_settings.endGroup();
    return aliases;
}

QVariantMap Settings::modelAttributes(const QString &alias) const
{
    QVariantMap attributes;
    m_settings.beginGroup(modelGroup(alias));
    for (const QString &key : m_settings.childKeys())
        attributes.insert(key, m_settings.value(key));
    m_settings.endGroup();
    return attributes;
}

void Settings::setModelAttributes(const QString &alias, const QVariantMap &attributes)
{
    m_settings.remove(modelGroup(alias));
    m_settings.beginGroup(modelGroup(alias));
    for (auto it = attributes.cbegin(); it != attributes.cend(); ++it)
        m_settings.setValue(it.key(), it.value());
    m_settings.endGroup();
}

void Settings::removeModel(const QString &alias)
{
    m_settings.remove(modelGroup(alias));
    m_settings.remove(kConnectionTests + alias);
}

std::optional<bool> Settings::connectionTestPassed(const QString &alias) const
{
    const QString outcome = m_settings.value(kConnectionTests + alias).toString();
    if (outcome == u"passed"_s || outcome == u"failed"_s)
        return outcome == u"passed"_s;
    return std::nullopt;
}

QHash<QString, bool> Settings::connectionTests() const
{
    QHash<QString, bool> outcomes;
    m_settings.beginGroup(kConnectionTests.chopped(1));
    const QStringList aliases = m_settings.childKeys();
    m_settings.endGroup();
    for (const QString &alias : aliases)
        if (const std::optional<bool> passed = connectionTestPassed(alias))
            outcomes.insert(alias, *passed);
    return outcomes;
}

void Settings::setConnectionTestPassed(const QString &alias, std::optional<bool> passed)
{
    if (passed)
        m_settings.setValue(kConnectionTests + alias, *passed ? u"passed"_s : u"failed"_s);
    else
        m_settings.remove(kConnectionTests + alias);
}

QVariant Settings::requestTimeoutSeconds() const
{
    return m_settings.value(kRequestTimeout);
}

void Settings::setRequestTimeoutSeconds(const QVariant &seconds)
{
    seconds.isValid() ? m_settings.setValue(kRequestTimeout, seconds)
                      : m_settings.remove(kRequestTimeout);
}

QVariant Settings::maxRetries() const
{
    return m_settings.value(kMaxRetries);
}

void Settings::setMaxRetries(const QVariant &retries)
{
    retries.isValid() ? m_settings.setValue(kMaxRetries, retries) : m_settings.remove(kMaxRetries);
}

bool Settings::localApiEnabled() const
{
    return m_settings.value(kLocalApiEnabled, false).toBool();
}

void Settings::setLocalApiEnabled(bool enabled)
{
    m_settings.setValue(kLocalApiEnabled, enabled);
}

int Settings::localApiPort() const
{
    bool ok = false;
    const int port = m_settings.value(kLocalApiPort).toInt(&ok);
    return ok && port > 0 && port <= 65535 ? port : defaultLocalApiPort;
}

void Settings::setLocalApiPort(int port)
{
    m_settings.setValue(kLocalApiPort, port);
}

int Settings::localApiMaxRunning() const
{
    bool ok = false;
    const int maxRunning = m_settings.value(kLocalApiMaxRunning).toInt(&ok);
    return ok && maxRunning > 0 ? maxRunning : defaultLocalApiMaxRunning;
}

void Settings::setLocalApiMaxRunning(int maxRunning)
{
    m_settings.setValue(kLocalApiMaxRunning, maxRunning);
}

namespace {

// A stored rate that is no number ≥ 0 reads as the default.
double rateFrom(const QVariant &stored, double fallback)
{
    bool ok = false;
    const double value = stored.toDouble(&ok);
    return ok && value >= 0 && std::isfinite(value) ? value : fallback;
}

} // namespace

double Settings::localApiRate() const
{
    return rateFrom(m_settings.value(kLocalApiRate), defaultLocalApiRate);
}

void Settings::setLocalApiRate(double perSecond)
{
    m_settings.setValue(kLocalApiRate, perSecond);
}

double Settings::localApiBurst() const
{
    return rateFrom(m_settings.value(kLocalApiBurst), defaultLocalApiBurst);
}

void Settings::setLocalApiBurst(double burst)
{
    m_settings.setValue(kLocalApiBurst, burst);
}

bool Settings::welcomeShown() const
{
    return m_settings.value(kWelcomeShown, false).toBool();
}

void Settings::setWelcomeShown(bool shown)
{
    m_settings.setValue(kWelcomeShown, shown);
}

QByteArray Settings::windowGeometry() const
{
    return m_settings.value(kWindowGeometry).toByteArray();
}

void Settings::setWindowGeometry(const QByteArray &geometry)
{
    m_settings.setValue(kWindowGeometry, geometry);
}

QUuid Settings::openSession() const
{
    return QUuid::fromString(m_settings.value(kOpenSession).toString());
}

void Settings::setOpenSession(const QUuid &id)
{
    if (id.isNull())
        m_settings.remove(kOpenSession);
    else
        m_settings.setValue(kOpenSession, id.toString(QUuid::WithoutBraces));
}

QString Settings::lastFolder() const
{
    const QString folder = m_settings.value(kLastFolder).toString();
    if (!folder.isEmpty() && QFileInfo(folder).isDir())
        return folder;
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return QFileInfo(documents).isDir() ? documents : QDir::homePath();
}

void Settings::rememberFolderOf(const QString &filePath)
{
    m_settings.setValue(kLastFolder, QFileInfo(filePath).absolutePath());
}

QByteArray Settings::personaSplit() const
{
    return m_settings.value(kPersonaSplit).toByteArray();
}

void Settings::setPersonaSplit(const QByteArray &state)
{
    m_settings.setValue(kPersonaSplit, state);
}

QByteArray Settings::windowState() const
{
    return m_settings.value(kWindowState).toByteArray();
}

void Settings::setWindowState(const QByteArray &state)
{
    m_settings.setValue(kWindowState, state);
}

} // namespace Crosstalk
