// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fault.h"
#include "responsebuilder.h"

#include "llm/scriptengine.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QHttpHeaders>
#include <QJsonObject>
#include <QObject>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QUrl>

#include <memory>

namespace Crosstalk::Fake {

struct HttpRequest;

// One request as the server received and answered it. Times are milliseconds on the server's
// monotonic clock (fractional, so lower bounds can be asserted exactly); -1 until they happen.
struct RecordedRequest
{
    int id = 0; // 1-based, in order of arrival
    QByteArray method;
    QByteArray path;
    QByteArray query; // what followed '?' in the target, undecoded; empty when nothing did
    QHttpHeaders headers;
    QByteArray body;
    QJsonObject json; // the body, when it was a JSON object
    QString api;      // "openai" or "anthropic" for chat requests, else empty
    ScriptContext context;
    bool stream = false;
    QString fault; // the fault applied, as written, or empty
    int status = 0;
    QString reply;
    QDateTime arrivedAt;
    double arrivedMs = -1;
    double headersMs = -1;    // the response head was written
    double firstTokenMs = -1; // the first token was written
    double completedMs = -1;  // the response ended, or the client left
    bool clientGone = false;  // the client closed the connection before the response ended

    bool finished() const { return completedMs >= 0; }
    QJsonObject toJson() const;
};

// A fake OpenAI and Anthropic API server for tests, benchmarks and offline demos; see
// tests/support/README.md for routes, options and faults.
//
// It is a plain QTcpServer with its own small HTTP/1.1 parser rather than a QHttpServer: the
// faults need control that QHttpServer 6.8 does not give — resetting a connection in the middle
// of a stream, writing a multi-byte character as two TCP writes with a flush in between,
// leaving a response unterminated, stalling before the head — and precise timing of every
// write. Owning the socket makes the bytes on the wire exactly the ones the tests describe.
class FakeLlmServer : public QObject
{
    Q_OBJECT

public:
    explicit FakeLlmServer(QObject *parent = nullptr);

    // Serve HTTPS from the next listen() on: a QSslServer with this configuration's
    // certificate and key (testtls.h has the committed test ones). Call before listen().
    void setTls(const QSslConfiguration &configuration);
    bool tls() const { return m_tls; }

    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    quint16 port() const { return m_tcp->serverPort(); }
    // http://127.0.0.1:PORT, or https:// with TLS.
    QUrl baseUrl() const;
    QString errorString() const { return m_tcp->errorString(); }

    Timing timing() const { return m_timing; }
    void setTiming(const Timing &timing) { m_timing = timing; }

    const ScriptEngine &script() const { return m_script; }
    void setScript(const ScriptEngine &script) { m_script = script; }
    // Reply rules and fault rules from a script file; replaces the script, adds the faults.
    bool loadScript(const QString &path, QString *error);

    // The ids GET /v1/models lists.
    QStringList models() const { return m_models; }
    void setModels(const QStringList &models) { m_models = models; }

    // Rules are tried in order; the first that selects a request gives its fault. A request's
    // x-fake-fault header takes precedence over every rule.
    void addFaultRule(const FaultRule &rule);
    void clearFaultRules();

    QList<RecordedRequest> requests() const { return m_records; }
    std::optional<RecordedRequest> request(int id) const;
    void clearRequests() { m_records.clear(); }

    // TCP connections accepted so far: tells whether clients keep connections alive.
    int connectionsAccepted() const { return m_connections; }

    // Milliseconds on the clock the records use.
    double nowMs() const;

    // A local port nothing listens on, for "connection refused".
    static quint16 closedPort();

signals:
    void requestReceived(int id);
    // A write of a reply's `index`-th token of `count` left (1-based). Emitted right after the
    // write, before the rest of the response: a test can act at a chosen point of a stream.
    void tokenWritten(int id, int index, int count);
    void requestFinished(int id);

private:
    friend class FakeConnection;

    ResponsePlan handle(const HttpRequest &request, int *recordId, double *arrivedMs);
    ResponsePlan chat(const HttpRequest &request, RecordedRequest &record, bool keepAlive);
    ResponsePlan models(const HttpRequest &request, bool keepAlive) const;
    RecordedRequest *record(int id);
    void noteHead(int id);
    void noteFirstToken(int id);
    void noteToken(int id, int index, int count);
    void noteFinished(int id, bool clientGone);
    void adopt(std::unique_ptr<QTcpServer> server);

    std::unique_ptr<QTcpServer> m_tcp;
    bool m_tls = false;
    QElapsedTimer m_clock;
    Timing m_timing;
    ScriptEngine m_script;
    QStringList m_models = {QStringLiteral("fake-model")};
    QList<FaultRule> m_faultRules;
    QList<int> m_faultRuleHits;
    QList<RecordedRequest> m_records;
    int m_nextId = 1;
    int m_connections = 0;
};

} // namespace Crosstalk::Fake
