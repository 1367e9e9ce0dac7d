// SPDX-License-Identifier: GPL-3.0-or-later
// QUALITY.md R11 in the window: text from models, people and imported files that names local
// files, devices and FIFOs, or holds raw HTML, shows as text and loads nothing; a very long
// message shows its beginning with Show all; titles and topics show as written in tooltips
// and message boxes.
#include "export/messagedocument.h"
#include "messagedelegate.h"
#include "sessionlistmodel.h"
#include "transcriptview.h"
#include "windowfixture.h"

#include <QBuffer>
#include <QDialog>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextDocument>

#include <sys/stat.h>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

class TestHostileText : public QObject
{
    Q_OBJECT

    WindowFixture f;
    QTemporaryDir m_files;
    QString m_picture; // a real PNG file: a plain QTextDocument would show it
    QString m_fifo;    // reading it would block the window for ever

    QUuid withMessages(const QStringList &texts)
    {
        const QUuid id = f.create(u"Hostile text"_s, 1);
        for (const QString &text : texts)
            if (f.engine->addHumanMessage(id, text, {}))
                return {};
        return id;
    }

    MessageDelegate *delegate() const
    {
        return f.window->findChild<TranscriptView *>()->messageDelegate();
    }

private slots:
    void initTestCase()
    {
        f.setUpCase();
        QVERIFY(m_files.isValid());
        m_picture = m_files.filePath(u"picture.png"_s);
        QImage image(8, 8, QImage::Format_RGB32);
        image.fill(Qt::blue);
        QVERIFY(image.save(m_picture));
        m_fifo = m_files.filePath(u"fifo"_s);
        QCOMPARE(::mkfifo(QFile::encodeName(m_fifo).constData(), 0600), 0);
    }
    void init() { f.setUp(); }
    void cleanup() { f.tearDown(); }
    void cleanupTestCase() { f.tearDownCase(); }

    void transcriptShowsTextAndLoadsNothing()
    {
        QImage dot(2, 2, QImage::Format_RGB32);
        dot.fill(Qt::red);
        QBuffer png;
        png.open(QIODevice::WriteOnly);
        dot.save(&png, "PNG");
        const QUuid id = withMessages({
            u"![a chart](%1) <img src=\"%1\"> <b>bold</b>"_s.arg(m_picture),
            u"![pipe](%1) and ![zero](/dev/zero) and <img src=\"/dev/zero\">"_s.arg(m_fifo),
            u"A dot: ![dot](data:image/png;base64,%1)"_s.arg(
                QString::fromLatin1(png.data().toBase64())),
        });
        QVERIFY(!id.isNull());
        f.openWindow();
        f.window->openSession(id);
        TranscriptModel *transcript = f.window->transcriptModel();
        QCOMPARE(transcript->rowCount(), 3);
        // Painting every row must neither block nor load a file.
        f.window->resize(1000, 2000);
        QVERIFY(!f.window->grab().isNull());
        QCOMPARE(delegate()->shownText(transcript->index(0)),
                 u"[a chart] <img src=\"%1\"> <b>bold</b>"_s.arg(m_picture));
        QCOMPARE(delegate()->shownText(transcript->index(1)),
                 u"[pipe] and [zero] and <img src=\"/dev/zero\">"_s);
        QCOMPARE(delegate()->shownText(transcript->index(2)), u"A dot: \uFFFC"_s);
    }

    void longMessageShowsItsBeginningWithShowAll()
    {
        QString text;
        for (int i = 0; text.size() < 300'000; ++i)
            text += u"Paragraph %1 with **stars** kept as typed.\n\n"_s.arg(i);
        const QUuid id = withMessages({u"short"_s, text});
        QVERIFY(!id.isNull());
        f.openWindow();
        f.window->openSession(id);
        const QModelIndex index = f.window->transcriptModel()->index(1);
        const QString shown = delegate()->shownText(index);
        QCOMPARE(shown.size(), 20'001);
        QVERIFY(shown.startsWith(u"Paragraph 0 with **stars** kept as typed."_s));
        QVERIFY(delegate()->showAllButtonRect(f.window->transcriptModel()->index(0)).isEmpty());

        // Scrolled to its end once the rows' heights are known, the button is in view.
        auto *view = f.window->findChild<TranscriptView *>();
        QRect button;
        QTRY_VERIFY([&] {
            view->verticalScrollBar()->setValue(view->verticalScrollBar()->maximum());
            button = delegate()->showAllButtonRect(index);
            return !button.isEmpty() && view->viewport()->rect().contains(button.center());
        }());
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, button.center());
        QDialog *whole = nullptr;
        QTRY_VERIFY((whole = f.window->findChild<QDialog *>(u"wholeMessage"_s)));
        QCOMPARE(whole->findChild<QPlainTextEdit *>()->toPlainText(), text);
        whole->close();
    }

    void titlesAndTopicsShowAsWritten()
    {
        const QString topic = u"<img src=\"%1\"> <b>Tides</b> & moons"_s.arg(m_picture);
        const QUuid id = f.create(topic, 1);
        QVERIFY(!id.isNull());
        f.openWindow();
        SessionListModel *list = f.window->sessionListModel();
        QCOMPARE(list->rowCount(), 1);
        // A tooltip that looks like HTML is rich text: the one given must render as the topic.
        QTextDocument tooltip;
        tooltip.setHtml(list->index(0).data(Qt::ToolTipRole).toString());
        QCOMPARE(tooltip.toPlainText(), topic);

        f.window->openSession(id);
        QString shown;
        Qt::TextFormat format = Qt::AutoText;
        QTimer::singleShot(0, this, [&] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                shown = box->text();
                format = box->textFormat();
                box->reject();
            }
        });
        f.action(u"&Delete Session…"_s)->trigger();
        QVERIFY2(shown.contains(u"<img src="_s), qPrintable(shown));
        QCOMPARE(format, Qt::PlainText);
        QVERIFY(f.engine->session(id)); // cancelled: still there
    }
};

QTEST_MAIN(TestHostileText)
#include "tst_hostiletext.moc"
