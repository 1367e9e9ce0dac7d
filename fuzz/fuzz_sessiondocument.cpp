// SPDX-License-Identifier: GPL-3.0-or-later
// The session document reader (import, REST) on arbitrary bytes.
#include "conversation/sessiondocument.h"
#include "fuzzsupport.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    Crosstalk::SessionDocument::read(bytes);
    return 0;
}
