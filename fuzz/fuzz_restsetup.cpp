// SPDX-License-Identifier: GPL-3.0-or-later
// The body of `POST /v1/crosstalk/setup` on arbitrary bytes, read as RestServer reads it: the
// nesting check, the JSON parse, then the request reader with personas resolved at Remote trust
// in a temporary library and its error names mapped back to the request's.
#include "config/settings.h"
#include "llm/modelregistry.h"
#include "setuprequest.h"
#include "templibrary.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const Crosstalk::Fuzz::TempLibrary &temp = Crosstalk::Fuzz::TempLibrary::instance();
    static const Crosstalk::Settings settings(temp.root() + QStringLiteral("/crosstalk.conf"));
    static const Crosstalk::ModelRegistry registry =
        Crosstalk::ModelRegistry::load(QProcessEnvironment(), &settings);

    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    if (Crosstalk::SetupRequest::nestingDepth(json) > Crosstalk::SetupRequest::maxNestingDepth)
        return 0;
    const QJsonDocument document = QJsonDocument::fromJson(json);
    if (!document.isObject())
        return 0;
    const QJsonObject body = document.object();
    const auto draft = Crosstalk::SetupRequest::read(body, registry, temp.library(), nullptr);
    if (!draft)
        Crosstalk::SetupRequest::requestFieldNames(draft.errors, body);
    return 0;
}
