// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/engineevent.h"

#include "jsonpath.h"
#include "samplesession.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

const QUuid sessionId = QUuid(u"6f1c2a4e-8b0d-4c3e-9a57-2d1e0f3b4c5d"_s);
const QUuid messageId = QUuid(u"0b7e3f52-1c4d-4e8a-b6f0-3a2d9c8e7f10"_s);

Message sampleMessage()
{
    return Samples::session(SessionStatus::Running, Samples::Optionals::Present).messages.at(5);
}

} // namespace

class TestEngineEvent : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<EngineEvent>("event");
        QTest::newRow("session.created")
            << EngineEvent::forSession(EngineEventType::SessionCreated, sessionId);
        QTest::newRow("session.updated")
            << EngineEvent::forSession(EngineEventType::SessionUpdated, sessionId);
        QTest::newRow("session.deleted")
            << EngineEvent::forSession(EngineEventType::SessionDeleted, sessionId);
        QTest::newRow("session.status") << EngineEvent::statusChanged(
            sessionId, SessionStatus::Running, SessionStatus::Paused, u"Token budget reached"_s);
        QTest::newRow("session.status without reason") << EngineEvent::statusChanged(
            sessionId, SessionStatus::Configured, SessionStatus::Running);
        QTest::newRow("message.started")
            << EngineEvent::forMessage(EngineEventType::MessageStarted, sampleMessage());
        QTest::newRow("message.delta") << EngineEvent::delta(sessionId, messageId, u"שלום 👋"_s);
        QTest::newRow("message.completed")
            << EngineEvent::forMessage(EngineEventType::MessageCompleted, sampleMessage());
        QTest::newRow("message.failed")
            << EngineEvent::forMessage(EngineEventType::MessageFailed, sampleMessage());
    }

    void roundTrip()
    {
        QFETCH(EngineEvent, event);
        const Parsed<EngineEvent> parsed = EngineEvent::fromJson(event.toJson());
        QVERIFY2(parsed, qPrintable(parsed.errors.value(0).toString()));
        QVERIFY(*parsed.value == event);
    }

    void statusForm()
    {
        const QJsonObject json =
            EngineEvent::statusChanged(sessionId, SessionStatus::Running, SessionStatus::Failed)
                .toJson();
        QCOMPARE(json, (QJsonObject{{u"event"_s, u"session.status"_s},
                                    {u"session_id"_s, sessionId.toString(QUuid::WithoutBraces)},
                                    {u"old"_s, u"running"_s},
                                    {u"new"_s, u"failed"_s},
                                    {u"reason"_s, QJsonValue()},
                                    {u"error_code"_s, QJsonValue()}}));
        // A failed model call says which kind of failure paused the session.
        const EngineEvent timedOut =
            EngineEvent::statusChanged(sessionId, SessionStatus::Running, SessionStatus::Paused,
                                       u"P1's reply failed"_s, ErrorCode::Timeout);
        QCOMPARE(timedOut.toJson()[u"error_code"_s].toString(), u"timeout"_s);
        QCOMPARE(*EngineEvent::fromJson(timedOut.toJson()).value, timedOut);
    }

    void deltaForm()
    {
        const QJsonObject json = EngineEvent::delta(sessionId, messageId, u"Hel"_s).toJson();
        QCOMPARE(json, (QJsonObject{{u"event"_s, u"message.delta"_s},
                                    {u"session_id"_s, sessionId.toString(QUuid::WithoutBraces)},
                                    {u"message_id"_s, messageId.toString(QUuid::WithoutBraces)},
                                    {u"text"_s, u"Hel"_s}}));
    }

    void messageEventsTakeTheMessagesSession()
    {
        const Message message = sampleMessage();
        const EngineEvent event = EngineEvent::forMessage(EngineEventType::MessageStarted, message);
        QCOMPARE(event.sessionId, message.sessionId);
        QCOMPARE(event.toJson().value(u"message"_s).toObject().value(u"seq"_s), QJsonValue(5));
    }

    void refusesInvalidEvents_data()
    {
        QTest::addColumn<QJsonObject>("json");
        QTest::addColumn<QString>("field");
        const QJsonObject status =
            EngineEvent::statusChanged(sessionId, SessionStatus::Running, SessionStatus::Paused)
                .toJson();
        const QJsonObject completed =
            EngineEvent::forMessage(EngineEventType::MessageCompleted, sampleMessage()).toJson();
        const QJsonObject delta = EngineEvent::delta(sessionId, messageId, u"x"_s).toJson();
        const QJsonValue absent(QJsonValue::Undefined);

        QTest::newRow("unknown event")
            << Testing::replaced(status, u"event", u"session.renamed"_s) << u"event"_s;
        QTest::newRow("no event") << Testing::replaced(status, u"event", absent) << u"event"_s;
        QTest::newRow("bad session id")
            << Testing::replaced(status, u"session_id", u"42"_s) << u"session_id"_s;
        QTest::newRow("unknown new status")
            << Testing::replaced(status, u"new", u"sleeping"_s) << u"new"_s;
        QTest::newRow("no old status") << Testing::replaced(status, u"old", absent) << u"old"_s;
        QTest::newRow("delta without text")
            << Testing::replaced(delta, u"text", absent) << u"text"_s;
        QTest::newRow("delta text a number") << Testing::replaced(delta, u"text", 3) << u"text"_s;
        QTest::newRow("delta field on a status event")
            << Testing::replaced(status, u"text", u"x"_s) << u"text"_s;
        QTest::newRow("message missing")
            << Testing::replaced(completed, u"message", absent) << u"message"_s;
        QTest::newRow("message broken")
            << Testing::replaced(completed, u"message.seq", -1) << u"message.seq"_s;
        QTest::newRow("message of another session")
            << Testing::replaced(completed, u"session_id", sessionId.toString(QUuid::WithoutBraces))
            << u"message.session_id"_s;
    }

    void refusesInvalidEvents()
    {
        QFETCH(QJsonObject, json);
        QFETCH(QString, field);
        const Parsed<EngineEvent> parsed = EngineEvent::fromJson(json);
        QVERIFY(!parsed);
        QStringList paths;
        for (const FieldError &error : parsed.errors) {
            paths.append(error.path);
        }
        QVERIFY2(paths.contains(field), qPrintable(paths.join(u", "_s)));
    }
};

QTEST_GUILESS_MAIN(TestEngineEvent)
#include "tst_engineevent.moc"
