// SPDX-License-Identifier: GPL-3.0-or-later
#include "requestinference.h"

#include "llm/replytokenizer.h"

#include <QJsonArray>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Crosstalk::Fake {

namespace {

struct Turn
{
    QString role;
    QString name; // OpenAI's optional per-message "name"
    QString text;
};

// Both APIs accept either a string or an array of typed blocks; only text blocks matter here.
QString textOf(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QStringList parts;
    for (const QJsonValue &block : content.toArray()) {
        if (block[u"type"_s].toString() == u"text")
            parts.append(block[u"text"_s].toString());
    }
    return parts.join(u"\n"_s);
}

QString headerText(const QHttpHeaders &headers, QAnyStringView name)
{
    return QString::fromUtf8(headers.value(name).toByteArray()).trimmed();
}

QString speakerFrom(const QString &system)
{
    static const QRegularExpression youAre(
        u"(?:\\bYou are|\\bYour name is|\\bI am)\\s+\\**([\\p{Lu}][\\p{L}\\p{N}_'-]*)"_s);
    static const QRegularExpression frontMatterName(u"^name:\\s*(.+?)\\s*$"_s,
                                                    QRegularExpression::MultilineOption);
    if (const auto m = youAre.match(system); m.hasMatch())
        return m.captured(1);
    if (const auto m = frontMatterName.match(system); m.hasMatch())
        return m.captured(1);
    return {};
}

// "Alice: text", "**Alice**: text" or "[Alice] text" at the start of a line opens a turn by
// Alice; following lines belong to it up to a blank line or the next label.
// Crosstalk's first user turn names everyone: "You are big, in a conversation with middle and
// small." Names from it count as speaker labels even when they are not capitalised.
struct Cast
{
    QString speaker;
    QStringList others;
};

Cast castFrom(const QString &firstUserTurn)
{
    static const QRegularExpression intro(u"^You are (.+?), in a conversation with (.+?)\\.\\n"_s);
    const auto m = intro.match(firstUserTurn);
    if (!m.hasMatch())
        return {};
    QString others = m.captured(2);
    others.replace(u" and "_s, u", "_s);
    return {m.captured(1), others.split(u", "_s, Qt::SkipEmptyParts)};
}

QList<ScriptTurn> labelledTurns(const QString &text, const QStringList &knownNames)
{
    static const QRegularExpression label(
        u"^\\s*(?:\\*\\*([\\p{Lu}][\\p{L}\\p{N}_' -]{0,40}?)\\*\\*:?|\\[([\\p{Lu}][\\p{L}\\p{N}_' "
        u"-]{0,40}?)\\]:?|([\\p{Lu}][\\p{L}\\p{N}_'-]*(?: [\\p{Lu}][\\p{L}\\p{N}_'-]*){0,2}):)"
        u"\\s*(.*)$"_s);
    static const QStringList notSpeakers = {u"topic"_s,        u"round"_s, u"instruction"_s,
                                            u"instructions"_s, u"note"_s,  u"task"_s};
    QList<ScriptTurn> turns;
    bool inTurn = false;
    for (const QString &line : text.split(u'\n')) {
        const auto m = label.match(line);
        QString name;
        QString said;
        if (m.hasMatch()) {
            name = m.captured(1) + m.captured(2) + m.captured(3);
            said = m.captured(4);
        } else {
            for (const QString &known : knownNames) {
                if (line.startsWith(known + u": "_s)) {
                    name = known;
                    said = line.mid(known.size() + 2);
                    break;
                }
            }
        }
        if (!name.isEmpty() && !notSpeakers.contains(name.toLower())) {
            turns.append({name, said});
            inTurn = true;
        } else if (!name.isEmpty() || line.trimmed().isEmpty()) {
            inTurn = false;
        } else if (inTurn) {
            turns.last().text += u'\n' + line;
        }
    }
    for (ScriptTurn &turn : turns)
        turn.text = turn.text.trimmed();
    return turns;
}

} // namespace

ChatRequest inferChatRequest(Api api, const QJsonObject &body, const QHttpHeaders &headers,
                             quint64 defaultSeed, QString *error)
{
    ChatRequest request;
    request.api = api;
    if (!body.value(u"model"_s).isString() || body.value(u"model"_s).toString().isEmpty()) {
        *error = u"model: Field required"_s;
        return request;
    }
    if (!body.value(u"messages"_s).isArray()) {
        *error = u"messages: Field required"_s;
        return request;
    }
    const QJsonValue maxTokens = body.contains(u"max_completion_tokens"_s)
                                     ? body.value(u"max_completion_tokens"_s)
                                     : body.value(u"max_tokens"_s);
    if (api == Api::Anthropic && !maxTokens.isDouble()) {
        *error = u"max_tokens: Field required"_s;
        return request;
    }
    if (maxTokens.isDouble())
        request.maxTokens = qMax(0, maxTokens.toInt());
    request.stream = body.value(u"stream"_s).toBool();
    request.includeUsage =
        body.value(u"stream_options"_s).toObject().value(u"include_usage"_s).toBool();

    QString system = api == Api::Anthropic ? textOf(body.value(u"system"_s)) : QString();
    QList<Turn> turns;
    for (const QJsonValue &message : body.value(u"messages"_s).toArray()) {
        const QString role = message[u"role"_s].toString();
        const QString text = textOf(message[u"content"_s]);
        if (role == u"system" || role == u"developer")
            system += (system.isEmpty() ? QString() : u"\n"_s) + text;
        else
            turns.append({role, message[u"name"_s].toString(), text});
    }

    ScriptContext &context = request.context;
    context.model = body.value(u"model"_s).toString();
    context.seed =
        body.value(u"seed"_s).isDouble() ? quint64(body.value(u"seed"_s).toInteger()) : defaultSeed;

    context.speaker = headerText(headers, "x-fake-participant");
    Cast cast;
    for (const Turn &turn : std::as_const(turns)) {
        if (turn.role == u"user") {
            cast = castFrom(turn.text);
            break;
        }
    }
    if (context.speaker.isEmpty())
        context.speaker = cast.speaker;
    if (context.speaker.isEmpty())
        context.speaker = speakerFrom(system);
    if (context.speaker.isEmpty())
        context.speaker = context.model;

    static const QRegularExpression topicLine(u"^\\s*\\**Topic\\**:\\**\\s*(.+)$"_s,
                                              QRegularExpression::MultilineOption |
                                                  QRegularExpression::CaseInsensitiveOption);
    QString lastUser;
    int assistantTurns = 0;
    for (const Turn &turn : std::as_const(turns)) {
        if (turn.role == u"assistant") {
            ++assistantTurns;
            continue;
        }
        lastUser = turn.text;
        if (context.topic.isEmpty()) {
            const auto m = topicLine.match(turn.text);
            context.topic =
                m.hasMatch() ? m.captured(1).trimmed() : turn.text.section(u'\n', 0, 0).trimmed();
        }
        if (!turn.name.isEmpty())
            context.visible.append({turn.name, turn.text});
        else
            context.visible.append(labelledTurns(turn.text, cast.others));
    }
    if (const auto m = topicLine.match(system); m.hasMatch())
        context.topic = m.captured(1).trimmed();
    context.lastUserText = lastUser;

    // Rounds are shown 1-based to models ("Round 3 of 5") and stored 0-based.
    static const QRegularExpression roundOf(u"\\bround (\\d+)(?: of (\\d+))?"_s,
                                            QRegularExpression::CaseInsensitiveOption);
    context.round = assistantTurns;
    context.totalRounds = 0;
    QRegularExpressionMatch lastRound;
    for (auto it = roundOf.globalMatch(lastUser); it.hasNext();)
        lastRound = it.next();
    if (lastRound.hasMatch()) {
        context.round = qMax(0, lastRound.captured(1).toInt() - 1);
        context.totalRounds = lastRound.captured(2).toInt();
    }
    bool ok = false;
    if (const int round = headerText(headers, "x-fake-round").toInt(&ok); ok && round >= 0)
        context.round = round;
    context.totalRounds = qMax(context.totalRounds, context.round + 1);

    if (const auto kind = turnKindFromName(headerText(headers, "x-fake-kind")))
        context.kind = *kind;
    else if (lastUser.contains(u"verdict"_s, Qt::CaseInsensitive))
        context.kind = TurnKind::Verdict;
    else
        context.kind = context.round == 0 ? TurnKind::Opening : TurnKind::Exchange;

    request.inputTokens = int(ReplyTokenizer::count(system));
    for (const Turn &turn : std::as_const(turns))
        request.inputTokens += int(ReplyTokenizer::count(turn.text));
    return request;
}

} // namespace Crosstalk::Fake
