// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/storeresult.h"

#include <QSqlDatabase>

#include <functional>
#include <span>

namespace Crosstalk::StoreMigrations {

// Migration n takes a database from schema version n − 1 to n. It runs inside the caller's
// write transaction, which also sets `PRAGMA user_version`, so a migration that fails leaves
// the database at the version before it. New versions are appended; a released migration is
// never changed, because databases in the field already went through it.
// A long migration works in steps and reports after each how far it got, from 0 to 1.
using Progress = std::function<void(double done)>;
using Migration = StoreResult<void> (*)(QSqlDatabase &db, const Progress &progress);

// In order: element 0 is migration 1.
std::span<const Migration> all();

} // namespace Crosstalk::StoreMigrations
