// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/answers.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

Message answered(const QString &speaker, int round, int seq, const QString &answer)
{
    Message m;
    m.speaker = speaker;
    m.round = round;
    m.seq = seq;
    m.type = round == 0 ? MessageType::Opening : MessageType::Exchange;
    if (!answer.isEmpty())
        m.answer = answer;
    return m;
}

} // namespace

class TestAnswers : public QObject
{
    Q_OBJECT

private slots:
    void extract_data()
    {
        QTest::addColumn<QString>("content");
        QTest::addColumn<QString>("expected"); // empty: no answer
        QTest::newRow("plain") << u"Thinking.\nThe answer is 42."_s << u"42"_s;
        QTest::newRow("markdown bold") << u"So the answer is **42**."_s << u"42"_s;
        QTest::newRow("code and italics") << u"The answer is `_Paris_`!"_s << u"Paris"_s;
        QTest::newRow("case") << u"THE ANSWER IS yes"_s << u"yes"_s;
        QTest::newRow("last one wins")
            << u"First the answer is 3.\nOn reflection the answer is 4."_s << u"4"_s;
        QTest::newRow("to end of line")
            << u"The answer is 12 apples\nand more text"_s << u"12 apples"_s;
        QTest::newRow("thousands") << u"The answer is 1,234,567."_s << u"1234567"_s;
        QTest::newRow("trailing zero") << u"The answer is 42.0"_s << u"42"_s;
        QTest::newRow("decimal") << u"The answer is 3.1400"_s << u"3.14"_s;
        QTest::newRow("colon and spaces") << u"The answer is:   two   words ."_s << u"two words"_s;
        QTest::newRow("quoted") << u"The answer is \"blue\"."_s << u"blue"_s;
        QTest::newRow("none") << u"I am not sure yet."_s << QString();
        QTest::newRow("empty after marker") << u"The answer is ..."_s << QString();
    }

    void extract()
    {
        QFETCH(QString, content);
        QFETCH(QString, expected);
        const auto answer = Answers::extract(content);
        if (expected.isEmpty())
            QCOMPARE(answer, std::nullopt);
        else
            QCOMPARE(answer, expected);
    }

    void compareCaseInsensitively()
    {
        QCOMPARE(Answers::key(u"Paris"_s), Answers::key(u"PARIS"_s));
    }

    void confidence_data()
    {
        QTest::addColumn<QStringList>("answers");
        QTest::addColumn<double>("expected"); // -1: undefined
        QTest::newRow("one answer") << QStringList{u"4"_s} << -1.0;
        QTest::newRow("changed mind") << QStringList{u"4"_s, u"5"_s} << 0.5;
        QTest::newRow("consistent") << QStringList{u"4"_s, u"4"_s} << 1.0;
        QTest::newRow("two of three") << QStringList{u"4"_s, u"5"_s, u"5"_s} << 2.0 / 3.0;
        QTest::newRow("case-insensitive") << QStringList{u"Yes"_s, u"yes"_s} << 1.0;
    }

    void confidence()
    {
        QFETCH(QStringList, answers);
        QFETCH(double, expected);
        const auto value = Answers::confidence(answers);
        if (expected < 0)
            QCOMPARE(value, std::nullopt);
        else
            QCOMPARE(*value, expected);
    }

    void majorityUsesLatestAnswers()
    {
        Session s;
        s.messages = {answered(u"A"_s, 0, 0, u"1"_s), answered(u"B"_s, 0, 1, u"2"_s),
                      answered(u"C"_s, 0, 2, u"2"_s), answered(u"A"_s, 1, 3, u"2"_s),
                      answered(u"B"_s, 1, 4, u"3"_s), answered(u"C"_s, 1, 5, QString())};
        // Latest: A 2, B 3, C 2 (its round-1 message has no answer and does not vote).
        QCOMPARE(Answers::majority(s), (Result{u"2"_s, 2}));
    }

    void tieGoesToTheEarliestAnswer()
    {
        Session s;
        s.messages = {answered(u"A"_s, 0, 0, u"x"_s), answered(u"B"_s, 0, 1, u"y"_s)};
        QCOMPARE(Answers::majority(s), (Result{u"x"_s, 1}));
        s.messages = {answered(u"A"_s, 0, 0, u"y"_s), answered(u"B"_s, 0, 1, u"x"_s)};
        QCOMPARE(Answers::majority(s), (Result{u"y"_s, 1}));
    }

    void noAnswersNoResult()
    {
        Session s;
        s.messages = {answered(u"A"_s, 0, 0, QString())};
        QCOMPARE(Answers::majority(s), std::nullopt);
        QVERIFY(!Answers::unanimous(s, 0));
    }

    void unanimity()
    {
        Session s;
        s.messages = {answered(u"A"_s, 0, 0, u"7"_s), answered(u"B"_s, 0, 1, u"7"_s),
                      answered(u"C"_s, 0, 2, QString()), answered(u"A"_s, 1, 3, u"7"_s),
                      answered(u"B"_s, 1, 4, u"8"_s)};
        QVERIFY(Answers::unanimous(s, 0)); // C gave none: it does not block agreement
        QVERIFY(!Answers::unanimous(s, 1));
    }
};

QTEST_GUILESS_MAIN(TestAnswers)
#include "tst_answers.moc"
