// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/messagedocument.h"

#include <QBuffer>
#include <QGuiApplication>
#include <QImageReader>
#include <QPalette>
#include <QRegularExpression>
#include <QTextBlock>
#include <QTextCursor>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

bool isWebAddress(const QString &url)
{
    return url.startsWith(u"https://"_s, Qt::CaseInsensitive) ||
           url.startsWith(u"http://"_s, Qt::CaseInsensitive);
}

struct RefusedImage
{
    int position = 0;
    int length = 0;
    QTextImageFormat format;
};

} // namespace

MessageDocument::MessageDocument(QObject *parent)
    : QTextDocument(parent)
{}

void MessageDocument::setMessageMarkdown(const QString &markdown)
{
    setMarkdown(markdown, QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub |
                                                          QTextDocument::MarkdownNoHTML));
    // Images the document must not load become text before anything lays them out.
    QList<RefusedImage> refused;
    for (QTextBlock block = begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            const QTextCharFormat format = fragment.charFormat();
            if (format.isImageFormat() && !isAllowedImage(format.toImageFormat().name()))
                refused.append({fragment.position(), fragment.length(), format.toImageFormat()});
        }
    }
    QTextCursor cursor(this);
    const QColor link = QGuiApplication::palette().color(QPalette::Link);
    for (auto it = refused.crbegin(); it != refused.crend(); ++it) {
        const QString source = it->format.name();
        QString alt = it->format.stringProperty(QTextFormat::ImageAltText);
        if (alt.isEmpty())
            alt = tr("image");
        QTextCharFormat text;
        text.setFont(it->format.font());
        if (isWebAddress(source)) {
            text.setAnchor(true);
            text.setAnchorHref(source);
            text.setForeground(link);
            text.setFontUnderline(true);
        }
        cursor.setPosition(it->position);
        cursor.setPosition(it->position + it->length, QTextCursor::KeepAnchor);
        cursor.insertText(u'[' + alt + u']', text);
    }
}

bool MessageDocument::isAllowedImage(const QString &source)
{
    // Raster formats only: an SVG could name further files to load.
    static const QStringList types = {u"png"_s, u"jpeg"_s, u"jpg"_s, u"gif"_s, u"bmp"_s, u"webp"_s};
    const QString prefix = u"data:image/"_s;
    if (source.size() > maxImageUrlBytes || !source.startsWith(prefix, Qt::CaseInsensitive))
        return false;
    const qsizetype end = source.indexOf(QRegularExpression(u"[;,]"_s), prefix.size());
    return end > 0 &&
           types.contains(source.sliced(prefix.size(), end - prefix.size()), Qt::CaseInsensitive);
}

QImage MessageDocument::decodeImage(const QString &source)
{
    if (!isAllowedImage(source))
        return {};
    const qsizetype comma = source.indexOf(u',');
    if (comma < 0)
        return {};
    const QStringView header = QStringView(source).first(comma);
    const QByteArray payload = QStringView(source).sliced(comma + 1).toLatin1();
    const QByteArray bytes = header.endsWith(u";base64"_s, Qt::CaseInsensitive)
                                 ? QByteArray::fromBase64(payload)
                                 : QByteArray::fromPercentEncoding(payload);
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    // The bytes must be what the URL says they are: a raster image.
    static const QList<QByteArray> raster = {"png", "jpeg", "gif", "bmp", "webp"};
    const QByteArray format = QImageReader::imageFormat(&buffer);
    if (!raster.contains(format))
        return {};
    QImageReader reader(&buffer, format);
    const QSize size = reader.size();
    if (!size.isValid() || size.width() > maxImageSide || size.height() > maxImageSide)
        return {};
    return reader.read();
}

QVariant MessageDocument::loadResource(int type, const QUrl &name)
{
    // Nothing else is ever loaded: no file, device, FIFO, network address or style sheet.
    if (type == QTextDocument::ImageResource) {
        if (const QImage image = decodeImage(name.toString()); !image.isNull()) {
            addResource(type, name, image); // decoded once, not at every layout
            return image;
        }
    }
    return {};
}

} // namespace Crosstalk
