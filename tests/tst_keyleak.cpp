// SPDX-License-Identifier: GPL-3.0-or-later
// QUALITY.md R9 and R12 for the provider layer: a recognisable key, used through succeeding
// and failing calls and listings — including servers that echo it back, whole or in pieces, at
// any position of messages of any length — appears in no error, request record, reply text or
// log line, not even an 8-character piece of it.
#include "chatcalltest.h"
#include "fakellmserver.h"

#include "llm/chatclient.h"
#include "llm/keyredaction.h"
#include "llm/modellisting.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Testing;
using Crosstalk::Fake::FakeLlmServer;
using Crosstalk::Fake::FaultRule;

namespace {

// No word of ordinary output ("crosstalk", a model name) is 8 characters of it: any such
// piece found in an output is a leak.
const QString kKey = u"sk-proj-LEAKCHECK-8d41f07b3e9a26c5"_s;

QStringList g_logLines;

// The first piece of kMinKeyPiece characters of the key in `text`, or an empty string.
QString keyPieceIn(QStringView text)
{
    for (qsizetype i = 0; i + KeyRedaction::kMinKeyPiece <= kKey.size(); ++i) {
        const QStringView piece = QStringView(kKey).sliced(i, KeyRedaction::kMinKeyPiece);
        if (text.contains(piece))
            return piece.toString();
    }
    return {};
}

// Where a long message puts the key or a piece of it: `padding` dots first, so that a cut at
// a fixed length can fall anywhere in the piece.
struct Echo
{
    int padding = 0;
    int from = 0;
    int length = 0;

    QString text() const
    {
        return QString(padding, u'.') + kKey.mid(from, length) + u" is not a valid key."_s;
    }
};

// Every way a message of the client's cut length `cut` can hold the key: whole, with the cut
// at each of its characters; and each piece of 8 and of 11 characters, across the cut and
// well before it.
void addEchoRows(const QString &kind, int cut)
{
    const auto length = int(kKey.size());
    for (int at = 0; at <= length; ++at) {
        QTest::addRow("%s, whole key, cut after %d of its characters", qPrintable(kind), at)
            << kind << Echo{cut - at, 0, length};
    }
    for (int from = 0; from + 8 <= length; ++from) {
        for (int pieceLength : {8, 11}) {
            if (from + pieceLength > length)
                continue;
            QTest::addRow("%s, %d characters from %d, across the cut", qPrintable(kind),
                          pieceLength, from)
                << kind << Echo{cut - pieceLength / 2, from, pieceLength};
            QTest::addRow("%s, %d characters from %d, before the cut", qPrintable(kind),
                          pieceLength, from)
                << kind << Echo{cut / 3, from, pieceLength};
        }
    }
}

void captureMessages(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_logLines.append(message);
}

ChatRequest question()
{
    ChatRequest request;
    request.system = u"You are Alice."_s;
    request.turns = {{ChatTurn::Role::User, u"Topic: secrets."_s}};
    return request;
}

QByteArray echoingKeyBody()
{
    return "{\"error\":{\"message\":\"Incorrect API key provided: " + kKey.toUtf8() +
           ". You can find your API key at https://example.invalid.\",\"type\":"
           "\"invalid_request_error\",\"code\":\"invalid_api_key\"}}";
}

} // namespace

Q_DECLARE_METATYPE(Echo)

class TestKeyLeak : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<FakeLlmServer> m_server;
    std::unique_ptr<ChatClient> m_client;
    QtMessageHandler m_previousHandler = nullptr;

    ModelConfig model(const QString &kind) const
    {
        ModelConfig m;
        m.alias = u"big"_s;
        m.kind = kind == u"anthropic"_s ? ApiKind::Anthropic : ApiKind::OpenAI;
        m.modelId = m.kind == ApiKind::Anthropic ? u"claude-sonnet-4-5"_s : u"gpt-4o"_s;
        m.baseUrl = m_server->baseUrl().resolved(QUrl(u"/v1"_s));
        if (kind == u"azure"_s) {
            m.baseUrl = m_server->baseUrl().resolved(QUrl(u"/openai/deployments/prod"_s));
            m.azureApiVersion = u"2024-10-21"_s;
        }
        return m;
    }

    // Everything a call lets out, as text.
    static QStringList outputsOf(ChatCall *call, const CallLog &log)
    {
        QStringList outputs = {call->text(),
                               QString::fromUtf8(QJsonDocument(call->requestRecord()).toJson())};
        outputs += log.deltas;
        for (const CallError &error : log.failures + log.retryReasons)
            outputs.append(error.message);
        return outputs;
    }

    static void verifyNoKey(const QStringList &outputs)
    {
        for (const QString &output : outputs)
            QVERIFY2(keyPieceIn(output).isEmpty(), qPrintable(output));
        for (const QString &line : std::as_const(g_logLines))
            QVERIFY2(keyPieceIn(line).isEmpty(), qPrintable(line));
    }

private slots:
    void initTestCase() { m_previousHandler = qInstallMessageHandler(captureMessages); }

    void cleanupTestCase() { qInstallMessageHandler(m_previousHandler); }

    void init()
    {
        m_server = std::make_unique<FakeLlmServer>();
        QVERIFY(m_server->listen());
        m_client = std::make_unique<ChatClient>();
        CallTiming timing = fastTiming();
        timing.inactivityTimeout = std::chrono::milliseconds(150);
        m_client->setTiming(timing);
        g_logLines.clear();
    }

    void cleanup()
    {
        m_client.reset();
        m_server.reset();
    }

    void calls_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("faultSpec");
        QTest::addColumn<bool>("succeeds");
        for (const QString &kind : {u"openai"_s, u"anthropic"_s, u"azure"_s}) {
            for (const QString &faultSpec :
                 {QString(), u"401"_s, u"500"_s, u"429:0"_s, u"stream-error:2"_s, u"malformed:1"_s,
                  u"reset:2"_s, u"truncate:2"_s, u"stall:1"_s, u"close"_s}) {
                const QString name = faultSpec.isEmpty() ? u"success"_s : faultSpec;
                QTest::addRow("%s, %s", qPrintable(kind), qPrintable(name))
                    << kind << faultSpec << faultSpec.isEmpty();
            }
        }
    }

    void calls()
    {
        QFETCH(QString, kind);
        QFETCH(QString, faultSpec);
        QFETCH(bool, succeeds);
        if (!faultSpec.isEmpty()) {
            QString error;
            m_server->addFaultRule(*FaultRule::parse(faultSpec, &error));
        }
        CallLog log;
        ChatCall *call = m_client->createCall(model(kind), kKey, question(), this);
        record(call, &log);
        call->start();
        QTRY_VERIFY_WITH_TIMEOUT(log.done(), 5000);
        QCOMPARE(log.finished == 1, succeeds);

        // The key did travel — to the server, in its header, and nowhere else.
        const Fake::RecordedRequest r = m_server->requests().first();
        QVERIFY(r.headers
                    .value(kind == u"anthropic"_s ? "x-api-key"
                           : kind == u"azure"_s   ? "api-key"
                                                  : "authorization")
                    .contains(kKey.toUtf8()));
        QVERIFY(!r.body.contains(kKey.toUtf8()));
        if (faultSpec == u"401"_s)
            QVERIFY2(log.failure().message.contains(u"Incorrect API key provided: [key removed]"_s),
                     qPrintable(log.failure().message));
        verifyNoKey(outputsOf(call, log));
    }

    void connectionRefused()
    {
        ModelConfig m = model(u"openai"_s);
        QUrl url = m.baseUrl;
        url.setPort(FakeLlmServer::closedPort());
        m.baseUrl = url;
        CallLog log;
        ChatCall *call = m_client->createCall(m, kKey, question(), this);
        record(call, &log);
        call->start();
        QTRY_VERIFY(log.done());
        QCOMPARE(log.failure().kind, CallError::Kind::Network);
        verifyNoKey(outputsOf(call, log));
    }

    // A server (or a proxy before it) that answers with the key in an error body.
    void echoingServer_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("openai") << u"openai"_s;
        QTest::newRow("anthropic") << u"anthropic"_s;
    }

    void echoingServer()
    {
        QFETCH(QString, kind);
        CannedServer canned(CannedServer::response("application/json", echoingKeyBody(), 401));
        QVERIFY(canned.listen());
        ModelConfig m = model(kind);
        m.baseUrl = canned.baseUrl();

        CallLog log;
        ChatCall *call = m_client->createCall(m, kKey, question(), this);
        record(call, &log);
        call->start();
        QTRY_VERIFY(log.done());
        QCOMPARE(log.failure().httpStatus, 401);
        QVERIFY(log.failure().message.startsWith(u"Incorrect API key provided: [key removed]."_s));
        verifyNoKey(outputsOf(call, log));

        ModelListing *listing =
            ModelListing::start(m_client->http(), m, kKey, std::chrono::seconds(5), this);
        QSignalSpy failed(listing, &ModelListing::failed);
        QTRY_COMPARE(failed.size(), 1);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(u"[key removed]"_s), qPrintable(message));
        verifyNoKey({message});
    }

    // QUALITY.md R16: Qt's HTTP error text quotes the request URL whole, password and all
    // ("Error transferring %1 - server replied: %2"); the password goes, written either way.
    void urlPasswords()
    {
        const QUrl url(u"http://someone:p%40ss-w0rd@127.0.0.1:9/v1/chat/completions"_s);
        for (const QString &spelling : {url.toString(), url.toString(QUrl::FullyEncoded)}) {
            const QString qtText =
                u"Error transferring %1 - server replied: Forbidden"_s.arg(spelling);
            const QString cleaned = KeyRedaction::withoutUrlPassword(qtText, url);
            QVERIFY2(!cleaned.contains(u"w0rd"_s), qPrintable(cleaned));
            QVERIFY2(cleaned.contains(u"http://someone@127.0.0.1:9/v1/chat/completions"_s),
                     qPrintable(cleaned));
        }
        QCOMPARE(KeyRedaction::withoutUrlPassword(u"the password is p@ss-w0rd"_s, url),
                 u"the password is [password removed]"_s);
        const QString plain = u"Connection refused"_s;
        QCOMPARE(KeyRedaction::withoutUrlPassword(plain, QUrl(u"http://127.0.0.1/v1"_s)), plain);
    }

    // The matcher itself: every piece of 8 characters or more, wherever it stands, becomes
    // the marker and nothing else changes; shorter pieces are left alone.
    void redactsEveryPiece()
    {
        const auto length = kKey.size();
        for (qsizetype from = 0; from < length; ++from) {
            for (qsizetype pieceLength = 1; from + pieceLength <= length; ++pieceLength) {
                const QString piece = kKey.mid(from, pieceLength);
                for (const QString &before : {QString(), u"key: "_s, QString(37, u'~')}) {
                    const QString text = before + piece + u" (invalid)"_s;
                    const QString expected = pieceLength >= KeyRedaction::kMinKeyPiece
                                                 ? before + u"[key removed] (invalid)"_s
                                                 : text;
                    QCOMPARE(KeyRedaction::redact(text, kKey), expected);
                    QCOMPARE(KeyRedaction::redact(text.toUtf8(), kKey), expected.toUtf8());
                }
            }
        }
        // Two pieces with an ellipsis between them, as providers abbreviate keys, and a key
        // repeated with nothing between the copies.
        QCOMPARE(KeyRedaction::redact(QString(kKey.left(10) + u"…"_s + kKey.right(9)), kKey),
                 u"[key removed]…[key removed]"_s);
        QCOMPARE(KeyRedaction::redact(QString(kKey + kKey), kKey), u"[key removed]"_s);
        QCOMPARE(KeyRedaction::redact(u"no key here"_s, kKey), u"no key here"_s);
    }

    // QUALITY.md R12: a provider's error message longer than the client's cut of 500
    // characters, with the key or a piece of it at every position around the cut. Cutting
    // before redacting left the start of the key behind.
    void longErrorMessages_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<Echo>("echo");
        for (const QString &kind : {u"openai"_s, u"anthropic"_s, u"listing"_s})
            addEchoRows(kind, 500);
    }

    void longErrorMessages()
    {
        QFETCH(QString, kind);
        QFETCH(Echo, echo);
        const QString message = echo.text();
        const QJsonObject body =
            kind == u"anthropic"_s
                ? QJsonObject{{u"type"_s, u"error"_s},
                              {u"error"_s, QJsonObject{{u"type"_s, u"authentication_error"_s},
                                                       {u"message"_s, message}}}}
                : QJsonObject{{u"error"_s, QJsonObject{{u"message"_s, message},
                                                       {u"code"_s, u"invalid_api_key"_s}}}};
        CannedServer canned(CannedServer::response(
            "application/json", QJsonDocument(body).toJson(QJsonDocument::Compact), 401));
        QVERIFY(canned.listen());
        ModelConfig m = model(kind == u"anthropic"_s ? kind : u"openai"_s);
        m.baseUrl = canned.baseUrl();

        QString shown;
        if (kind == u"listing"_s) {
            ModelListing *listing =
                ModelListing::start(m_client->http(), m, kKey, std::chrono::seconds(5), this);
            QSignalSpy failed(listing, &ModelListing::failed);
            // Not QTRY_*: its polling step, times several hundred rows, is most of the test.
            QVERIFY(failed.wait(5000));
            shown = failed.first().first().toString();
        } else {
            CallLog log;
            ChatCall *call = m_client->createCall(m, kKey, question(), this);
            record(call, &log);
            QSignalSpy failed(call, &ChatCall::failed);
            call->start();
            QVERIFY(failed.wait(5000));
            QCOMPARE(log.failure().httpStatus, 401);
            verifyNoKey(outputsOf(call, log));
            shown = log.failure().message;
        }
        QVERIFY2(keyPieceIn(shown).isEmpty(), qPrintable(shown));
        // The marker itself may be cut.
        if (echo.padding + 13 <= 500)
            QVERIFY2(shown.contains(u"[key removed]"_s), qPrintable(shown));
    }

    // The same around the cut to 120 characters that quotes a malformed event.
    void malformedEventQuotes_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<Echo>("echo");
        for (const QString &kind : {u"openai"_s, u"anthropic"_s})
            addEchoRows(kind, 120);
    }

    void malformedEventQuotes()
    {
        QFETCH(QString, kind);
        QFETCH(Echo, echo);
        CannedServer canned(
            CannedServer::response("text/event-stream", "data: " + echo.text().toUtf8() + "\n\n"));
        QVERIFY(canned.listen());
        ModelConfig m = model(kind);
        m.baseUrl = canned.baseUrl();
        CallLog log;
        ChatCall *call = m_client->createCall(m, kKey, question(), this);
        record(call, &log);
        QSignalSpy failed(call, &ChatCall::failed);
        call->start();
        QVERIFY(failed.wait(5000));
        QCOMPARE(log.failure().kind, CallError::Kind::Malformed);
        verifyNoKey(outputsOf(call, log));
        if (echo.padding + 13 <= 120)
            QVERIFY2(log.failure().message.contains(u"[key removed]"_s),
                     qPrintable(log.failure().message));
    }
};

QTEST_GUILESS_MAIN(TestKeyLeak)
#include "tst_keyleak.moc"
