// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/sseparser.h"

using namespace Qt::StringLiterals;

namespace Crosstalk {

QList<SseEvent> SseParser::feed(QByteArrayView bytes)
{
    QList<SseEvent> out;
    if (m_exceeded != Limit::None)
        return out;
    qsizetype start = 0;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (m_skipLf) {
            m_skipLf = false;
            if (c == '\n') {
                start = i + 1;
                continue;
            }
        }
        if (c != '\n' && c != '\r')
            continue;
        if (m_line.size() + (i - start) > maxLineBytes) {
            exceed(Limit::Line);
            return out;
        }
        m_line.append(bytes.sliced(start, i - start));
        processLine(m_line, out);
        m_line.clear();
        if (m_exceeded != Limit::None)
            return out;
        m_skipLf = (c == '\r');
        start = i + 1;
    }
    if (m_line.size() + (bytes.size() - start) > maxLineBytes) {
        exceed(Limit::Line);
        return out;
    }
    m_line.append(bytes.sliced(start));
    return out;
}

void SseParser::exceed(Limit limit)
{
    m_exceeded = limit;
    // clear() gives the memory back (resize(0) would keep it).
    m_line.clear();
    m_data.clear();
    m_type.clear();
    m_dataBytes = 0;
    m_hasData = false;
    m_pendingFields = false;
}

bool SseParser::hasIncompleteEvent() const
{
    return m_exceeded != Limit::None || !m_line.isEmpty() || m_pendingFields;
}

void SseParser::processLine(QByteArrayView line, QList<SseEvent> &out)
{
    if (m_firstLine) {
        m_firstLine = false;
        if (line.startsWith("\xEF\xBB\xBF"))
            line = line.sliced(3);
    }
    if (line.isEmpty()) {
        dispatch(out);
        return;
    }
    if (line.front() == ':')
        return; // comment, e.g. a keep-alive

    const qsizetype colon = line.indexOf(':');
    QByteArrayView name = colon < 0 ? line : line.first(colon);
    QByteArrayView value;
    if (colon >= 0) {
        value = line.sliced(colon + 1);
        if (value.startsWith(' '))
            value = value.sliced(1);
    }
    m_pendingFields = true;
    if (name == "event") {
        m_type = QString::fromUtf8(value);
    } else if (name == "data") {
        m_dataBytes += value.size() + 1;
        if (m_dataBytes > maxEventBytes + 1) {
            exceed(Limit::Event);
            return;
        }
        if (m_hasData)
            m_data += u'\n';
        m_data += QString::fromUtf8(value);
        m_hasData = true;
    } else if (name == "id") {
        if (!value.contains('\0'))
            m_lastEventId = QString::fromUtf8(value);
    } else if (name == "retry") {
        bool digitsOnly = !value.isEmpty();
        for (char c : value)
            digitsOnly = digitsOnly && c >= '0' && c <= '9';
        bool ok = false;
        const int ms = digitsOnly ? QByteArray(value).toInt(&ok) : 0;
        if (ok)
            m_retryMs = ms;
    }
    // Other field names are ignored, as the standard requires.
}

void SseParser::dispatch(QList<SseEvent> &out)
{
    m_pendingFields = false;
    if (m_hasData) {
        SseEvent event;
        if (!m_type.isEmpty())
            event.type = m_type;
        event.data = m_data;
        event.lastEventId = m_lastEventId;
        event.retryMs = m_retryMs;
        out.append(event);
    }
    m_type.clear();
    m_data.clear();
    m_dataBytes = 0;
    m_hasData = false;
    m_retryMs.reset();
}

} // namespace Crosstalk
