// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QIODevice>
#include <QStringEncoder>
#include <QStringView>

namespace Crosstalk {

// UTF-8 output to a device through one reused buffer: text is encoded in place and handed to
// the device in large chunks, so an export of any size costs no intermediate strings.
class ExportStream
{
public:
    explicit ExportStream(QIODevice &device);

    ExportStream &operator<<(QStringView text);
    ExportStream &operator<<(QLatin1StringView text);
    ExportStream &operator<<(QByteArrayView utf8);
    ExportStream &operator<<(char c);

    // Hands what is buffered to the device; false once any write has failed.
    bool flush();
    bool ok() const { return m_ok; }
    QString errorString() const { return m_device.errorString(); }

private:
    void flushIfFull();

    QIODevice &m_device;
    QByteArray m_buffer;
    QStringEncoder m_encoder{QStringEncoder::Utf8};
    bool m_ok = true;
};

} // namespace Crosstalk
