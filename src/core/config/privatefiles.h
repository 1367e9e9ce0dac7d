// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace Crosstalk {

// Transcripts, settings and tokens are the user's alone (PRODUCT.md §6, QUALITY.md R16): where
// home folders are readable by others, Crosstalk's own folders and files must not be.
namespace PrivateFiles {

// Creates `folder` when missing and makes it owner-only (rwx------), also when it already
// existed with wider permissions. False when it cannot be created.
bool makeFolder(const QString &folder);

// Makes `file` owner-only (rw-------), creating it empty when `create` is set and it is
// missing, so that what is written to it later is never readable by others, not even for a
// moment. A missing file is left missing otherwise.
void makeFile(const QString &file, bool create);

} // namespace PrivateFiles
} // namespace Crosstalk
