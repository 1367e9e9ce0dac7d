// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringView>

namespace Crosstalk::Testing {

// Returns `node` with the value at `path` (the syntax of error paths: `messages[5].round`)
// replaced, or removed when `value` is undefined. Lets a test derive a broken document from a
// good one by naming the field it breaks.
inline QJsonValue replaced(const QJsonValue &node, QStringView path, const QJsonValue &value)
{
    if (path.isEmpty()) {
        return value;
    }
    const auto restAfter = [](QStringView text) {
        return text.startsWith(u'.') ? text.mid(1) : text;
    };
    if (path.startsWith(u'[')) {
        const qsizetype close = path.indexOf(u']');
        const qsizetype index = path.mid(1, close - 1).toInt();
        const QStringView rest = restAfter(path.mid(close + 1));
        QJsonArray array = node.toArray();
        if (rest.isEmpty() && value.isUndefined()) {
            array.removeAt(index);
        } else {
            array[index] = replaced(array.at(index), rest, value);
        }
        return array;
    }
    qsizetype end = 0;
    while (end < path.size() && path.at(end) != u'.' && path.at(end) != u'[') {
        ++end;
    }
    const QString key = path.left(end).toString();
    const QStringView rest = restAfter(path.mid(end));
    QJsonObject object = node.toObject();
    if (rest.isEmpty() && value.isUndefined()) {
        object.remove(key);
    } else {
        object.insert(key, replaced(object.value(key), rest, value));
    }
    return object;
}

inline QJsonObject replaced(const QJsonObject &object, QStringView path, const QJsonValue &value)
{
    return replaced(QJsonValue(object), path, value).toObject();
}

} // namespace Crosstalk::Testing
