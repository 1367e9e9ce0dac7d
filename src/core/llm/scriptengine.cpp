// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/scriptengine.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <iterator>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

// SplitMix64: tiny, fast and, unlike QRandomGenerator's distributions, defined here bit for
// bit, so a seed gives the same reply on every platform and Qt version.
class Rng
{
public:
    explicit Rng(quint64 seed)
        : m_state(seed)
    {}

    quint64 next()
    {
        quint64 z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    template<typename T, std::size_t N>
    const T &pick(const T (&items)[N])
    {
        return items[next() % N];
    }

private:
    quint64 m_state;
};

// qHash is seeded per process, so it cannot make replies reproducible; FNV-1a can.
quint64 stableHash(QStringView text, quint64 hash = 0xCBF29CE484222325ULL)
{
    for (const char c : text.toUtf8()) {
        hash ^= quint8(c);
        hash *= 0x100000001B3ULL;
    }
    return hash;
}

Rng rngFor(const ScriptContext &context)
{
    quint64 h = stableHash(context.speaker.toCaseFolded(), context.seed);
    h = stableHash(context.topic, h);
    h = stableHash(QString(QString::number(context.round) + turnKindName(context.kind)), h);
    return Rng(h);
}

const QStringView kOpeners[] = {u"Let me open on", u"My opening thought on", u"To start us off on",
                                u"First impressions on"};
const QStringView kClaims[] = {u"the heart of it is trade-offs, not absolutes.",
                               u"the evidence points in a clearer direction than people admit.",
                               u"we should separate what is known from what is assumed.",
                               u"the simplest explanation deserves the first look.",
                               u"the long-term effects matter more than the short-term ones.",
                               u"the people affected most should weigh most in the answer."};
const QStringView kSupports[] = {u"I will argue this from first principles.",
                                 u"Concrete examples will make the case.",
                                 u"Costs and benefits both deserve a fair hearing.",
                                 u"Let us test this against the strongest objection."};
const QStringView kReactions[] = {
    u"I agree, and would go further.", u"that is fair, but incomplete.", u"I see it differently.",
    u"that deserves a closer look.", u"good point, with one caveat: scale changes the picture."};
const QStringView kConclusions[] = {u"the balanced position holds up best",
                                    u"the cautious view is the better supported one",
                                    u"the bolder proposal wins on the evidence",
                                    u"each side is right about a different part of the question"};
const QStringView kFillerWords[] = {u"lorem",       u"ipsum",      u"dolor",  u"sit",   u"amet",
                                    u"consectetur", u"adipiscing", u"elit",   u"sed",   u"do",
                                    u"tempor",      u"incididunt", u"labore", u"magna", u"aliqua",
                                    u"enim",        u"minim",      u"veniam", u"quis",  u"nostrud"};

// At most maxWords words of text, marked as cut when they were.
QString shortened(QStringView text, int maxWords)
{
    const QStringList words = text.toString().simplified().split(u' ', Qt::SkipEmptyParts);
    if (words.size() <= maxWords)
        return words.join(u' ');
    return words.first(maxWords).join(u' ') + u"…"_s;
}

QString topicLine(const ScriptContext &context)
{
    const QString firstLine = context.topic.section(u'\n', 0, 0);
    return u"“"_s + shortened(firstLine, 12) + u"”"_s;
}

// The last sentence of what someone said: what "their last point" means in a reply.
QString lastPoint(QStringView text)
{
    const QString flat = text.toString().simplified();
    qsizetype end = flat.size();
    while (end > 0 && (flat[end - 1] == u'.' || flat[end - 1] == u'!' || flat[end - 1] == u'?'))
        --end;
    qsizetype begin = end;
    while (begin > 0 && flat[begin - 1] != u'.' && flat[begin - 1] != u'!' &&
           flat[begin - 1] != u'?')
        --begin;
    return shortened(QStringView(flat).sliced(begin, end - begin), 12);
}

QString joinNames(const QStringList &names)
{
    if (names.size() <= 1)
        return names.join(QString());
    return names.first(names.size() - 1).join(u", "_s) + u" and "_s + names.last();
}

// The latest turn of each other participant, in the order they first spoke.
QList<ScriptTurn> peersLatest(const ScriptContext &context)
{
    QList<ScriptTurn> latest;
    for (const ScriptTurn &turn : context.visible) {
        if (turn.speaker.isEmpty() ||
            turn.speaker.compare(context.speaker, Qt::CaseInsensitive) == 0)
            continue;
        auto it = std::find_if(latest.begin(), latest.end(), [&](const ScriptTurn &t) {
            return t.speaker.compare(turn.speaker, Qt::CaseInsensitive) == 0;
        });
        if (it == latest.end())
            latest.append(turn);
        else
            it->text = turn.text;
    }
    return latest;
}

QString roundLabel(const ScriptContext &context)
{
    return u"round %1 of %2"_s.arg(context.round + 1)
        .arg(qMax(context.totalRounds, context.round + 1));
}

} // namespace

bool ScriptMatch::matches(const ScriptContext &context) const
{
    if (!model.isEmpty() && model.compare(context.model, Qt::CaseInsensitive) != 0)
        return false;
    if (!participant.isEmpty() && participant.compare(context.speaker, Qt::CaseInsensitive) != 0)
        return false;
    return round < 0 || round == context.round;
}

std::optional<ScriptMatch> ScriptMatch::fromJson(const QJsonObject &rule, QString *error)
{
    ScriptMatch match;
    for (const auto &[key, target] :
         {std::pair{u"model"_s, &match.model}, std::pair{u"participant"_s, &match.participant}}) {
        const QJsonValue value = rule.value(key);
        if (value.isUndefined())
            continue;
        if (!value.isString()) {
            *error = u"\"%1\" must be a string"_s.arg(key);
            return std::nullopt;
        }
        *target = value.toString();
    }
    const QJsonValue round = rule.value(u"round"_s);
    if (!round.isUndefined()) {
        if (!round.isDouble() || round.toDouble() < 0 || round.toDouble() != round.toInt()) {
            *error = u"\"round\" must be a whole number ≥ 0 (rounds count from 0)"_s;
            return std::nullopt;
        }
        match.round = round.toInt();
    }
    return match;
}

std::optional<ScriptReply> ScriptReply::fromJson(const QJsonObject &reply, QString *error)
{
    if (reply.size() != 1) {
        *error = u"a reply needs exactly one of \"persona\", \"answer\", \"echo\", \"filler\", "
                 u"\"text\""_s;
        return std::nullopt;
    }
    const QString key = reply.begin().key();
    const QJsonValue value = reply.begin().value();
    ScriptReply result;
    if (key == u"persona" && value.toBool()) {
        result.kind = Kind::Persona;
    } else if (key == u"answer" && (value.isString() || value.isDouble())) {
        result.kind = Kind::Answer;
        result.text = value.isString() ? value.toString() : QString::number(value.toDouble());
    } else if (key == u"echo" && value.toBool()) {
        result.kind = Kind::Echo;
    } else if (key == u"filler" && value.isDouble() && value.toInt() >= 0 &&
               value.toDouble() == value.toInt()) {
        result.kind = Kind::Filler;
        result.tokens = value.toInt();
    } else if (key == u"text" && value.isString()) {
        result.kind = Kind::Fixed;
        result.text = value.toString();
    } else {
        *error = u"invalid reply \"%1\""_s.arg(key);
        return std::nullopt;
    }
    return result;
}

void ScriptEngine::addRule(const ScriptRule &rule)
{
    m_rules.append(rule);
}

QString ScriptEngine::reply(const ScriptContext &context) const
{
    const auto rule = std::find_if(m_rules.cbegin(), m_rules.cend(),
                                   [&](const ScriptRule &r) { return r.match.matches(context); });
    const ScriptReply reply = rule == m_rules.cend() ? ScriptReply() : rule->reply;
    switch (reply.kind) {
    case ScriptReply::Kind::Persona:
        return personaReply(context);
    case ScriptReply::Kind::Answer:
        return answerReply(context, reply.text);
    case ScriptReply::Kind::Echo:
        return context.lastUserText;
    case ScriptReply::Kind::Filler:
        return filler(reply.tokens, rngFor(context).next());
    case ScriptReply::Kind::Fixed:
        return reply.text;
    }
    Q_UNREACHABLE_RETURN(QString());
}

QString ScriptEngine::personaReply(const ScriptContext &context)
{
    Rng rng = rngFor(context);
    const QString name = context.speaker.isEmpty() ? u"Your participant"_s : context.speaker;
    const QList<ScriptTurn> peers = peersLatest(context);

    switch (context.kind) {
    case TurnKind::Opening:
        return u"%1 here. %2 %3: %4 %5"_s.arg(name, rng.pick(kOpeners), topicLine(context),
                                              rng.pick(kClaims), rng.pick(kSupports));
    case TurnKind::Exchange: {
        QString text = u"%1 here, %2. "_s.arg(name, roundLabel(context));
        if (peers.isEmpty()) {
            text += u"No one else's words have reached me yet, so let me sharpen my own view "
                    u"on %1: %2"_s.arg(topicLine(context), rng.pick(kClaims));
            return text;
        }
        for (const ScriptTurn &peer : peers.first(qMin(peers.size(), 3))) {
            text += u"%1, you said “%2” — %3 "_s.arg(peer.speaker, lastPoint(peer.text),
                                                     rng.pick(kReactions));
        }
        return text + u"My point this round: "_s + rng.pick(kClaims);
    }
    case TurnKind::Verdict: {
        const QStringView conclusion = rng.pick(kConclusions);
        if (peers.isEmpty())
            return u"Verdict from %1: I conclude that %2 on %3."_s.arg(name, conclusion,
                                                                       topicLine(context));
        QStringList names;
        for (const ScriptTurn &peer : peers)
            names.append(peer.speaker);
        const QString strongest = names.at(qsizetype(rng.next() % quint64(names.size())));
        return u"Verdict from %1: having weighed %2, I conclude that %3 on %4. %5 made the "
               u"strongest case."_s.arg(name, joinNames(names), conclusion, topicLine(context),
                                        strongest);
    }
    }
    Q_UNREACHABLE_RETURN(QString());
}

QString ScriptEngine::answerReply(const ScriptContext &context, const QString &answer)
{
    return personaReply(context) + u"\n\nThe answer is "_s + answer + u"."_s;
}

QString ScriptEngine::filler(int tokens, quint64 seed)
{
    Rng rng(seed);
    QString text;
    for (int i = 0; i < tokens; ++i) {
        if (i > 0)
            text += u' ';
        text += rng.pick(kFillerWords);
    }
    if (tokens > 0)
        text += u'.';
    return text;
}

std::optional<ScriptEngine> ScriptEngine::fromJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (!document.isObject()) {
        *error = parseError.error != QJsonParseError::NoError
                     ? u"not JSON: %1 at offset %2"_s.arg(parseError.errorString())
                           .arg(parseError.offset)
                     : u"the script must be a JSON object"_s;
        return std::nullopt;
    }
    const QJsonObject root = document.object();
    ScriptEngine engine;
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (it.key() != u"seed" && it.key() != u"rules") {
            *error = u"unknown key \"%1\""_s.arg(it.key());
            return std::nullopt;
        }
    }
    const QJsonValue seed = root.value(u"seed"_s);
    if (!seed.isUndefined()) {
        if (!seed.isDouble() || seed.toDouble() < 0 || seed.toDouble() != seed.toInteger()) {
            *error = u"\"seed\" must be a whole number ≥ 0"_s;
            return std::nullopt;
        }
        engine.setSeed(quint64(seed.toInteger()));
    }
    const QJsonArray rules = root.value(u"rules"_s).toArray();
    for (qsizetype i = 0; i < rules.size(); ++i) {
        const QJsonObject rule = rules.at(i).toObject();
        QString ruleError;
        const auto match = ScriptMatch::fromJson(rule, &ruleError);
        std::optional<ScriptReply> reply;
        if (match && rule.contains(u"reply"_s))
            reply = ScriptReply::fromJson(rule.value(u"reply"_s).toObject(), &ruleError);
        if (!ruleError.isEmpty()) {
            *error = u"rule %1: %2"_s.arg(i + 1).arg(ruleError);
            return std::nullopt;
        }
        // Rules without a reply only carry faults, which the fake server reads itself.
        if (reply)
            engine.addRule({*match, *reply});
    }
    return engine;
}

std::optional<ScriptEngine> ScriptEngine::fromFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"%1: %2"_s.arg(path, file.errorString());
        return std::nullopt;
    }
    auto engine = fromJson(file.readAll(), error);
    if (!engine)
        *error = path + u": "_s + *error;
    return engine;
}

} // namespace Crosstalk
