// SPDX-License-Identifier: GPL-3.0-or-later
#include "persona/placeholders.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

const QRegularExpression &placeholderPattern()
{
    static const QRegularExpression pattern(u"\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\}\\}"_s);
    return pattern;
}

} // namespace

const QStringList &knownPlaceholders()
{
    static const QStringList names{u"name"_s, u"topic"_s, u"participants"_s, u"paradigm"_s,
                                   u"round"_s};
    return names;
}

QString fillPlaceholders(const QString &text, const PlaceholderValues &values)
{
    QString result;
    result.reserve(text.size());
    qsizetype copied = 0;
    auto matches = placeholderPattern().globalMatch(text);
    while (matches.hasNext()) {
        const QRegularExpressionMatch match = matches.next();
        const QString key = match.captured(1);
        QString value;
        if (key == u"name"_s) {
            value = values.name;
        } else if (key == u"topic"_s) {
            value = values.topic;
        } else if (key == u"participants"_s) {
            value = values.participants.join(u", "_s);
        } else if (key == u"paradigm"_s) {
            value = values.paradigm;
        } else if (key == u"round"_s) {
            value = QString::number(values.roundIndex + 1);
        } else {
            continue;
        }
        result += QStringView(text).mid(copied, match.capturedStart() - copied);
        result += value;
        copied = match.capturedEnd();
    }
    result += QStringView(text).mid(copied);
    return result;
}

QStringList findUnknownPlaceholders(const QString &text)
{
    QStringList unknown;
    auto matches = placeholderPattern().globalMatch(text);
    while (matches.hasNext()) {
        const QString key = matches.next().captured(1);
        if (!knownPlaceholders().contains(key) && !unknown.contains(key)) {
            unknown.append(key);
        }
    }
    return unknown;
}

} // namespace Crosstalk
