// SPDX-License-Identifier: GPL-3.0-or-later
// A REST server for tests: an in-process RestServer on a real engine and session store, its
// model slots served by the in-process fake LLM server, and an event-stream reader.
#pragma once

#include "context/appcontext.h"
#include "engine/engine.h"
#include "fakellmserver.h"
#include "httptestclient.h"
#include "llm/chatclient.h"
#include "persona/personalibrary.h"
#include "restserver.h"
#include "storage/sessionstore.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace Crosstalk::Testing {

class RestTestServer
{
public:
    static inline const QByteArray token = "rest-test-token-0123456789abcdefghijklm";
    // Recognisable, so a test can look for it in answers.
    static inline const QString apiKey = QStringLiteral("sk-rest-test-key-5ecret");
    static inline const QString urlPassword = QStringLiteral("url-pa55word-R16");

    // False when something could not be set up; the reason went to qWarning.
    bool start()
    {
        using namespace Qt::StringLiterals;
        if (!dir.isValid() || !fake.listen()) {
            qWarning("RestTestServer: no temporary folder or fake server");
            return false;
        }
        fake.setTiming({2, 2, 0});
        QProcessEnvironment environment;
        environment.insert(u"OPENAI_BASE_URL"_s, fake.baseUrl().toString() + u"/v1"_s);
        environment.insert(u"OPENAI_API_KEY"_s, apiKey);
        // A password in a base URL is a secret too (QUALITY.md R16).
        environment.insert(u"ENABLE_MIDDLE_ENDPOINT"_s, u"true"_s);
        environment.insert(
            u"MIDDLE_ENDPOINT"_s,
            u"http://someone:%1@127.0.0.1:%2/v1"_s.arg(urlPassword).arg(fake.port()));
        AppOptions options(u"test"_s);
        options.dataFolder = dir.path();
        options.secrets = AppOptions::Secrets::None;
        options.environment = environment;
        context = std::make_unique<AppContext>(options);
        CallTiming timing;
        timing.inactivityTimeout = std::chrono::seconds(10);
        timing.retry.maxRetries = 0;
        context->chatClient()->setTiming(timing);
        if (!context->openStore()) {
            qWarning("RestTestServer: the store did not open");
            return false;
        }
        engine = context->engine();
        store = context->store();
        library = context->personaLibrary();
        server = std::make_unique<RestServer>(engine, library);
        server->setToken(QString::fromLatin1(token));
        server->setRateLimits({0, 0});
        if (const std::optional<Error> error = server->listen()) {
            qWarning("RestTestServer: %s", qPrintable(error->message));
            return false;
        }
        return true;
    }

    ~RestTestServer() { server.reset(); }

    QByteArray host() const { return "127.0.0.1:" + QByteArray::number(server->port()); }

    QByteArray request(const QByteArray &method, const QByteArray &target,
                       const QByteArray &body = QByteArray(),
                       const QList<std::pair<QByteArray, QByteArray>> &extra = {}) const
    {
        return HttpTestClient::request(method, target, host(), token, body, extra);
    }

    HttpReply call(const QByteArray &method, const QByteArray &target,
                   const QByteArray &body = QByteArray(),
                   const QList<std::pair<QByteArray, QByteArray>> &extra = {}) const
    {
        HttpTestClient http(server->port());
        if (!http.connect())
            return {};
        http.write(request(method, target, body, extra));
        return http.read();
    }

    // A configured session of `models` (a JSON list) → its id, or empty.
    QByteArray setUp(const QByteArray &models = R"(["big", "small"])", int iterations = 2) const
    {
        using namespace Qt::StringLiterals;
        const HttpReply reply =
            call("POST", "/v1/crosstalk/setup",
                 R"({"models": )" + models + R"(, "iterations": )" +
                     QByteArray::number(iterations) + R"(, "topic": "Why is the sky blue?"})");
        if (reply.status != 200)
            qWarning() << "setup:" << reply.status << reply.body;
        return reply.json()[u"session_id"_s].toString().toLatin1();
    }

    QTemporaryDir dir;
    Fake::FakeLlmServer fake;
    std::unique_ptr<AppContext> context;
    Engine *engine = nullptr;
    SessionStore *store = nullptr;
    PersonaLibrary *library = nullptr;
    std::unique_ptr<RestServer> server;
};

// One server-sent event as it arrived.
struct StreamedEvent
{
    QByteArray id;
    QByteArray type;
    QJsonObject data;

    bool operator==(const StreamedEvent &) const = default;
};

// A client of an event stream: reads the response head, then the chunked body as it arrives,
// parsing events and counting comments.
class SseClient
{
public:
    explicit SseClient(quint16 port)
        : m_port(port)
    {}

    bool open(const QByteArray &request)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, m_port);
        if (!m_socket.waitForConnected(5000))
            return false;
        m_socket.write(request);
        return m_socket.flush() || true;
    }

    QTcpSocket &socket() { return m_socket; }
    int status() const { return m_status; }
    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : m_headers)
            if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
                return value;
        return {};
    }
    const QList<StreamedEvent> &events() const { return m_events; }
    int comments() const { return m_comments; }
    // The last chunk (size 0) arrived: the server ended the response.
    bool ended() const { return m_ended; }
    // What arrived after the end of the stream: the next response on the connection.
    const QByteArray &afterEnd() const { return m_raw; }
    bool closed() const { return m_socket.state() == QAbstractSocket::UnconnectedState; }

    // Takes in what has arrived; returns this for use in conditions.
    SseClient &poll()
    {
        m_raw += m_socket.readAll();
        parse();
        return *this;
    }

    bool waitFor(const std::function<bool()> &condition, int timeoutMs = 30000)
    {
        return QTest::qWaitFor(
            [&] {
                poll();
                return condition();
            },
            timeoutMs);
    }

    bool hasEvent(QByteArrayView type) const
    {
        return std::any_of(m_events.cbegin(), m_events.cend(),
                           [&](const StreamedEvent &e) { return e.type == type; });
    }

private:
    void parse()
    {
        if (m_status == 0) {
            const qsizetype headEnd = m_raw.indexOf("\r\n\r\n");
            if (headEnd < 0)
                return;
            const QList<QByteArray> lines = m_raw.left(headEnd).split('\n');
            m_status = lines.first().split(' ').value(1).toInt();
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines[i].trimmed();
                const qsizetype colon = line.indexOf(':');
                m_headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
            }
            m_raw.remove(0, headEnd + 4);
        }
        // Chunks: SIZE\r\nDATA\r\n … 0\r\n\r\n
        while (!m_ended) {
            const qsizetype lineEnd = m_raw.indexOf("\r\n");
            if (lineEnd < 0)
                break;
            bool ok = false;
            const qsizetype size = m_raw.left(lineEnd).trimmed().toLongLong(&ok, 16);
            if (!ok || m_raw.size() < lineEnd + 2 + size + 2)
                break;
            m_text += m_raw.mid(lineEnd + 2, size);
            m_raw.remove(0, lineEnd + 2 + size + 2);
            m_ended = size == 0;
        }
        parseEvents();
    }

    void parseEvents()
    {
        qsizetype end;
        while ((end = m_text.indexOf("\n\n")) >= 0) {
            const QByteArray block = m_text.left(end);
            m_text.remove(0, end + 2);
            StreamedEvent event;
            bool any = false;
            for (const QByteArray &line : block.split('\n')) {
                if (line.startsWith(':')) {
                    ++m_comments;
                } else if (line.startsWith("id: ")) {
                    event.id = line.mid(4);
                    any = true;
                } else if (line.startsWith("event: ")) {
                    event.type = line.mid(7);
                    any = true;
                } else if (line.startsWith("data: ")) {
                    event.data = QJsonDocument::fromJson(line.mid(6)).object();
                    any = true;
                }
            }
            if (any)
                m_events.append(event);
        }
    }

    quint16 m_port;
    QTcpSocket m_socket;
    QByteArray m_raw;
    QByteArray m_text;
    int m_status = 0;
    QList<std::pair<QByteArray, QByteArray>> m_headers;
    QList<StreamedEvent> m_events;
    int m_comments = 0;
    bool m_ended = false;
};

} // namespace Crosstalk::Testing
