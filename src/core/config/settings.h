// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QSettings>
#include <QStringList>
#include <QUuid>
#include <QVariantMap>

#include <optional>

namespace Crosstalk {

// Typed access to the settings file (~/.config/crosstalk/crosstalk.conf). Every key the
// program stores is named here, so the file's layout is documented in one place. Secrets are
// never stored here: models refer to their keys (SecretStore, environment).
class Settings
{
public:
    // The user's settings file; tests pass a temporary file.
    explicit Settings(const QString &filePath);
    Settings();

    // Configured models, by alias. The attributes of one model are stored as
    // `models/ALIAS/NAME` (names: ModelRegistry::attributeNames()). For the slots big, middle
    // and small, the stored attributes override what the environment says.
    QStringList modelAliases() const;
    QVariantMap modelAttributes(const QString &alias) const;
    void setModelAttributes(const QString &alias, const QVariantMap &attributes);
    void removeModel(const QString &alias);

    // Network policy overrides; absent means the environment's or the default value.
    QVariant requestTimeoutSeconds() const;
    void setRequestTimeoutSeconds(const QVariant &seconds);
    QVariant maxRetries() const;
    void setMaxRetries(const QVariant &retries);

    // The window's local REST API (PRODUCT.md §4): off unless switched on in Settings.
    static constexpr int defaultLocalApiPort = 8082;
    bool localApiEnabled() const;
    void setLocalApiEnabled(bool enabled);
    int localApiPort() const;
    void setLocalApiPort(int port);
    // The most sessions the local API lets run at once (QUALITY.md R15).
    static constexpr int defaultLocalApiMaxRunning = 16;
    int localApiMaxRunning() const;
    void setLocalApiMaxRunning(int maxRunning);
    // Requests per second per client, in the long run and at once (0 turns the limit off), as
    // `crosstalk serve --rate-limit/--rate-burst`.
    static constexpr double defaultLocalApiRate = 100;
    static constexpr double defaultLocalApiBurst = 200;
    double localApiRate() const;
    void setLocalApiRate(double perSecond);
    double localApiBurst() const;
    void setLocalApiBurst(double burst);

    // The outcome of a model's last connection test in Settings (`connection_tests/ALIAS`:
    // passed or failed); none when it was not tested as it is configured now.
    std::optional<bool> connectionTestPassed(const QString &alias) const;
    void setConnectionTestPassed(const QString &alias, std::optional<bool> passed);
    // Every recorded outcome: alias → passed.
    QHash<QString, bool> connectionTests() const;

    // Whether the window has shown its first-run welcome (it is shown once).
    bool welcomeShown() const;
    void setWelcomeShown(bool shown);
    // The main window's geometry and the arrangement of its panels and toolbar, as
    // QMainWindow::saveGeometry() and saveState() give them; empty before the first close.
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);
    // The session the window showed when it was closed, opened again at the next start.
    QUuid openSession() const;
    void setOpenSession(const QUuid &id);

    // Where file dialogs start: the folder of the last file exported, imported or saved as a
    // preset; else Documents, else home.
    QString lastFolder() const;
    void rememberFolderOf(const QString &filePath);

    // The split between the persona list and its editors (QSplitter::saveState()).
    QByteArray personaSplit() const;
    void setPersonaSplit(const QByteArray &state);

    QString filePath() const { return m_settings.fileName(); }
    void sync() { m_settings.sync(); }

private:
    static QString modelGroup(const QString &alias);

    mutable QSettings m_settings;
};

} // namespace Crosstalk
