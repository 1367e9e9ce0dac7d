// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace Crosstalk {

// The application id is the root of every location Crosstalk stores something in: the
// settings file, the session store, the persona library, the desktop file and the keychain
// service. It is fixed; changing it would orphan users' data.
namespace AppIdentity {

// Reverse-DNS id, also the desktop file's base name and the keychain service.
QString id();
QString displayName();
QString version();

// Sets application name, organisation domain, version and desktop file name so that
// QStandardPaths gives ~/.local/share/crosstalk and ~/.config/crosstalk. Call once, right
// after constructing the application object, in every process (window, CLI, servers).
void apply();

// Creates the data and config folders owner-only, and tightens them when they already exist
// with wider permissions (QUALITY.md R16). Call at start, after apply().
void protectLocations();

// The INI file that holds the settings. QSettings' default constructor cannot be used: with
// no organisation name it refuses to read or write.
QString settingsFilePath();

} // namespace AppIdentity
} // namespace Crosstalk
