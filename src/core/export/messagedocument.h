// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QImage>
#include <QTextDocument>

namespace Crosstalk {

// A message's text laid out for the screen, safe for whatever a model, a person or an imported
// file wrote (QUALITY.md R11). A plain QTextDocument renders raw HTML from Markdown and loads
// any local path an image names — `/dev/zero` until memory runs out, a FIFO for ever. Here
// Markdown is read without raw HTML (it shows as text), and nothing is loaded but `data:`
// images within limits; any other image shows as its description in brackets, a link when it
// is on the web, as the HTML export shows it.
class MessageDocument : public QTextDocument
{
    Q_OBJECT

public:
    // Of the `data:` URL as written, and of the decoded image's sides.
    static constexpr qsizetype maxImageUrlBytes = 1024 * 1024;
    static constexpr int maxImageSide = 4096;

    explicit MessageDocument(QObject *parent = nullptr);

    void setMessageMarkdown(const QString &markdown);

    // Whether a document may ask for this image: a `data:` URL of a raster image type (PNG, JPEG,
    // GIF, BMP, WebP) within maxImageUrlBytes.
    static bool isAllowedImage(const QString &source);
    // The image a `data:` URL holds; null when it is not allowed, not a raster image (PNG, JPEG,
    // GIF, BMP, WebP), or larger than maxImageSide on a side (checked before it is decoded).
    static QImage decodeImage(const QString &source);

protected:
    QVariant loadResource(int type, const QUrl &name) override;
};

} // namespace Crosstalk
