// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/answers.h"

#include <QHash>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Crosstalk::Answers {

namespace {

QString normaliseNumber(const QString &text)
{
    static const QRegularExpression number(
        u"^([-+−]?)(\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(\\d+))?$"_s);
    const auto m = number.match(text);
    if (!m.hasMatch())
        return text;
    QString integer = m.captured(2);
    integer.remove(u',');
    integer.remove(QRegularExpression(u"^0+(?=\\d)"_s));
    QString fraction = m.captured(3);
    while (fraction.endsWith(u'0'))
        fraction.chop(1);
    QString sign = m.captured(1) == u"−"_s ? u"-"_s : m.captured(1);
    if (sign == u"+"_s)
        sign.clear();
    const QString result = integer + (fraction.isEmpty() ? QString() : u'.' + fraction);
    return (result == u"0"_s ? QString() : sign) + result;
}

} // namespace

QString instruction()
{
    return u"End your message with a line of the form \"The answer is X.\", where X is your "
           "current answer."_s;
}

std::optional<QString> extract(const QString &content)
{
    static const QRegularExpression marker(u"the answer is"_s,
                                           QRegularExpression::CaseInsensitiveOption);
    qsizetype at = -1;
    for (auto it = marker.globalMatch(content); it.hasNext();)
        at = it.next().capturedEnd();
    if (at < 0)
        return std::nullopt;
    QString answer = content.mid(at).section(u'\n', 0, 0);
    static const QRegularExpression marks(u"[*_`~]+"_s);
    answer.remove(marks);
    answer = answer.simplified();
    // "The answer is: 42", "the answer is — 42"
    static const QRegularExpression lead(u"^[:\\-–—=\\s]+"_s);
    answer.remove(lead);
    static const QRegularExpression trail(u"[\\s.,;:!?。]+$"_s);
    answer.remove(trail);
    // Quotes around the whole answer.
    static const QRegularExpression quoted(u"^[\"'“‘«](.*)[\"'”’»]$"_s);
    if (const auto m = quoted.match(answer); m.hasMatch())
        answer = m.captured(1).trimmed();
    answer = normaliseNumber(answer);
    if (answer.isEmpty())
        return std::nullopt;
    return answer;
}

QString key(const QString &answer)
{
    return answer.toCaseFolded();
}

std::optional<double> confidence(const QStringList &answersSoFar)
{
    if (answersSoFar.size() < 2)
        return std::nullopt;
    QHash<QString, int> counts;
    int best = 0;
    for (const QString &answer : answersSoFar)
        best = std::max(best, ++counts[key(answer)]);
    return double(best) / double(answersSoFar.size());
}

std::optional<Result> majority(const Session &session)
{
    // Each participant's latest answer, and when each answer was first given.
    QHash<QString, QString> latest;
    QHash<QString, int> firstSeq;
    QHash<QString, QString> spelling;
    for (const Message &m : session.messages) {
        if (!m.isTurn() || !m.answer)
            continue;
        const QString k = key(*m.answer);
        latest.insert(m.speaker, k);
        if (!firstSeq.contains(k)) {
            firstSeq.insert(k, m.seq);
            spelling.insert(k, *m.answer);
        }
    }
    if (latest.isEmpty())
        return std::nullopt;
    QHash<QString, int> votes;
    for (const QString &k : std::as_const(latest))
        ++votes[k];
    QString winner;
    for (auto it = votes.cbegin(); it != votes.cend(); ++it) {
        if (winner.isEmpty() || it.value() > votes.value(winner) ||
            (it.value() == votes.value(winner) &&
             firstSeq.value(it.key()) < firstSeq.value(winner)))
            winner = it.key();
    }
    return Result{spelling.value(winner), votes.value(winner)};
}

bool unanimous(const Session &session, int round)
{
    QString agreed;
    for (const Message &m : session.messages) {
        if (!m.isTurn() || m.round != round || !m.answer)
            continue;
        if (agreed.isEmpty())
            agreed = key(*m.answer);
        else if (agreed != key(*m.answer))
            return false;
    }
    return !agreed.isEmpty();
}

} // namespace Crosstalk::Answers
