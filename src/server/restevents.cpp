// SPDX-License-Identifier: GPL-3.0-or-later
// RestServer's server-sent event streams: GET /v1/crosstalk/{id}/events.
#include "restparts.h"

using namespace Qt::StringLiterals;

namespace Crosstalk {

using namespace RestParts;

std::optional<QHttpServerResponse> RestServer::events(const Call &call)
{
    std::optional<Error> loadError;
    const Session *session = m_engine->load(call.id, &loadError);
    if (!session)
        return failure(loadError ? *loadError : OldToolOperations::noSession(idText(call.id)));

    QHttpHeaders headers;
    headers.append(QHttpHeaders::WellKnownHeader::ContentType, "text/event-stream");
    headers.append(QHttpHeaders::WellKnownHeader::CacheControl, "no-cache");
    const QByteArray origin = call.request.value("origin"_ba);
    if (!origin.isEmpty()) { // screened: a loopback origin
        headers.append("Access-Control-Allow-Origin", origin);
        headers.append("Vary", "Origin");
    }
    QTcpSocket *socket =
        m_gate->connection(call.request.remoteAddress(), call.request.remotePort());
    auto *stream = new EventStream(std::move(call.responder), call.id, socket, this);
    if (socket)
        m_gate->holdOpen(socket, stream);
    stream->responder.writeBeginChunked(headers);

    // Where the session stands, so that a late subscriber can follow from here: the replies
    // still streaming carry the text so far, and the deltas that follow append to it.
    QJsonArray streaming;
    for (const Message &message : session->messages)
        if (message.status == MessageStatus::Streaming)
            streaming.append(SessionDocument::messageToJson(message));
    const QJsonObject hello{{u"event"_s, u"hello"_s},
                            {u"session_id"_s, idText(call.id)},
                            {u"status"_s, enumToString(session->status)},
                            {u"message_count"_s, qint64(session->messages.size())},
                            {u"streaming"_s, streaming}};
    stream->responder.writeChunk(sseEvent(lastEventId(call.id), u"hello"_s, hello));
    if (hasEnded(session->status) && session->isSettled() && !m_engine->hasUnpublished(call.id)) {
        endStream(stream, endEvent(call.id, enumToString(session->status)));
        return std::nullopt;
    }
    m_streams.insert(call.id, stream);
    if (socket)
        connect(socket, &QAbstractSocket::disconnected, stream,
                [this, stream] { forgetStream(stream); });
    if (!m_keepAlive->isActive())
        m_keepAlive->start();
    return std::nullopt;
}

quint64 RestServer::lastEventId(const QUuid &id) const
{
    return m_sequence.value(id, m_eventCount);
}

void RestServer::broadcast(const EngineEvent &event)
{
    // A session's sequence starts from the count of every event so far: one that was let go
    // of and forgotten here goes on above the ids its streams were given before.
    auto it = m_sequence.find(event.sessionId);
    if (it == m_sequence.end())
        it = m_sequence.insert(event.sessionId, m_eventCount);
    const quint64 sequence = ++*it;
    ++m_eventCount;
    if (!m_streams.contains(event.sessionId)) {
        if (event.type == EngineEventType::SessionDeleted)
            m_sequence.remove(event.sessionId);
        return;
    }
    const QByteArray bytes = sseEvent(sequence, enumToString(event.type), event.toJson());
    const QList<EventStream *> streams = m_streams.values(event.sessionId);
    for (EventStream *stream : streams)
        stream->send(bytes);

    QString endStatus;
    if (event.type == EngineEventType::SessionDeleted) {
        endStatus = u"deleted"_s;
    } else if (const Session *session = m_engine->session(event.sessionId);
               session && hasEnded(session->status) && session->isSettled() &&
               !m_engine->hasUnpublished(event.sessionId)) {
        endStatus = enumToString(session->status);
    }
    if (endStatus.isEmpty())
        return;
    const QByteArray end = endEvent(event.sessionId, endStatus);
    for (EventStream *stream : streams)
        endStream(stream, end);
    if (event.type == EngineEventType::SessionDeleted)
        m_sequence.remove(event.sessionId);
}

QByteArray RestServer::endEvent(const QUuid &id, const QString &status) const
{
    return sseEvent(lastEventId(id), u"end"_s,
                    {{u"event"_s, u"end"_s}, {u"session_id"_s, idText(id)}, {u"status"_s, status}});
}

void RestServer::endStream(EventStream *stream, const QByteArray &finalEvent)
{
    forgetStream(stream);
    if (stream->connected())
        stream->responder.writeEndChunked(finalEvent);
}

void RestServer::forgetStream(EventStream *stream)
{
    m_streams.remove(stream->id, stream);
    // Its session went from memory while it was streamed.
    if (!m_streams.contains(stream->id) && !m_engine->session(stream->id))
        m_sequence.remove(stream->id);
    if (m_streams.isEmpty())
        m_keepAlive->stop();
    stream->deleteLater();
}

} // namespace Crosstalk
