// SPDX-License-Identifier: GPL-3.0-or-later
// QUALITY.md R11: arbitrary text — Markdown, raw HTML, image and link syntax naming files,
// devices and addresses — laid out and painted as the transcript shows a message. The
// document may ask for nothing but a `data:` image that MessageDocument allows; any other
// request is a finding.
#include "export/messagedocument.h"
#include "fuzzsupport.h"

#include <QAbstractTextDocumentLayout>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>

using namespace Crosstalk;

namespace {

class GuardedDocument : public MessageDocument
{
protected:
    QVariant loadResource(int type, const QUrl &name) override
    {
        if (type != QTextDocument::ImageResource || !isAllowedImage(name.toString()))
            Fuzz::fail("the transcript's document asked for a resource it must not load");
        return MessageDocument::loadResource(type, name);
    }
};

void ensureGuiApplication()
{
    static int argc = 1;
    static char name[] = "crosstalk-fuzz";
    static char *argv[] = {name, nullptr};
    qputenv("QT_QPA_PLATFORM", "offscreen");
    static QGuiApplication app(argc, argv);
    qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &) {});
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ensureGuiApplication();
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    GuardedDocument document;
    document.setMessageMarkdown(text);
    document.setTextWidth(320);
    QImage canvas(320, 240, QImage::Format_ARGB32_Premultiplied);
    QPainter painter(&canvas);
    QAbstractTextDocumentLayout::PaintContext context;
    context.clip = QRectF(0, 0, 320, 240);
    document.documentLayout()->draw(&painter, context);
    return 0;
}
