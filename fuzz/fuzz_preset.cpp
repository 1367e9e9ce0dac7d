// SPDX-License-Identifier: GPL-3.0-or-later
// The YAML preset loader on arbitrary bytes, with persona references resolved against a
// temporary library.
#include "conversation/preset.h"
#include "templibrary.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const Crosstalk::Fuzz::TempLibrary &temp = Crosstalk::Fuzz::TempLibrary::instance();
    const QByteArray yaml(reinterpret_cast<const char *>(data), qsizetype(size));
    Crosstalk::Preset::parse(yaml, temp.root(), temp.library(),
                             {QStringLiteral("big"), QStringLiteral("small")});
    return 0;
}
