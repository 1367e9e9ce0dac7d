// SPDX-License-Identifier: GPL-3.0-or-later
// The engine event reader (events replayed from JSON) on arbitrary bytes.
#include "engine/engineevent.h"
#include "fuzzsupport.h"

#include <QJsonDocument>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QJsonDocument document = QJsonDocument::fromJson(
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (document.isObject())
        Crosstalk::EngineEvent::fromJson(document.object());
    return 0;
}
