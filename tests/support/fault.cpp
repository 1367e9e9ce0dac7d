// SPDX-License-Identifier: GPL-3.0-or-later
#include "fault.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace Crosstalk::Fake {

namespace {

// The n-th ':'-separated argument as a number ≥ minimum, or fallback when it is absent.
std::optional<int> intArgument(const QStringList &parts, qsizetype n, int fallback, int minimum = 0)
{
    if (parts.size() <= n)
        return fallback;
    bool ok = false;
    const int value = parts.at(n).toInt(&ok);
    if (!ok || value < minimum)
        return std::nullopt;
    return value;
}

} // namespace

std::optional<Fault> Fault::parse(const QString &spec, QString *error)
{
    const QStringList parts = spec.trimmed().split(u':');
    const QString name = parts.first().toLower();
    Fault fault;
    fault.spec = spec.trimmed();
    qsizetype maxArguments = 1;
    std::optional<int> first;
    std::optional<int> second = 0;

    bool isStatus = false;
    const int status = name.toInt(&isStatus);
    if (isStatus && status >= 400 && status <= 599) {
        fault.kind = Kind::Status;
        fault.status = status;
        first = intArgument(parts, 1, 1);
        if (first)
            fault.retryAfterSeconds = *first;
    } else if (name == u"close") {
        fault.kind = Kind::Close;
        maxArguments = 0;
        first = 0;
    } else if (name == u"reset" || name == u"truncate") {
        fault.kind = name == u"reset" ? Kind::Reset : Kind::Truncate;
        first = intArgument(parts, 1, 3);
        fault.afterTokens = first.value_or(0);
    } else if (name == u"malformed" || name == u"stream-error") {
        fault.kind = name == u"malformed" ? Kind::Malformed : Kind::StreamError;
        first = intArgument(parts, 1, 1);
        fault.afterTokens = first.value_or(0);
    } else if (name == u"stall") {
        fault.kind = Kind::Stall;
        first = intArgument(parts, 1, -1);
        fault.afterTokens = first.value_or(0);
    } else if (name == u"trickle") {
        fault.kind = Kind::Trickle;
        maxArguments = 2;
        first = intArgument(parts, 1, 10);
        second = intArgument(parts, 2, 1, 1);
        fault.intervalMs = first.value_or(0);
        fault.bytesPerWrite = second.value_or(1);
    } else if (name == u"invalid-utf8" || name == u"split-utf8") {
        fault.kind = name == u"invalid-utf8" ? Kind::InvalidUtf8 : Kind::SplitUtf8;
        maxArguments = 0;
        first = 0;
    } else if (name == u"large") {
        fault.kind = Kind::Large;
        first = intArgument(parts, 1, 200000, 1);
        fault.tokens = first.value_or(0);
    } else if (name == u"endless-deltas" || name == u"endless-line" || name == u"endless-event") {
        fault.kind = name == u"endless-deltas" ? Kind::EndlessDeltas
                     : name == u"endless-line" ? Kind::EndlessLine
                                               : Kind::EndlessEvent;
        first = intArgument(parts, 1, 64, 1);
        fault.kibibytes = first.value_or(64);
    } else if (name == u"key-echo") {
        fault.kind = Kind::KeyEcho;
        maxArguments = 3;
        first = intArgument(parts, 1, 0);
        second = intArgument(parts, 2, 0);
        const auto third = intArgument(parts, 3, -1);
        fault.padding = first.value_or(0);
        fault.keyFrom = second.value_or(0);
        fault.keyLength = third.value_or(-1);
        if (!third)
            second.reset();
    } else {
        *error = u"unknown fault \"%1\""_s.arg(parts.first());
        return std::nullopt;
    }
    if (!first || !second || parts.size() - 1 > maxArguments) {
        *error = u"invalid arguments in fault \"%1\""_s.arg(fault.spec);
        return std::nullopt;
    }
    return fault;
}

std::optional<FaultRule> FaultRule::parse(const QString &spec, QString *error)
{
    const qsizetype at = spec.indexOf(u'@');
    FaultRule rule;
    const auto fault = Fault::parse(at < 0 ? spec : spec.first(at), error);
    if (!fault)
        return std::nullopt;
    rule.fault = *fault;
    if (at < 0)
        return rule;
    for (const QString &selector : spec.sliced(at + 1).split(u',', Qt::SkipEmptyParts)) {
        const QString key = selector.section(u'=', 0, 0).trimmed();
        const QString value = selector.section(u'=', 1).trimmed();
        bool ok = true;
        if (key == u"model")
            rule.match.model = value;
        else if (key == u"participant")
            rule.match.participant = value;
        else if (key == u"round")
            rule.match.round = value.toInt(&ok);
        else if (key == u"nth")
            rule.nth = value.toInt(&ok);
        else
            ok = false;
        if (!ok || rule.match.round < -1 || rule.nth < 0) {
            *error = u"invalid selector \"%1\" in \"%2\""_s.arg(selector, spec);
            return std::nullopt;
        }
    }
    return rule;
}

} // namespace Crosstalk::Fake
