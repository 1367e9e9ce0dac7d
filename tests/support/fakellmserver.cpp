// SPDX-License-Identifier: GPL-3.0-or-later
#include "fakellmserver.h"

#include "fakeconnection.h"
#include "httprequestparser.h"
#include "requestinference.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSslServer>

using namespace Qt::StringLiterals;

namespace Crosstalk::Fake {

namespace {

QString apiName(Api api)
{
    return api == Api::Anthropic ? u"anthropic"_s : u"openai"_s;
}

// Azure OpenAI names the deployment in the path: /openai/deployments/NAME/chat/completions.
bool isAzureChatPath(QByteArrayView path)
{
    const QByteArrayView prefix = "/openai/deployments/";
    const QByteArrayView suffix = "/chat/completions";
    return path.startsWith(prefix) && path.endsWith(suffix) &&
           path.size() > prefix.size() + suffix.size() &&
           !path.sliced(prefix.size(), path.size() - prefix.size() - suffix.size()).contains('/');
}

// The key a request presented, in whichever header its API uses.
QString presentedKey(const QHttpHeaders &headers)
{
    for (const QByteArrayView name : {"x-api-key", "api-key"}) {
        if (headers.contains(name))
            return QString::fromUtf8(headers.value(name));
    }
    const QByteArrayView authorization =
        headers.value(QHttpHeaders::WellKnownHeader::Authorization);
    return QString::fromUtf8(authorization.startsWith("Bearer ") ? authorization.sliced(7)
                                                                 : authorization);
}

// Fault rules of a script file: the "fault" and "nth" keys of its rules.
std::optional<QList<FaultRule>> faultRulesFromJson(const QByteArray &json, QString *error)
{
    QList<FaultRule> rules;
    const QJsonArray array = QJsonDocument::fromJson(json).object().value(u"rules"_s).toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject object = array.at(i).toObject();
        if (!object.contains(u"fault"_s))
            continue;
        QString message;
        const auto match = ScriptMatch::fromJson(object, &message);
        const auto fault =
            match ? Fault::parse(object.value(u"fault"_s).toString(), &message) : std::nullopt;
        const QJsonValue nth = object.value(u"nth"_s);
        if (fault && !nth.isUndefined() && (!nth.isDouble() || nth.toInt() < 1))
            message = u"\"nth\" must be a whole number ≥ 1"_s;
        if (!message.isEmpty()) {
            *error = u"rule %1: %2"_s.arg(i + 1).arg(message);
            return std::nullopt;
        }
        rules.append({*fault, *match, nth.toInt()});
    }
    return rules;
}

} // namespace

QJsonObject RecordedRequest::toJson() const
{
    QJsonObject headerObject;
    for (qsizetype i = 0; i < headers.size(); ++i) {
        const QString name = headers.nameAt(i).toString();
        const QString value = QString::fromUtf8(headers.valueAt(i));
        headerObject.insert(name, headerObject.contains(name)
                                      ? headerObject.value(name).toString() + u", "_s + value
                                      : value);
    }
    const auto time = [](double ms) { return ms < 0 ? QJsonValue() : QJsonValue(ms); };
    return {{u"id"_s, id},
            {u"method"_s, QString::fromLatin1(method)},
            {u"path"_s, QString::fromLatin1(path)},
            {u"query"_s, QString::fromLatin1(query)},
            {u"headers"_s, headerObject},
            {u"body"_s, json.isEmpty() ? QJsonValue(QString::fromUtf8(body)) : json},
            {u"api"_s, api},
            {u"model"_s, context.model},
            {u"participant"_s, context.speaker},
            {u"round"_s, context.round},
            {u"kind"_s, turnKindName(context.kind)},
            {u"stream"_s, stream},
            {u"fault"_s, fault},
            {u"status"_s, status},
            {u"reply"_s, reply},
            {u"arrived_at"_s, arrivedAt.toString(Qt::ISODateWithMs)},
            {u"arrived_ms"_s, time(arrivedMs)},
            {u"headers_ms"_s, time(headersMs)},
            {u"first_token_ms"_s, time(firstTokenMs)},
            {u"completed_ms"_s, time(completedMs)},
            {u"client_gone"_s, clientGone}};
}

FakeLlmServer::FakeLlmServer(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    adopt(std::make_unique<QTcpServer>());
}

void FakeLlmServer::adopt(std::unique_ptr<QTcpServer> server)
{
    m_tcp = std::move(server);
    // Benchmarks open a hundred sessions at once against one server.
    m_tcp->setListenBacklogSize(1024);
    m_tcp->setMaxPendingConnections(1024);
    // A QSslServer offers a connection only once its handshake is done, so a FakeConnection
    // reads plain HTTP either way.
    connect(m_tcp.get(), &QTcpServer::pendingConnectionAvailable, this, [this] {
        while (QTcpSocket *socket = m_tcp->nextPendingConnection()) {
            ++m_connections;
            new FakeConnection(socket, this);
        }
    });
}

void FakeLlmServer::setTls(const QSslConfiguration &configuration)
{
    auto server = std::make_unique<QSslServer>();
    server->setSslConfiguration(configuration);
    adopt(std::move(server));
    m_tls = true;
}

bool FakeLlmServer::listen(const QHostAddress &address, quint16 port)
{
    return m_tcp->listen(address, port);
}

QUrl FakeLlmServer::baseUrl() const
{
    QUrl url;
    url.setScheme(m_tls ? u"https"_s : u"http"_s);
    url.setHost(m_tcp->serverAddress().toString());
    url.setPort(m_tcp->serverPort());
    return url;
}

bool FakeLlmServer::loadScript(const QString &path, QString *error)
{
    auto script = ScriptEngine::fromFile(path, error);
    if (!script)
        return false;
    QFile file(path);
    const QByteArray json = file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    const auto rules = faultRulesFromJson(json, error);
    if (!rules) {
        *error = path + u": "_s + *error;
        return false;
    }
    m_script = *script;
    for (const FaultRule &rule : *rules)
        addFaultRule(rule);
    return true;
}

void FakeLlmServer::addFaultRule(const FaultRule &rule)
{
    m_faultRules.append(rule);
    m_faultRuleHits.append(0);
}

void FakeLlmServer::clearFaultRules()
{
    m_faultRules.clear();
    m_faultRuleHits.clear();
}

std::optional<RecordedRequest> FakeLlmServer::request(int id) const
{
    for (const RecordedRequest &r : m_records) {
        if (r.id == id)
            return r;
    }
    return std::nullopt;
}

double FakeLlmServer::nowMs() const
{
    return double(m_clock.nsecsElapsed()) / 1e6;
}

quint16 FakeLlmServer::closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

RecordedRequest *FakeLlmServer::record(int id)
{
    for (auto it = m_records.rbegin(); it != m_records.rend(); ++it) {
        if (it->id == id)
            return &*it;
    }
    return nullptr;
}

void FakeLlmServer::noteHead(int id)
{
    if (RecordedRequest *r = record(id); r && r->headersMs < 0)
        r->headersMs = nowMs();
}

void FakeLlmServer::noteFirstToken(int id)
{
    if (RecordedRequest *r = record(id); r && r->firstTokenMs < 0)
        r->firstTokenMs = nowMs();
}

void FakeLlmServer::noteToken(int id, int index, int count)
{
    if (id > 0)
        emit tokenWritten(id, index, count);
}

void FakeLlmServer::noteFinished(int id, bool clientGone)
{
    RecordedRequest *r = record(id);
    if (!r || r->finished())
        return;
    r->completedMs = nowMs();
    r->clientGone = clientGone;
    emit requestFinished(id);
}

ResponsePlan FakeLlmServer::handle(const HttpRequest &request, int *recordId, double *arrivedMs)
{
    *arrivedMs = nowMs();
    *recordId = 0;
    const bool keepAlive = request.keepAlive();
    const qsizetype query = request.target.indexOf('?');
    const QByteArray path = query < 0 ? request.target : request.target.first(query);
    const Api errorApi = path == "/v1/messages" || request.headers.contains("anthropic-version")
                             ? Api::Anthropic
                             : Api::OpenAi;
    const auto methodNotAllowed = [&] {
        return ResponseBuilder::error(errorApi, 405, u"Method not allowed"_s, 0, keepAlive);
    };

    // The inspection routes are not recorded: reading the record must not change it.
    if (path == "/_fake/requests") {
        if (request.method == "GET") {
            QJsonArray list;
            for (const RecordedRequest &r : std::as_const(m_records))
                list.append(r.toJson());
            return ResponseBuilder::json(200, {{u"requests"_s, list}}, keepAlive);
        }
        if (request.method == "DELETE") {
            clearRequests();
            return ResponseBuilder::json(204, {}, keepAlive);
        }
        return methodNotAllowed();
    }

    RecordedRequest r;
    r.id = m_nextId++;
    r.method = request.method;
    r.path = path;
    r.query = query < 0 ? QByteArray() : request.target.sliced(query + 1);
    r.headers = request.headers;
    r.body = request.body;
    r.json = QJsonDocument::fromJson(request.body).object();
    r.arrivedAt = QDateTime::currentDateTimeUtc();
    r.arrivedMs = *arrivedMs;
    *recordId = r.id;

    ResponsePlan plan;
    if (path == "/v1/models") {
        plan = request.method == "GET" ? models(request, keepAlive) : methodNotAllowed();
    } else if (path == "/v1/chat/completions" || path == "/v1/messages" || isAzureChatPath(path)) {
        plan = request.method == "POST" ? chat(request, r, keepAlive) : methodNotAllowed();
    } else {
        plan = ResponseBuilder::error(
            errorApi, 404,
            u"Unknown request URL: %1 %2"_s.arg(QString::fromLatin1(request.method),
                                                QString::fromLatin1(path)),
            r.id, keepAlive);
    }
    r.status = plan.status;
    r.reply = plan.reply;
    m_records.append(r);
    emit requestReceived(r.id);
    return plan;
}

ResponsePlan FakeLlmServer::chat(const HttpRequest &request, RecordedRequest &record,
                                 bool keepAlive)
{
    const Api api = record.path == "/v1/messages" ? Api::Anthropic : Api::OpenAi;
    record.api = apiName(api);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (!document.isObject()) {
        return ResponseBuilder::error(
            api, 400, u"We could not parse the JSON body of your request."_s, record.id, keepAlive);
    }
    QString error;
    const ChatRequest chatRequest =
        inferChatRequest(api, document.object(), request.headers, m_script.seed(), &error);
    if (!error.isEmpty())
        return ResponseBuilder::error(api, 400, error, record.id, keepAlive);
    record.context = chatRequest.context;
    record.stream = chatRequest.stream;

    std::optional<Fault> fault;
    if (request.headers.contains("x-fake-fault")) {
        const QString spec = QString::fromUtf8(request.headers.value("x-fake-fault").toByteArray());
        fault = Fault::parse(spec, &error);
        if (!fault)
            return ResponseBuilder::error(api, 400, u"x-fake-fault: "_s + error, record.id,
                                          keepAlive);
    }
    for (qsizetype i = 0; i < m_faultRules.size(); ++i) {
        const FaultRule &rule = m_faultRules.at(i);
        if (!rule.match.matches(chatRequest.context))
            continue;
        const int hits = ++m_faultRuleHits[i];
        if (!fault && (rule.nth == 0 || rule.nth == hits))
            fault = rule.fault;
    }
    if (fault)
        record.fault = fault->spec;
    // Like OpenAI's "Incorrect API key provided: …", but with the whole key: the worst case a
    // client must keep out of its errors and logs.
    if (fault && fault->kind == Fault::Kind::Status && fault->status == 401) {
        return ResponseBuilder::error(
            api, 401, u"Incorrect API key provided: %1."_s.arg(presentedKey(request.headers)),
            record.id, keepAlive, m_timing.latencyMs);
    }
    // A message long enough to be shortened, with the key (or a piece) wherever the test
    // wants it: across the client's cut, at the end, in the middle.
    if (fault && fault->kind == Fault::Kind::KeyEcho) {
        const QString quoted = presentedKey(request.headers).mid(fault->keyFrom, fault->keyLength);
        return ResponseBuilder::error(
            api, 401, QString(fault->padding, u'.') + quoted + u" is not a valid key."_s, record.id,
            keepAlive, m_timing.latencyMs);
    }

    return ResponseBuilder::chat(chatRequest, m_script.reply(chatRequest.context), fault, m_timing,
                                 record.id, QDateTime::currentSecsSinceEpoch(), keepAlive);
}

ResponsePlan FakeLlmServer::models(const HttpRequest &request, bool keepAlive) const
{
    // The two APIs share the path; Anthropic clients always send anthropic-version.
    QJsonArray data;
    if (request.headers.contains("anthropic-version")) {
        for (const QString &id : m_models) {
            data.append(QJsonObject{{u"type"_s, u"model"_s},
                                    {u"id"_s, id},
                                    {u"display_name"_s, id},
                                    {u"created_at"_s, u"2025-01-01T00:00:00Z"_s}});
        }
        return ResponseBuilder::json(
            200,
            {{u"data"_s, data},
             {u"has_more"_s, false},
             {u"first_id"_s, m_models.isEmpty() ? QJsonValue() : QJsonValue(m_models.first())},
             {u"last_id"_s, m_models.isEmpty() ? QJsonValue() : QJsonValue(m_models.last())}},
            keepAlive);
    }
    for (const QString &id : m_models) {
        data.append(QJsonObject{{u"id"_s, id},
                                {u"object"_s, u"model"_s},
                                {u"created"_s, 1735689600},
                                {u"owned_by"_s, u"crosstalk-fakellm"_s}});
    }
    return ResponseBuilder::json(200, {{u"object"_s, u"list"_s}, {u"data"_s, data}}, keepAlive);
}

} // namespace Crosstalk::Fake
