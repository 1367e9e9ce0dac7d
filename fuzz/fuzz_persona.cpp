// SPDX-License-Identifier: GPL-3.0-or-later
// Persona files and persona references from remote input (REST, MCP). The first byte chooses
// whether the rest is the bytes of a persona file or a reference resolved at Remote trust in a
// temporary library; a reference that resolves to a file must stay inside the library.
#include "persona/persona.h"
#include "templibrary.h"

#include <QFileInfo>

using namespace Crosstalk;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    if (data[0] % 2 == 0) {
        Persona::fromFileBytes(rest, QStringLiteral("fuzz.md"));
        return 0;
    }
    const Fuzz::TempLibrary &temp = Fuzz::TempLibrary::instance();
    const Parsed<Persona> persona =
        temp.library().resolve(QString::fromUtf8(rest), PersonaTrust::Remote);
    if (persona.value && !persona.value->filePath.isEmpty()) {
        const QString inside = QFileInfo(temp.folder()).canonicalFilePath() + u'/';
        if (!QFileInfo(persona.value->filePath).canonicalFilePath().startsWith(inside))
            Fuzz::fail("a Remote reference resolved to a file outside the library");
    }
    return 0;
}
