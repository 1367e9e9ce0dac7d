// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/exportstream.h"

namespace Crosstalk {

namespace {
constexpr qsizetype chunkSize = 256 * 1024;
}

ExportStream::ExportStream(QIODevice &device)
    : m_device(device)
{
    m_buffer.reserve(chunkSize + chunkSize / 4);
}

ExportStream &ExportStream::operator<<(QStringView text)
{
    const qsizetype used = m_buffer.size();
    m_buffer.resize(used + m_encoder.requiredSpace(text.size()));
    char *end = m_encoder.appendToBuffer(m_buffer.data() + used, text);
    m_buffer.truncate(end - m_buffer.constData());
    flushIfFull();
    return *this;
}

ExportStream &ExportStream::operator<<(QLatin1StringView text)
{
    // Only ever ASCII here (markup), which is its own UTF-8.
    m_buffer.append(text.data(), text.size());
    flushIfFull();
    return *this;
}

ExportStream &ExportStream::operator<<(QByteArrayView utf8)
{
    m_buffer.append(utf8);
    flushIfFull();
    return *this;
}

ExportStream &ExportStream::operator<<(char c)
{
    m_buffer.append(c);
    return *this;
}

void ExportStream::flushIfFull()
{
    if (m_buffer.size() >= chunkSize) {
        flush();
    }
}

bool ExportStream::flush()
{
    if (m_ok && !m_buffer.isEmpty()) {
        m_ok = m_device.write(m_buffer) == m_buffer.size();
    }
    m_buffer.resize(0);
    return m_ok;
}

} // namespace Crosstalk
