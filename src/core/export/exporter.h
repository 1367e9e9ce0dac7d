// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/enumtraits.h"
#include "common/error.h"
#include "conversation/session.h"

#include <QIODevice>
#include <QString>

#include <array>
#include <optional>

namespace Crosstalk {

// The transcript formats of PRODUCT.md §4 "Export", named as `--format` and the REST API's
// `?format=` name them.
enum class ExportFormat
{
    Markdown,
    Html,
    Pdf,
    Text,
    // The whole session as JSON; imports back losslessly.
    SessionDocument,
    // The old tool's transcript file (PRODUCT.md appendix).
    LegacyJson,
};

template<>
struct EnumTraits<ExportFormat>
{
    static constexpr std::array<EnumName<ExportFormat>, 6> names{{
        {ExportFormat::Markdown, QLatin1StringView("md")},
        {ExportFormat::Html, QLatin1StringView("html")},
        {ExportFormat::Pdf, QLatin1StringView("pdf")},
        {ExportFormat::Text, QLatin1StringView("txt")},
        {ExportFormat::SessionDocument, QLatin1StringView("json")},
        {ExportFormat::LegacyJson, QLatin1StringView("legacy-json")},
    }};
};

// One way to write a session in any format, for the window, the command line, the REST API
// and MCP alike. Only the session document carries the `request` records of messages; no
// format carries a key (a Session never holds one). PDF needs a QGuiApplication (fonts and
// text layout); the offscreen platform does.
namespace Exporter {

std::optional<ExportFormat> formatFromName(QStringView name);
// By the file's extension: .md .markdown .html .htm .pdf .txt .json (the session document);
// the legacy layout is only ever chosen by name, since it is a .json file too.
std::optional<ExportFormat> formatFromPath(const QString &path);
// For Content-Type headers and file dialogs.
QString mimeType(ExportFormat format);
QString fileExtension(ExportFormat format);

// Writes straight to the device as it goes, so large sessions never build one big string.
std::optional<Error> write(const Session &session, ExportFormat format, QIODevice &device);
// Atomic: the file appears complete or not at all, an existing one is replaced only on success.
std::optional<Error> writeFile(const Session &session, ExportFormat format, const QString &path);

} // namespace Exporter
} // namespace Crosstalk
