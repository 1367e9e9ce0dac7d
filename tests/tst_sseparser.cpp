// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/sseparser.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

SseEvent sse(const QString &data, const QString &type = u"message"_s, const QString &id = QString(),
             std::optional<int> retry = std::nullopt)
{
    SseEvent e;
    e.type = type;
    e.data = data;
    e.lastEventId = id;
    e.retryMs = retry;
    return e;
}

QList<SseEvent> feedInPieces(const QByteArray &stream, const QList<qsizetype> &cuts)
{
    SseParser parser;
    QList<SseEvent> events;
    qsizetype from = 0;
    for (qsizetype cut : cuts) {
        events += parser.feed(QByteArrayView(stream).sliced(from, cut - from));
        from = cut;
    }
    events += parser.feed(QByteArrayView(stream).sliced(from));
    return events;
}

} // namespace

Q_DECLARE_METATYPE(Crosstalk::SseParser::Limit)

class TestSseParser : public QObject
{
    Q_OBJECT

private slots:
    void splitAnywhere_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QList<SseEvent>>("expected");

        QTest::newRow("lf") << "data: one\n\ndata: two\n\n"_ba
                            << QList{sse(u"one"_s), sse(u"two"_s)};
        QTest::newRow("crlf") << "data: one\r\n\r\ndata: two\r\n\r\n"_ba
                              << QList{sse(u"one"_s), sse(u"two"_s)};
        QTest::newRow("cr") << "data: one\r\rdata: two\r\r"_ba
                            << QList{sse(u"one"_s), sse(u"two"_s)};
        QTest::newRow("mixed line ends")
            << "data: a\r\ndata: b\rdata: c\n\r\n"_ba << QList{sse(u"a\nb\nc"_s)};
        QTest::newRow("multi-line data") << "data: first\ndata: second\ndata\ndata: \n\n"_ba
                                         << QList{sse(u"first\nsecond\n\n"_s)};
        QTest::newRow("comments and keep-alives")
            << ": keep-alive\n\n:another\ndata: x\n: inside\n\n"_ba << QList{sse(u"x"_s)};
        QTest::newRow("only one space dropped") << "data:no space\n\ndata:  two spaces\n\n"_ba
                                                << QList{sse(u"no space"_s), sse(u" two spaces"_s)};
        QTest::newRow("event type and id")
            << "event: content_block_delta\nid: 7\ndata: {}\n\ndata: after\n\n"_ba
            << QList{sse(u"{}"_s, u"content_block_delta"_s, u"7"_s),
                     sse(u"after"_s, u"message"_s, u"7"_s)};
        QTest::newRow("retry digits only")
            << "retry: 1500\ndata: a\n\nretry: 1x\ndata: b\n\n"_ba
            << QList{sse(u"a"_s, u"message"_s, {}, 1500), sse(u"b"_s)};
        QTest::newRow("event without data is not dispatched")
            << "event: ping\n\ndata: real\n\n"_ba << QList{sse(u"real"_s)};
        QTest::newRow("unknown fields ignored")
            << "foo: bar\ndata: x\nbaz\n\n"_ba << QList{sse(u"x"_s)};
        QTest::newRow("utf8 multibyte") << "data: h\xC3\xA9llo \xF0\x9F\x98\x80 \xE2\x82\xAC\n\n"_ba
                                        << QList{sse(u"héllo 😀 €"_s)};
        QTest::newRow("bom at start") << "\xEF\xBB\xBF"
                                         "data: x\n\n"_ba
                                      << QList{sse(u"x"_s)};
        QTest::newRow("done sentinel is data") << "data: {\"a\":1}\n\ndata: [DONE]\n\n"_ba
                                               << QList{sse(u"{\"a\":1}"_s), sse(u"[DONE]"_s)};
        QTest::newRow("incomplete last event discarded")
            << "data: whole\n\ndata: half"_ba << QList{sse(u"whole"_s)};
        QTest::newRow("id with NUL ignored") << "id: a\0b\ndata: x\n\n"_ba << QList{sse(u"x"_s)};
    }

    void splitAnywhere()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QList<SseEvent>, expected);
        QCOMPARE(feedInPieces(stream, {}), expected);
        for (qsizetype cut = 1; cut < stream.size(); ++cut)
            QCOMPARE(feedInPieces(stream, {cut}), expected);
        // Three pieces, every pair of cut points: a line end or character split twice.
        for (qsizetype a = 1; a < stream.size(); ++a)
            for (qsizetype b = a + 1; b < stream.size(); ++b)
                QCOMPARE(feedInPieces(stream, {a, b}), expected);
        QList<qsizetype> everyByte;
        for (qsizetype i = 1; i < stream.size(); ++i)
            everyByte << i;
        QCOMPARE(feedInPieces(stream, everyByte), expected);
    }

    void trailingCrWaitsForItsLf()
    {
        SseParser parser;
        QCOMPARE(parser.feed("data: x\r"), QList<SseEvent>());
        // The LF completes the CRLF of the data line; it is not a blank line of its own.
        QCOMPARE(parser.feed("\n"), QList<SseEvent>());
        QCOMPARE(parser.feed("\r\n"), QList{sse(u"x"_s)});
    }

    void invalidUtf8BecomesReplacementCharacters()
    {
        SseParser parser;
        const QList<SseEvent> events = parser.feed("data: a\xFF"
                                                   "b\n\n");
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().data, u"a\uFFFDb"_s);
    }

    void reportsIncompleteEventAtEnd()
    {
        SseParser parser;
        parser.feed("data: x\n");
        QVERIFY(parser.hasIncompleteEvent());
        parser.feed("\n");
        QVERIFY(!parser.hasIncompleteEvent());
        parser.feed("data: y");
        QVERIFY(parser.hasIncompleteEvent());
    }

    // QUALITY.md R13: one endless line, or an event of endless data lines, must not take all
    // memory. Fed in pieces of `chunk` bytes; what reached the bound fails, what did not passes,
    // the events before it are still delivered, and the parser keeps nothing afterwards.
    void limits_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<qsizetype>("chunk");
        QTest::addColumn<SseParser::Limit>("limit");
        const qsizetype maxLine = SseParser::maxLineBytes;
        const QByteArray first = "data: first\n\n";
        // A line of exactly the bound, counted without its line end, is still a line.
        const QByteArray fullLine = "data:" + QByteArray(maxLine - 5, 'x');
        QByteArray eventAtBound;
        QByteArray eventPastBound;
        for (int i = 0; i < 16; ++i) {
            eventAtBound += "data:" + QByteArray(64 * 1024 - 1, 'y') + '\n';
            eventPastBound += "data:" + QByteArray(64 * 1024, 'y') + '\n';
        }
        for (qsizetype chunk : {qsizetype(1000), qsizetype(64 * 1024), qsizetype(8 << 20)}) {
            QTest::addRow("line at the bound, chunks of %lld", qlonglong(chunk))
                << first + fullLine + "\n\n"
                << chunk << SseParser::Limit::None;
            QTest::addRow("line one byte past the bound, chunks of %lld", qlonglong(chunk))
                << first + fullLine + "x\n\n"
                << chunk << SseParser::Limit::Line;
            QTest::addRow("line past the bound without its end, chunks of %lld", qlonglong(chunk))
                << first + fullLine + "xx" << chunk << SseParser::Limit::Line;
            QTest::addRow("comment past the bound, chunks of %lld", qlonglong(chunk))
                << first + ':' + fullLine + "\n\n"
                << chunk << SseParser::Limit::Line;
            QTest::addRow("event at the bound, chunks of %lld", qlonglong(chunk))
                << first + eventAtBound + '\n'
                << chunk << SseParser::Limit::None;
            QTest::addRow("event past the bound, chunks of %lld", qlonglong(chunk))
                << first + eventPastBound + '\n'
                << chunk << SseParser::Limit::Event;
        }
    }

    void limits()
    {
        QFETCH(QByteArray, stream);
        QFETCH(qsizetype, chunk);
        QFETCH(SseParser::Limit, limit);
        SseParser parser;
        QList<SseEvent> events;
        for (qsizetype from = 0; from < stream.size(); from += chunk)
            events += parser.feed(
                QByteArrayView(stream).sliced(from).first(qMin(chunk, stream.size() - from)));
        QCOMPARE(parser.exceededLimit(), limit);
        QCOMPARE(events.value(0), sse(u"first"_s));
        if (limit == SseParser::Limit::None) {
            QCOMPARE(events.size(), 2);
            QVERIFY(events.at(1).data.size() >= SseParser::maxEventBytes - 16);
            return;
        }
        QCOMPARE(events.size(), 1);
        // Nothing is kept, and nothing more is read.
        QCOMPARE(parser.bufferedBytes(), qsizetype(0));
        QVERIFY(parser.feed("data: later\n\n").isEmpty());
        QCOMPARE(parser.bufferedBytes(), qsizetype(0));
    }
};

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
