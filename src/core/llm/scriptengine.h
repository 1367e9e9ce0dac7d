// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "llm/scriptcontext.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace Crosstalk {

// Which requests a rule applies to. Empty fields match anything; names compare
// case-insensitively.
struct ScriptMatch
{
    QString model;
    QString participant;
    int round = -1; // 0-based, -1 for any

    bool matches(const ScriptContext &context) const;
    // Reads the optional keys "model", "participant" and "round" of a rule object.
    static std::optional<ScriptMatch> fromJson(const QJsonObject &rule, QString *error);
};

// What to say. Persona is the default: a reply shaped by the speaker's name and the kind of
// turn; the others exist so tests and benchmarks can ask for exactly what they need.
struct ScriptReply
{
    enum class Kind
    {
        Persona,
        Answer,
        Echo,
        Filler,
        Fixed
    };

    Kind kind = Kind::Persona;
    QString text;   // the answer for Answer, the whole reply for Fixed
    int tokens = 0; // the length of Filler

    static std::optional<ScriptReply> fromJson(const QJsonObject &reply, QString *error);
};

struct ScriptRule
{
    ScriptMatch match;
    ScriptReply reply;
};

// Produces replies for the demo model and the fake LLM server. The same context and seed
// always give the same text; the first rule that matches a context decides the kind of reply.
class ScriptEngine
{
public:
    void addRule(const ScriptRule &rule);
    const QList<ScriptRule> &rules() const { return m_rules; }

    // The seed a caller puts into contexts that do not bring their own.
    quint64 seed() const { return m_seed; }
    void setSeed(quint64 seed) { m_seed = seed; }

    QString reply(const ScriptContext &context) const;

    static QString personaReply(const ScriptContext &context);
    static QString answerReply(const ScriptContext &context, const QString &answer);
    static QString filler(int tokens, quint64 seed);

    // The script file format is documented in tests/support/README.md.
    static std::optional<ScriptEngine> fromJson(const QByteArray &json, QString *error);
    static std::optional<ScriptEngine> fromFile(const QString &path, QString *error);

private:
    QList<ScriptRule> m_rules;
    quint64 m_seed = 0;
};

} // namespace Crosstalk
