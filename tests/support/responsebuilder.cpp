// SPDX-License-Identifier: GPL-3.0-or-later
#include "responsebuilder.h"

#include "llm/replytokenizer.h"
#include "llm/scriptengine.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <functional>

using namespace Qt::StringLiterals;

namespace Crosstalk::Fake {

namespace {

// The gap between the two writes that split a multi-byte character: long enough for the
// first half to leave as its own TCP segment (the server sets TCP_NODELAY).
constexpr double kSplitGapMs = 20;

// Stands for the invalid bytes until the JSON is serialised; QJsonDocument would not let
// them through. U+E000 is in the private use area, so no real reply contains it.
const QChar kInvalidMarker(0xE000);
const QByteArray kInvalidMarkerUtf8 = QString(kInvalidMarker).toUtf8();
const QByteArray kInvalidBytes = "\xFF\xFE";

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 529:
        return "Overloaded";
    }
    return status < 500 ? "Client Error" : "Server Error";
}

QByteArray head(int status, const HeaderList &headers)
{
    QByteArray bytes =
        "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &[name, value] : headers)
        bytes += name + ": " + value + "\r\n";
    return bytes + "\r\n";
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray requestId(int id)
{
    return "req_fake" + QByteArray::number(id).rightJustified(6, '0');
}

QByteArray chunkFramed(const QByteArray &data)
{
    return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}

struct Piece
{
    enum class Kind
    {
        Preamble,
        Token,
        Closing
    };

    double dueMs = 0;
    QByteArray data;
    Kind kind = Kind::Token;
};

QByteArray sse(const QByteArray &event, const QJsonObject &data)
{
    return (event.isEmpty() ? QByteArray() : "event: " + event + '\n') + "data: " + compact(data) +
           "\n\n";
}

QJsonObject openAiUsage(int input, int output)
{
    return {
        {u"prompt_tokens"_s, input},
        {u"completion_tokens"_s, output},
        {u"total_tokens"_s, input + output},
        {u"prompt_tokens_details"_s, QJsonObject{{u"cached_tokens"_s, 0}, {u"audio_tokens"_s, 0}}},
        {u"completion_tokens_details"_s, QJsonObject{{u"reasoning_tokens"_s, 0},
                                                     {u"audio_tokens"_s, 0},
                                                     {u"accepted_prediction_tokens"_s, 0},
                                                     {u"rejected_prediction_tokens"_s, 0}}}};
}

// The pieces of a response body, each with the time it is due, before any fault.
class ChatBody
{
public:
    ChatBody(const ChatRequest &request, const QStringList &tokens, bool cut, int id,
             qint64 created)
        : m_request(request)
        , m_tokens(tokens)
        , m_cut(cut)
        , m_created(created)
        , m_id(m_request.api == Api::OpenAi ? u"chatcmpl-fake%1"_s.arg(id, 6, 10, QChar(u'0'))
                                            : u"msg_fake%1"_s.arg(id, 6, 10, QChar(u'0')))
    {}

    QList<Piece> stream(double headDue, const std::function<double(qsizetype)> &tokenDue) const
    {
        QList<Piece> pieces;
        const double endDue = m_tokens.isEmpty() ? tokenDue(0) : tokenDue(m_tokens.size() - 1);
        const int output = int(m_tokens.size());
        if (m_request.api == Api::OpenAi) {
            pieces.append({headDue,
                           sse({}, openAiChunk(QJsonObject{{u"role"_s, u"assistant"_s},
                                                           {u"content"_s, QString()}},
                                               QJsonValue::Null)),
                           Piece::Kind::Preamble});
            for (qsizetype i = 0; i < m_tokens.size(); ++i) {
                pieces.append(
                    {tokenDue(i), sse({}, openAiChunk(QJsonObject{{u"content"_s, m_tokens.at(i)}},
                                                      QJsonValue::Null))});
            }
            QByteArray closing = sse({}, openAiChunk(QJsonObject(), finishReason()));
            if (m_request.includeUsage) {
                QJsonObject usage = openAiChunkBase();
                usage.insert(u"choices"_s, QJsonArray());
                usage.insert(u"usage"_s, openAiUsage(m_request.inputTokens, output));
                closing += sse({}, usage);
            }
            pieces.append({endDue, closing + "data: [DONE]\n\n", Piece::Kind::Closing});
            return pieces;
        }
        QJsonObject message = anthropicMessage(QJsonArray(), QJsonValue::Null);
        message.insert(u"usage"_s, QJsonObject{{u"input_tokens"_s, m_request.inputTokens},
                                               {u"output_tokens"_s, 1}});
        pieces.append(
            {headDue,
             sse("message_start", {{u"type"_s, u"message_start"_s}, {u"message"_s, message}}) +
                 sse("content_block_start",
                     {{u"type"_s, u"content_block_start"_s},
                      {u"index"_s, 0},
                      {u"content_block"_s,
                       QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, QString()}}}}) +
                 sse("ping", {{u"type"_s, u"ping"_s}}),
             Piece::Kind::Preamble});
        for (qsizetype i = 0; i < m_tokens.size(); ++i) {
            pieces.append(
                {tokenDue(i), sse("content_block_delta",
                                  {{u"type"_s, u"content_block_delta"_s},
                                   {u"index"_s, 0},
                                   {u"delta"_s, QJsonObject{{u"type"_s, u"text_delta"_s},
                                                            {u"text"_s, m_tokens.at(i)}}}})});
        }
        pieces.append(
            {endDue,
             sse("content_block_stop", {{u"type"_s, u"content_block_stop"_s}, {u"index"_s, 0}}) +
                 sse("message_delta",
                     {{u"type"_s, u"message_delta"_s},
                      {u"delta"_s, QJsonObject{{u"stop_reason"_s, finishReason()},
                                               {u"stop_sequence"_s, QJsonValue::Null}}},
                      {u"usage"_s, QJsonObject{{u"output_tokens"_s, output}}}}) +
                 sse("message_stop", {{u"type"_s, u"message_stop"_s}}),
             Piece::Kind::Closing});
        return pieces;
    }

    QByteArray whole() const
    {
        const QString text = m_tokens.join(QString());
        const int output = int(m_tokens.size());
        if (m_request.api == Api::OpenAi) {
            QJsonObject body = openAiChunkBase();
            body.insert(u"object"_s, u"chat.completion"_s);
            body.insert(u"choices"_s,
                        QJsonArray{QJsonObject{
                            {u"index"_s, 0},
                            {u"message"_s, QJsonObject{{u"role"_s, u"assistant"_s},
                                                       {u"content"_s, text},
                                                       {u"refusal"_s, QJsonValue::Null},
                                                       {u"annotations"_s, QJsonArray()}}},
                            {u"logprobs"_s, QJsonValue::Null},
                            {u"finish_reason"_s, finishReason()}}});
            body.insert(u"usage"_s, openAiUsage(m_request.inputTokens, output));
            return compact(body);
        }
        QJsonObject body = anthropicMessage(
            QJsonArray{QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, text}}}, finishReason());
        body.insert(u"usage"_s, QJsonObject{{u"input_tokens"_s, m_request.inputTokens},
                                            {u"output_tokens"_s, output}});
        return compact(body);
    }

    // One event carrying `text`, as the stream's token events do.
    QByteArray textDelta(const QString &text) const
    {
        if (m_request.api == Api::OpenAi)
            return sse({}, openAiChunk(QJsonObject{{u"content"_s, text}}, QJsonValue::Null));
        return sse("content_block_delta",
                   {{u"type"_s, u"content_block_delta"_s},
                    {u"index"_s, 0},
                    {u"delta"_s, QJsonObject{{u"type"_s, u"text_delta"_s}, {u"text"_s, text}}}});
    }

    // The text delta a client would see first, cut short: a chunk whose JSON never closes.
    QByteArray malformedEvent() const
    {
        const QByteArray event =
            m_request.api == Api::OpenAi
                ? sse({}, openAiChunk(QJsonObject{{u"content"_s, u"broken"_s}}, QJsonValue::Null))
                : sse("content_block_delta", {{u"type"_s, u"content_block_delta"_s},
                                              {u"index"_s, 0},
                                              {u"delta"_s, QJsonObject{{u"type"_s, u"text_delta"_s},
                                                                       {u"text"_s, u"broken"_s}}}});
        return event.first(event.indexOf("broken")) + "\n\n";
    }

    QByteArray streamError() const
    {
        if (m_request.api == Api::OpenAi) {
            return sse({}, ResponseBuilder::openAiError(
                               500, u"The server had an error while processing your "
                                    u"request. Sorry about that!"_s));
        }
        return sse("error", {{u"type"_s, u"error"_s},
                             {u"error"_s, QJsonObject{{u"type"_s, u"overloaded_error"_s},
                                                      {u"message"_s, u"Overloaded"_s}}}});
    }

private:
    QJsonValue finishReason() const
    {
        if (m_request.api == Api::OpenAi)
            return m_cut ? u"length"_s : u"stop"_s;
        return m_cut ? u"max_tokens"_s : u"end_turn"_s;
    }

    QJsonObject openAiChunkBase() const
    {
        return {{u"id"_s, m_id},
                {u"object"_s, u"chat.completion.chunk"_s},
                {u"created"_s, m_created},
                {u"model"_s, m_request.context.model},
                {u"system_fingerprint"_s, u"fp_crosstalk"_s}};
    }

    QJsonObject openAiChunk(const QJsonObject &delta, const QJsonValue &finish) const
    {
        QJsonObject chunk = openAiChunkBase();
        chunk.insert(u"choices"_s, QJsonArray{QJsonObject{{u"index"_s, 0},
                                                          {u"delta"_s, delta},
                                                          {u"logprobs"_s, QJsonValue::Null},
                                                          {u"finish_reason"_s, finish}}});
        // With include_usage every chunk carries "usage": null until the final usage chunk.
        if (m_request.includeUsage)
            chunk.insert(u"usage"_s, QJsonValue::Null);
        return chunk;
    }

    QJsonObject anthropicMessage(const QJsonArray &content, const QJsonValue &stopReason) const
    {
        return {{u"id"_s, m_id},
                {u"type"_s, u"message"_s},
                {u"role"_s, u"assistant"_s},
                {u"content"_s, content},
                {u"model"_s, m_request.context.model},
                {u"stop_reason"_s, stopReason},
                {u"stop_sequence"_s, QJsonValue::Null}};
    }

    const ChatRequest &m_request;
    QStringList m_tokens;
    bool m_cut;
    qint64 m_created;
    QString m_id;
};

// Splits each piece that holds a multi-byte UTF-8 character inside the first one, the second
// half following kSplitGapMs later.
QList<Piece> splitMultiByte(const QList<Piece> &pieces)
{
    QList<Piece> result;
    for (const Piece &piece : pieces) {
        qsizetype lead = -1;
        for (qsizetype i = 0; i < piece.data.size() && lead < 0; ++i) {
            if ((quint8(piece.data.at(i)) & 0xC0) == 0xC0)
                lead = i;
        }
        if (lead < 0) {
            result.append(piece);
            continue;
        }
        // Inside a 4-byte sequence cut after two bytes, else after the lead byte.
        const qsizetype cut = lead + ((quint8(piece.data.at(lead)) >= 0xF0) ? 2 : 1);
        result.append({piece.dueMs, piece.data.first(cut), piece.kind});
        result.append({piece.dueMs + kSplitGapMs, piece.data.sliced(cut), piece.kind});
    }
    return result;
}

// A response that never ends (the endless-* faults): the stream's preamble, then the same
// write for ever — a text delta, a piece of one endless line, or a data line of one endless
// event. A non-streamed request gets a JSON body whose string never closes.
ResponsePlan endless(const ChatBody &body, const ChatRequest &request, const Fault &fault,
                     double headDue)
{
    using Kind = Fault::Kind;
    const qsizetype size = qsizetype(fault.kibibytes) * 1024;
    QByteArray start;
    QByteArray repeated;
    if (!request.stream) {
        start = "{\"id\":\"endless\",\"content\":\"";
        repeated = QByteArray(size, 'a');
    } else {
        start = body.stream(headDue, [headDue](qsizetype) { return headDue; }).first().data;
        if (fault.kind == Kind::EndlessDeltas) {
            repeated = body.textDelta(QString(size - 512, u'a'));
        } else if (fault.kind == Kind::EndlessLine) {
            start += "data: {\"text\": \"";
            repeated = QByteArray(size, 'a');
        } else {
            repeated = "data: " + QByteArray(size - 7, 'a') + '\n';
        }
    }
    const HeaderList headers = {
        {"Content-Type", request.stream ? "text/event-stream; charset=utf-8" : "application/json"},
        {"Transfer-Encoding", "chunked"},
        {"Connection", "close"}};
    ResponsePlan plan;
    plan.steps = {
        {headDue, head(200, headers) + chunkFramed(start), ResponseStep::Action::Write, true},
        {headDue, chunkFramed(repeated), ResponseStep::Action::Repeat}};
    return plan;
}

// The position of the piece that would deliver token n (0-based), or of the closing piece.
qsizetype pieceOfToken(const QList<Piece> &pieces, int n)
{
    int seen = 0;
    for (qsizetype i = 0; i < pieces.size(); ++i) {
        if (pieces.at(i).kind == Piece::Kind::Closing)
            return i;
        if (pieces.at(i).kind == Piece::Kind::Token && seen++ == n)
            return i;
    }
    return pieces.size();
}

} // namespace

QJsonObject ResponseBuilder::openAiError(int status, const QString &message)
{
    QString type = status >= 500 ? u"server_error"_s : u"invalid_request_error"_s;
    QJsonValue code = QJsonValue::Null;
    if (status == 429) {
        type = u"requests"_s;
        code = u"rate_limit_exceeded"_s;
    } else if (status == 401) {
        code = u"invalid_api_key"_s;
    }
    return {{u"error"_s, QJsonObject{{u"message"_s, message},
                                     {u"type"_s, type},
                                     {u"param"_s, QJsonValue::Null},
                                     {u"code"_s, code}}}};
}

QJsonObject ResponseBuilder::anthropicError(int status, const QString &message, int id)
{
    QString type;
    switch (status) {
    case 401:
        type = u"authentication_error"_s;
        break;
    case 403:
        type = u"permission_error"_s;
        break;
    case 404:
        type = u"not_found_error"_s;
        break;
    case 413:
        type = u"request_too_large"_s;
        break;
    case 429:
        type = u"rate_limit_error"_s;
        break;
    case 529:
        type = u"overloaded_error"_s;
        break;
    default:
        type = status >= 500 ? u"api_error"_s : u"invalid_request_error"_s;
    }
    return {{u"type"_s, u"error"_s},
            {u"error"_s, QJsonObject{{u"type"_s, type}, {u"message"_s, message}}},
            {u"request_id"_s, QString::fromLatin1(requestId(id))}};
}

ResponsePlan ResponseBuilder::json(int status, const QJsonObject &body, bool keepAlive,
                                   const HeaderList &extraHeaders, double dueMs)
{
    // A 204 has neither body nor body headers (RFC 9110, 15.3.5).
    const QByteArray bytes = status == 204 ? QByteArray() : compact(body);
    HeaderList headers;
    if (status != 204)
        headers = {{"Content-Type", "application/json"},
                   {"Content-Length", QByteArray::number(bytes.size())}};
    headers.append({"Connection"_ba, keepAlive ? "keep-alive"_ba : "close"_ba});
    headers += extraHeaders;
    ResponsePlan plan;
    plan.status = status;
    plan.steps = {
        {dueMs, head(status, headers) + bytes, ResponseStep::Action::Write, true},
        {dueMs, {}, keepAlive ? ResponseStep::Action::Finish : ResponseStep::Action::Close}};
    return plan;
}

ResponsePlan ResponseBuilder::error(Api api, int status, const QString &message, int id,
                                    bool keepAlive, double dueMs, int retryAfterSeconds)
{
    HeaderList headers = {{api == Api::Anthropic ? "request-id" : "x-request-id", requestId(id)}};
    if (status == 429 || status == 503)
        headers.append({"Retry-After", QByteArray::number(retryAfterSeconds)});
    if (api == Api::Anthropic)
        return json(status, anthropicError(status, message, id), keepAlive, headers, dueMs);
    return json(status, openAiError(status, message), keepAlive, headers, dueMs);
}

ResponsePlan ResponseBuilder::chat(const ChatRequest &request, const QString &reply,
                                   const std::optional<Fault> &fault, const Timing &timing, int id,
                                   qint64 created, bool keepAlive)
{
    using Kind = Fault::Kind;
    using Action = ResponseStep::Action;
    const auto is = [&](Kind kind) { return fault && fault->kind == kind; };
    const double headDue = timing.latencyMs;
    const double firstDue = qMax(timing.latencyMs, timing.ttftMs);
    const double interval = timing.tokensPerSecond > 0 ? 1000.0 / timing.tokensPerSecond : 0;

    if (is(Kind::Close))
        return {0, {}, {{0, {}, Action::Close}}};
    if (is(Kind::Stall) && fault->afterTokens < 0)
        return {0, {}, {{0, {}, Action::Stall}}};
    if (is(Kind::Status) || (is(Kind::StreamError) && !request.stream)) {
        const int status = is(Kind::Status) ? fault->status : 500;
        const QString message = status == 429
                                    ? u"Rate limit reached for requests. Please try again later."_s
                                    : u"The server had an error while processing your request."_s;
        return error(request.api, status, message, id, keepAlive, headDue,
                     fault->retryAfterSeconds);
    }

    if (is(Kind::EndlessDeltas) || is(Kind::EndlessLine) || is(Kind::EndlessEvent))
        return endless(ChatBody(request, {}, false, id, created), request, *fault, headDue);

    QString text = reply;
    if (is(Kind::Large))
        text = ScriptEngine::filler(fault->tokens, request.context.seed);
    else if (is(Kind::SplitUtf8))
        text = u"Café 😀 "_s + text;
    else if (is(Kind::InvalidUtf8))
        text = u"Bytes that are not UTF-8: "_s + kInvalidMarker + u" end. "_s + text;
    QStringList tokens = ReplyTokenizer::split(text);
    const bool cut = request.maxTokens >= 0 && tokens.size() > request.maxTokens;
    if (cut)
        tokens.resize(request.maxTokens);

    ResponsePlan plan;
    plan.reply = tokens.join(QString());
    plan.reply.replace(kInvalidMarker, u"\uFFFD\uFFFD"_s);
    const ChatBody body(request, tokens, cut, id, created);
    const auto tokenDue = [&](qsizetype i) { return firstDue + double(i) * interval; };

    QList<Piece> pieces;
    if (request.stream) {
        pieces = body.stream(headDue, tokenDue);
    } else {
        pieces.append({tokens.isEmpty() ? firstDue : tokenDue(tokens.size() - 1), body.whole()});
    }

    Action endAction = keepAlive ? Action::Finish : Action::Close;
    bool terminateChunks = true;
    double endAt = 0;
    if (fault) {
        const qsizetype at = pieceOfToken(pieces, fault->afterTokens);
        const double atDue = at < pieces.size() ? pieces.at(at).dueMs : pieces.last().dueMs;
        switch (fault->kind) {
        case Kind::Reset:
        case Kind::Truncate:
        case Kind::Stall:
            if (request.stream) {
                pieces.resize(at);
            } else {
                Piece &whole = pieces.first();
                whole.data.truncate(whole.data.size() / 2);
            }
            endAction = fault->kind == Kind::Reset   ? Action::Reset
                        : fault->kind == Kind::Stall ? Action::Stall
                                                     : Action::Close;
            // A reset or stall leaves the chunked body unterminated; a truncation ends it
            // properly, so only the missing end marker tells the client something is wrong.
            terminateChunks = fault->kind == Kind::Truncate;
            endAt = atDue;
            break;
        case Kind::StreamError:
            pieces.resize(at);
            pieces.append({atDue, body.streamError(), Piece::Kind::Closing});
            endAction = Action::Close;
            break;
        case Kind::Malformed:
            if (request.stream)
                pieces.insert(at, {atDue, body.malformedEvent(), Piece::Kind::Preamble});
            else
                pieces.first().data.truncate(pieces.first().data.size() / 2);
            break;
        case Kind::Trickle: {
            QByteArray all;
            for (const Piece &piece : std::as_const(pieces))
                all += piece.data;
            pieces.clear();
            for (qsizetype i = 0; i < all.size(); i += fault->bytesPerWrite) {
                pieces.append({firstDue + double(i / fault->bytesPerWrite) * fault->intervalMs,
                               all.mid(i, fault->bytesPerWrite)});
            }
            break;
        }
        case Kind::InvalidUtf8:
            for (Piece &piece : pieces)
                piece.data.replace(kInvalidMarkerUtf8, kInvalidBytes);
            break;
        case Kind::SplitUtf8:
            pieces = splitMultiByte(pieces);
            break;
        case Kind::Status:
        case Kind::Close:
        case Kind::Large:
        case Kind::KeyEcho:
        case Kind::EndlessDeltas:
        case Kind::EndlessLine:
        case Kind::EndlessEvent:
            break;
        }
    }

    QByteArray bodyBytes;
    for (const Piece &piece : std::as_const(pieces))
        bodyBytes += piece.data;
    HeaderList headers;
    if (request.stream) {
        headers = {{"Content-Type", "text/event-stream; charset=utf-8"},
                   {"Transfer-Encoding", "chunked"},
                   {"Cache-Control", "no-cache"}};
    } else {
        const qsizetype length = is(Kind::Reset) || is(Kind::Truncate) || is(Kind::Stall)
                                     ? body.whole().size()
                                     : bodyBytes.size();
        headers = {{"Content-Type", "application/json"},
                   {"Content-Length", QByteArray::number(length)}};
    }
    headers.append(
        {QByteArray(request.api == Api::Anthropic ? "request-id" : "x-request-id"), requestId(id)});
    headers.append({"Connection"_ba, endAction == Action::Finish ? "keep-alive"_ba : "close"_ba});

    const double headAt = request.stream || pieces.isEmpty() ? headDue : pieces.first().dueMs;
    plan.steps.append(ResponseStep{headAt, head(200, headers), Action::Write, true});
    bool firstTokenSeen = false;
    for (const Piece &piece : std::as_const(pieces)) {
        ResponseStep step{piece.dueMs, request.stream ? chunkFramed(piece.data) : piece.data};
        if (piece.kind == Piece::Kind::Token || !request.stream)
            step.token = ++plan.tokens;
        if (!firstTokenSeen && step.token > 0) {
            step.hasFirstToken = true;
            firstTokenSeen = true;
        }
        plan.steps.append(step);
    }
    const double endDue = qMax(plan.steps.last().dueMs, endAt);
    if (request.stream && terminateChunks)
        plan.steps.append(ResponseStep{endDue, "0\r\n\r\n"_ba});
    plan.steps.append(ResponseStep{endDue, {}, endAction});
    return plan;
}

} // namespace Crosstalk::Fake
