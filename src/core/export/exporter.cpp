// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/exporter.h"

#include "conversation/oldtooljson.h"
#include "conversation/sessiondocument.h"
#include "export/exportformats.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace Crosstalk::Exporter {

namespace {

struct FormatInfo
{
    ExportFormat format;
    QLatin1StringView extension;
    QLatin1StringView mimeType;
};

constexpr std::array<FormatInfo, 6> formats{{
    {ExportFormat::Markdown, QLatin1StringView("md"), QLatin1StringView("text/markdown")},
    {ExportFormat::Html, QLatin1StringView("html"), QLatin1StringView("text/html")},
    {ExportFormat::Pdf, QLatin1StringView("pdf"), QLatin1StringView("application/pdf")},
    {ExportFormat::Text, QLatin1StringView("txt"), QLatin1StringView("text/plain")},
    {ExportFormat::SessionDocument, QLatin1StringView("json"),
     QLatin1StringView("application/json")},
    {ExportFormat::LegacyJson, QLatin1StringView("json"), QLatin1StringView("application/json")},
}};

const FormatInfo &info(ExportFormat format)
{
    return formats[std::size_t(format)];
}

Error writeError(const QString &what, const QString &reason)
{
    return Error{ErrorCode::Internal, u"cannot write %1: %2"_s.arg(what, reason), {}};
}

} // namespace

std::optional<ExportFormat> formatFromName(QStringView name)
{
    return enumFromString<ExportFormat>(name);
}

std::optional<ExportFormat> formatFromPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"markdown"_s) {
        return ExportFormat::Markdown;
    }
    if (suffix == u"htm"_s) {
        return ExportFormat::Html;
    }
    for (const FormatInfo &f : formats) {
        // The first .json entry is the session document; the legacy layout is never guessed.
        if (suffix == f.extension) {
            return f.format;
        }
    }
    return std::nullopt;
}

QString mimeType(ExportFormat format)
{
    const QString type = info(format).mimeType;
    return format == ExportFormat::Pdf || format == ExportFormat::SessionDocument ||
                   format == ExportFormat::LegacyJson
               ? type
               : type + u"; charset=utf-8"_s;
}

QString fileExtension(ExportFormat format)
{
    return info(format).extension;
}

std::optional<Error> write(const Session &session, ExportFormat format, QIODevice &device)
{
    if (format == ExportFormat::Pdf) {
        return ExportFormats::writePdf(session, device);
    }
    ExportStream out(device);
    switch (format) {
    case ExportFormat::Markdown:
        ExportFormats::writeMarkdown(session, out);
        break;
    case ExportFormat::Html:
        ExportFormats::writeHtml(session, out);
        break;
    case ExportFormat::Text:
        ExportFormats::writeText(session, out);
        break;
    case ExportFormat::SessionDocument:
        out << QByteArrayView(SessionDocument::write(session));
        break;
    case ExportFormat::LegacyJson:
        out << QByteArrayView(QJsonDocument(OldToolJson::file(session)).toJson());
        break;
    case ExportFormat::Pdf:
        Q_UNREACHABLE();
    }
    if (!out.flush()) {
        return writeError(u"the export"_s, out.errorString());
    }
    return std::nullopt;
}

std::optional<Error> writeFile(const Session &session, ExportFormat format, const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return writeError(path, file.errorString());
    }
    if (auto error = write(session, format, file)) {
        file.cancelWriting();
        return error;
    }
    if (!file.commit()) {
        return writeError(path, file.errorString());
    }
    return std::nullopt;
}

} // namespace Crosstalk::Exporter
