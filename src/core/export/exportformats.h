// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "conversation/session.h"
#include "export/exportstream.h"

#include <QIODevice>

#include <optional>

// The writers behind Exporter::write, one file each.
namespace Crosstalk::ExportFormats {

void writeMarkdown(const Session &session, ExportStream &out);
void writeText(const Session &session, ExportStream &out);
void writeHtml(const Session &session, ExportStream &out);
std::optional<Error> writePdf(const Session &session, QIODevice &device);

} // namespace Crosstalk::ExportFormats
