// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/parsed.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>

namespace Crosstalk::JsonSchema {

// Checks a value against the part of JSON Schema the MCP tools' input schemas use (type, enum,
// anyOf, string lengths, number ranges, items, required, properties, additionalProperties),
// naming each problem as the arguments name the field (`models[1].model`). Empty when the value
// fits.
QList<FieldError> check(const QJsonValue &value, const QJsonObject &schema);

} // namespace Crosstalk::JsonSchema
