// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/oldtooljson.h"

#include "samplesession.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

// 2026-11-25T14:03:07.125Z in epoch seconds.
constexpr double sampleEpoch = 1795615387.125;

} // namespace

class TestOldToolJson : public QObject
{
    Q_OBJECT

private slots:
    void sampleTimeIsTheExpectedEpoch()
    {
        QCOMPARE(Samples::time().toMSecsSinceEpoch(), qint64(sampleEpoch * 1000));
    }

    void messageFields()
    {
        const Session session =
            Samples::session(SessionStatus::Completed, Samples::Optionals::Present);
        const Message &message = session.messages.at(1);
        const QJsonObject legacy = OldToolJson::message(message, session);

        QCOMPARE(legacy.keys().size(), 7);
        QCOMPARE(legacy.value(u"speaker"_s).toString(), u"נועה"_s);
        QCOMPARE(legacy.value(u"listener"_s).toString(), u"all"_s);
        QCOMPARE(legacy.value(u"content"_s).toString(), u"כן, זה 42. نعم."_s);
        QCOMPARE(legacy.value(u"iteration"_s), QJsonValue(0));
        QCOMPARE(legacy.value(u"timestamp"_s).toDouble(), sampleEpoch + 1.0);
        QCOMPARE(legacy.value(u"confidence"_s), QJsonValue(0.5));
        QCOMPARE(legacy.value(u"message_type"_s).toString(), u"opening"_s);
    }

    void messageWithoutConfidenceHasNull()
    {
        const Session session =
            Samples::session(SessionStatus::Completed, Samples::Optionals::Absent);
        const QJsonObject legacy = OldToolJson::message(session.messages.at(7), session);
        QVERIFY(legacy.contains(u"confidence"_s));
        QVERIFY(legacy.value(u"confidence"_s).isNull());
        QCOMPARE(legacy.value(u"iteration"_s), QJsonValue(2));
        QCOMPARE(legacy.value(u"message_type"_s).toString(), u"verdict"_s);
    }

    void listener_data()
    {
        QTest::addColumn<QString>("speaker");
        QTest::addColumn<QStringList>("recipients");
        QTest::addColumn<QString>("listener");
        QTest::newRow("everyone else")
            << u"Ada"_s << QStringList{u"נועה"_s, u"Judge 🧑‍⚖️"_s} << u"all"_s;
        QTest::newRow("everyone, speaker included")
            << u"Ada"_s << QStringList{u"Ada"_s, u"נועה"_s, u"Judge 🧑‍⚖️"_s} << u"all"_s;
        QTest::newRow("human to everyone")
            << u"human"_s << QStringList{u"Ada"_s, u"נועה"_s, u"Judge 🧑‍⚖️"_s} << u"all"_s;
        QTest::newRow("human to some")
            << u"human"_s << QStringList{u"Ada"_s, u"נועה"_s} << u"Ada, נועה"_s;
        QTest::newRow("one") << u"Ada"_s << QStringList{u"Judge 🧑‍⚖️"_s}
                             << u"Judge 🧑‍⚖️"_s;
        QTest::newRow("nobody") << u"Ada"_s << QStringList() << QString();
    }

    void listener()
    {
        QFETCH(QString, speaker);
        QFETCH(QStringList, recipients);
        QFETCH(QString, listener);
        const Session session =
            Samples::session(SessionStatus::Completed, Samples::Optionals::Absent);
        Message message = session.messages.at(0);
        message.speaker = speaker;
        message.recipients = recipients;
        const QJsonValue written = OldToolJson::message(message, session).value(u"listener"_s);
        QVERIFY(written.isString()); // the old format always has the key
        QCOMPARE(written.toString(), listener);
    }

    void fileFields()
    {
        const Session session =
            Samples::session(SessionStatus::Completed, Samples::Optionals::Present);
        const QJsonObject file = OldToolJson::file(session);

        QStringList keys = file.keys();
        keys.sort();
        QCOMPARE(keys, (QStringList{u"conversation"_s, u"duration_seconds"_s, u"iterations"_s,
                                    u"message_count"_s, u"models"_s, u"paradigm"_s, u"session_id"_s,
                                    u"timestamp"_s, u"topic"_s}));
        QCOMPARE(file.value(u"session_id"_s).toString(), session.id.toString(QUuid::WithoutBraces));
        QCOMPARE(file.value(u"timestamp"_s).toDouble(), sampleEpoch + 60.0);
        QCOMPARE(file.value(u"models"_s).toArray(), (QJsonArray{u"big"_s, u"demo"_s, u"small"_s}));
        QCOMPARE(file.value(u"paradigm"_s).toString(), u"debate"_s);
        QCOMPARE(file.value(u"iterations"_s), QJsonValue(3));
        QCOMPARE(file.value(u"topic"_s).toString(), session.topic);
        // From the first message's start (seq 0, offset 0 s) to the end of the last
        // (seq 7 starts at 7 s and lasts 907 ms).
        QCOMPARE(file.value(u"duration_seconds"_s).toDouble(), 7.907);
        QCOMPARE(file.value(u"message_count"_s), QJsonValue(8));
        const QJsonArray conversation = file.value(u"conversation"_s).toArray();
        QCOMPARE(conversation.size(), 8);
        for (qsizetype i = 0; i < conversation.size(); ++i) {
            QCOMPARE(conversation.at(i).toObject(),
                     OldToolJson::message(session.messages.at(i), session));
        }
    }

    void durationWithoutMessagesIsZero()
    {
        Session session = Samples::session(SessionStatus::Configured, Samples::Optionals::Absent);
        session.messages.clear();
        QCOMPARE(OldToolJson::durationSeconds(session), 0.0);
    }

    void statusName_data()
    {
        QTest::addColumn<SessionStatus>("status");
        QTest::addColumn<QString>("name");
        QTest::newRow("configured") << SessionStatus::Configured << u"configured"_s;
        QTest::newRow("running") << SessionStatus::Running << u"running"_s;
        QTest::newRow("paused") << SessionStatus::Paused << u"paused"_s;
        QTest::newRow("completed") << SessionStatus::Completed << u"completed"_s;
        QTest::newRow("failed") << SessionStatus::Failed << u"error"_s;
        QTest::newRow("cancelled") << SessionStatus::Cancelled << u"cancelled"_s;
        QTest::newRow("interrupted") << SessionStatus::Interrupted << u"interrupted"_s;
    }

    void statusName()
    {
        QFETCH(SessionStatus, status);
        QFETCH(QString, name);
        QCOMPARE(OldToolJson::statusName(status), name);
    }

    void statusFields()
    {
        const Session session = Samples::session(SessionStatus::Failed, Samples::Optionals::Absent);
        const QJsonObject status = OldToolJson::status(session);
        QStringList keys = status.keys();
        keys.sort();
        QCOMPARE(keys, (QStringList{u"created_at"_s, u"current_iteration"_s, u"iterations"_s,
                                    u"message_count"_s, u"models"_s, u"paradigm"_s, u"session_id"_s,
                                    u"status"_s}));
        QCOMPARE(status.value(u"session_id"_s).toString(),
                 session.id.toString(QUuid::WithoutBraces));
        QCOMPARE(status.value(u"status"_s).toString(), u"error"_s);
        QCOMPARE(status.value(u"models"_s).toArray(),
                 (QJsonArray{u"big"_s, u"demo"_s, u"small"_s}));
        QCOMPARE(status.value(u"paradigm"_s).toString(), u"debate"_s);
        QCOMPARE(status.value(u"iterations"_s), QJsonValue(3));
        QCOMPARE(status.value(u"current_iteration"_s), QJsonValue(1));
        QCOMPARE(status.value(u"message_count"_s), QJsonValue(8));
        QCOMPARE(status.value(u"created_at"_s).toDouble(), sampleEpoch);
    }
};

QTEST_GUILESS_MAIN(TestOldToolJson)
#include "tst_oldtooljson.moc"
