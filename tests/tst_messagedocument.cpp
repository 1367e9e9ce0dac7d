// SPDX-License-Identifier: GPL-3.0-or-later
// QUALITY.md R11 at the root: a message's text as the window lays it out. Raw HTML shows as
// text, and the document asks for no resource but small `data:` images, whatever the text
// names: local files, devices, FIFOs, web addresses.
#include "export/messagedocument.h"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QPainter>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>

#include <sys/stat.h>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

// Records every resource the document asks for, then answers as MessageDocument does.
class WatchedDocument : public MessageDocument
{
public:
    QStringList asked;

protected:
    QVariant loadResource(int type, const QUrl &name) override
    {
        asked << name.toString();
        return MessageDocument::loadResource(type, name);
    }
};

QString pngDataUrl(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(Qt::red);
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return u"data:image/png;base64,"_s + QString::fromLatin1(buffer.data().toBase64());
}

// Lays the document out and paints it, as the transcript does.
void paint(QTextDocument &document)
{
    document.setTextWidth(400);
    QImage canvas(400, 300, QImage::Format_ARGB32);
    QPainter painter(&canvas);
    QAbstractTextDocumentLayout::PaintContext context;
    context.clip = QRectF(0, 0, 400, 300);
    document.documentLayout()->draw(&painter, context);
}

int images(const QTextDocument &document)
{
    int count = 0;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next())
        for (auto it = block.begin(); !it.atEnd(); ++it)
            count += it.fragment().charFormat().isImageFormat();
    return count;
}

} // namespace

class TestMessageDocument : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_picture; // a real PNG file
    QString m_fifo;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_picture = m_dir.filePath(u"picture.png"_s);
        QImage image(8, 8, QImage::Format_RGB32);
        image.fill(Qt::blue);
        QVERIFY(image.save(m_picture));
        m_fifo = m_dir.filePath(u"fifo"_s);
        QCOMPARE(::mkfifo(QFile::encodeName(m_fifo).constData(), 0600), 0);
    }

    void imagesThatAreNotLoaded_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QString>("shown");
        QTest::addColumn<QString>("link");
        QTest::newRow("a local file")
            << u"See ![a chart](%1) here."_s << u"See [a chart] here."_s << QString();
        QTest::newRow("a file URL") << u"![x](file://%1)"_s << u"[x]"_s << QString();
        QTest::newRow("a device") << u"![zero](/dev/zero)"_s << u"[zero]"_s << QString();
        QTest::newRow("a FIFO") << u"![pipe](%2)"_s << u"[pipe]"_s << QString();
        // Qt's Markdown reader makes no image without a description.
        QTest::newRow("no description") << u"![](%1)"_s << QString() << QString();
        QTest::newRow("on the web") << u"![a cat](https://example.com/cat.png)"_s << u"[a cat]"_s
                                    << u"https://example.com/cat.png"_s;
        QTest::newRow("an SVG data URL")
            << u"![svg](data:image/svg+xml;base64,PHN2Zy8+)"_s << u"[svg]"_s << QString();
        QTest::newRow("a data URL that is not an image")
            << u"![t](data:text/plain,hello)"_s << u"[t]"_s << QString();
        QTest::newRow("a data URL over 1 MiB")
            << u"![big](data:image/png;base64,"_s + QString(1024 * 1024, u'A') + u")"_s
            << u"[big]"_s << QString();
    }

    void imagesThatAreNotLoaded()
    {
        QFETCH(QString, markdown);
        QFETCH(QString, shown);
        QFETCH(QString, link);
        WatchedDocument document;
        document.setMessageMarkdown(markdown.arg(m_picture, m_fifo));
        paint(document);
        QCOMPARE(document.toPlainText(), shown);
        QCOMPARE(images(document), 0);
        QVERIFY2(document.asked.isEmpty(), qPrintable(document.asked.join(u", "_s).left(200)));
        // The description is a link when the image is on the web.
        if (!shown.isEmpty()) {
            QTextCursor cursor(&document);
            cursor.setPosition(int(shown.indexOf(u'[')) + 1);
            QCOMPARE(cursor.charFormat().anchorHref(), link);
        }
    }

    void smallDataImagesAreShown()
    {
        const QString url = pngDataUrl(3, 2);
        WatchedDocument document;
        document.setMessageMarkdown(u"A dot: ![dot](%1)"_s.arg(url));
        paint(document);
        QCOMPARE(images(document), 1);
        QCOMPARE(document.asked, QStringList{url});
        const QImage image =
            document.resource(QTextDocument::ImageResource, QUrl(url)).value<QImage>();
        QCOMPARE(image.size(), QSize(3, 2));
    }

    void imagesLargerThanTheLimitAreNotDecoded()
    {
        QVERIFY(!MessageDocument::decodeImage(pngDataUrl(4096, 1)).isNull());
        QVERIFY(MessageDocument::decodeImage(pngDataUrl(4097, 1)).isNull());
        QVERIFY(MessageDocument::decodeImage(pngDataUrl(1, 4097)).isNull());
        QVERIFY(MessageDocument::decodeImage(u"data:image/png;base64,bm90IGFuIGltYWdl"_s).isNull());
        QVERIFY(MessageDocument::decodeImage(m_picture).isNull());
    }

    void rawHtmlShowsAsText_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::newRow("an image tag") << u"<img src=\"/dev/zero\">"_s;
        QTest::newRow("a span") << u"Some <b>bold</b> and <span style=\"color:red\">red</span>"_s;
        QTest::newRow("a block") << u"<div style=\"font-size:200px\">HUGE</div>"_s;
        QTest::newRow("a script") << u"<script>alert(1)</script>"_s;
        QTest::newRow("a style sheet") << u"<link rel=\"stylesheet\" href=\"/dev/zero\">"_s;
    }

    void rawHtmlShowsAsText()
    {
        QFETCH(QString, markdown);
        WatchedDocument document;
        document.setMessageMarkdown(markdown);
        paint(document);
        QVERIFY2(document.toPlainText().contains(u'<'), qPrintable(document.toPlainText()));
        QVERIFY(document.toPlainText().contains(u'>'));
        QCOMPARE(images(document), 0);
        QVERIFY(document.asked.isEmpty());
    }

    void markdownStillRenders()
    {
        MessageDocument document;
        document.setMessageMarkdown(
            u"**bold** and [a link](https://example.com)\n\n- one\n- two"_s);
        QCOMPARE(document.toPlainText(), u"bold and a link\none\ntwo"_s);
        QTextCursor cursor(&document);
        cursor.setPosition(2);
        QVERIFY(cursor.charFormat().fontWeight() > QFont::Normal);
    }
};

QTEST_MAIN(TestMessageDocument)
#include "tst_messagedocument.moc"
