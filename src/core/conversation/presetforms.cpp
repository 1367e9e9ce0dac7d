// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/presetforms.h"

#include "conversation/session.h"
#include "persona/personalibrary.h"

#include <QHash>

#include <limits>

using namespace Qt::StringLiterals;

namespace Crosstalk::PresetForms {

namespace {

QString fromStd(const std::string &text)
{
    return QString::fromStdString(text);
}

// Participant names from model aliases: the alias, and `-2`, `-3` for its repetitions.
QString numberedName(const QString &alias, QHash<QString, int> &uses)
{
    const int use = ++uses[alias];
    return use == 1 ? alias : alias + u'-' + QString::number(use);
}

QString countProblem(const QString &what)
{
    return u"must list "_s + QString::number(Session::minParticipants) + u" to "_s +
           QString::number(Session::maxParticipants) + u' ' + what;
}

// Reports names given twice; `paths` are where each name came from.
void checkUniqueNames(YamlReader &reader, const QList<Participant> &participants,
                      const QStringList &paths, const QList<YAML::Node> &nodes)
{
    QHash<QString, qsizetype> first;
    for (qsizetype i = 0; i < participants.size(); ++i) {
        const QString &name = participants.at(i).name;
        const auto it = first.constFind(name);
        if (it != first.cend()) {
            reader.fail(paths.at(i), nodes.at(i),
                        u"the participant name "_s + quoted(name) + u" is already taken by "_s +
                            paths.at(*it) + u"; names must be unique"_s);
        } else {
            first.insert(name, i);
        }
    }
}

} // namespace

QString quoted(const QString &text)
{
    return u'`' + text + u'`';
}

std::optional<QString> PresetContext::modelAlias(const QString &path, const YAML::Node &node)
{
    const std::optional<QString> alias = reader.name(path, node);
    if (alias && !knownModels.isEmpty() && !knownModels.contains(*alias)) {
        reader.fail(path, node,
                    u"model "_s + quoted(*alias) + u" is not configured (known: "_s +
                        knownModels.join(u", "_s) + u')');
        return std::nullopt;
    }
    return alias;
}

std::optional<Persona> PresetContext::persona(const QString &path, const YAML::Node &node)
{
    const std::optional<QString> reference =
        reader.string(path, node, 1, std::numeric_limits<qsizetype>::max());
    if (!reference) {
        return std::nullopt;
    }
    const Parsed<Persona> persona = library.resolve(*reference, PersonaTrust::Local, baseFolder);
    for (const FieldError &error : persona.errors) {
        reader.fail(path, node, error.toString());
    }
    if (persona.value) {
        for (const QString &warning : persona.value->warnings) {
            warnings.append(path + u": "_s + warning);
        }
    }
    return persona.value;
}

void readModelsForm(PresetContext &context, const YAML::Node &models,
                    const std::optional<YAML::Node> &prompts, QList<Participant> &participants)
{
    YamlReader &reader = context.reader;
    if (!models.IsSequence()) {
        reader.fail(u"models"_s, models, u"must be a list of model aliases, e.g. [big, small]"_s);
        return;
    }
    if (models.size() < std::size_t(Session::minParticipants) ||
        models.size() > std::size_t(Session::maxParticipants)) {
        reader.fail(u"models"_s, models, countProblem(u"models"_s));
    }
    QHash<QString, int> uses;
    QHash<QString, int> counts;
    QStringList paths;
    QList<YAML::Node> nodes;
    for (std::size_t i = 0; i < models.size(); ++i) {
        const QString path = u"models["_s + QString::number(i) + u']';
        const std::optional<QString> alias = context.modelAlias(path, models[i]);
        if (!alias) {
            continue;
        }
        ++counts[*alias];
        Participant participant;
        participant.modelAlias = *alias;
        participant.name = numberedName(*alias, uses);
        participants.append(participant);
        paths.append(path);
        nodes.append(models[i]);
    }
    checkUniqueNames(reader, participants, paths, nodes);
    if (!prompts) {
        return;
    }
    if (!prompts->IsMap()) {
        reader.fail(u"system_prompts"_s, *prompts,
                    u"must map model aliases to personas, e.g. {big: \"path:alice.md\"}"_s);
        return;
    }
    QSet<QString> seen;
    for (auto it = prompts->begin(); it != prompts->end(); ++it) {
        const QString alias = fromStd(it->first.as<std::string>(std::string()));
        const QString path = u"system_prompts."_s + alias;
        if (seen.contains(alias)) {
            reader.fail(path, it->first, u"appears twice"_s);
            continue;
        }
        seen.insert(alias);
        const int count = counts.value(alias);
        if (count == 0) {
            reader.fail(path, it->first, quoted(alias) + u" is not one of the models"_s);
            continue;
        }
        if (count > 1) {
            reader.fail(path, it->first,
                        quoted(alias) + u" appears "_s + QString::number(count) +
                            u" times in models, so which participant gets this persona is "
                            u"ambiguous; use `participants` with a persona for each instead"_s);
            continue;
        }
        const std::optional<Persona> persona = context.persona(path, it->second);
        if (!persona) {
            continue;
        }
        for (Participant &participant : participants) {
            if (participant.modelAlias == alias) {
                participant.persona = persona->prompt;
                participant.personaSource = persona->source;
                participant.colour = persona->colour;
            }
        }
    }
}

void readParticipantsForm(PresetContext &context, const YAML::Node &list,
                          QList<Participant> &participants)
{
    YamlReader &reader = context.reader;
    if (!list.IsSequence()) {
        reader.fail(u"participants"_s, list,
                    u"must be a list of {name, model, persona, colour} entries"_s);
        return;
    }
    if (list.size() < std::size_t(Session::minParticipants) ||
        list.size() > std::size_t(Session::maxParticipants)) {
        reader.fail(u"participants"_s, list, countProblem(u"participants"_s));
    }
    static const QStringList known{u"name"_s,        u"model"_s, u"persona"_s,   u"colour"_s,
                                   u"temperature"_s, u"top_p"_s, u"max_tokens"_s};
    QStringList paths;
    QList<YAML::Node> nodes;
    QList<bool> named;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const QString path = u"participants["_s + QString::number(i) + u']';
        const YAML::Node entry = list[i];
        if (!entry.IsMap()) {
            reader.fail(path, entry, u"must be a mapping with name, model, persona, colour"_s);
            continue;
        }
        const YamlMapping fields = reader.mapping(path, entry, known);
        Participant participant;
        std::optional<Persona> persona;
        if (const auto node = fields.take(u"persona"_s)) {
            persona = context.persona(path + u".persona"_s, *node);
            if (persona) {
                participant.persona = persona->prompt;
                participant.personaSource = persona->source;
                participant.colour = persona->colour;
            }
        }
        // A persona that failed has been reported; a missing model would only repeat it.
        bool ok = persona || !fields.take(u"persona"_s);
        if (const auto node = fields.take(u"model"_s)) {
            const auto alias = context.modelAlias(path + u".model"_s, *node);
            ok = ok && alias.has_value();
            participant.modelAlias = alias.value_or(QString());
        } else if (persona && !persona->model.isEmpty()) {
            participant.modelAlias = persona->model;
        } else if (ok) {
            reader.fail(path + u".model"_s, entry,
                        u"is required (or a persona whose front matter names a model)"_s);
            ok = false;
        }
        YAML::Node nameNode = entry;
        if (const auto node = fields.take(u"name"_s)) {
            const auto name = reader.name(path + u".name"_s, *node);
            ok = ok && name.has_value();
            participant.name = name.value_or(QString());
            nameNode = *node;
        } else if (persona && !persona->name.isEmpty()) {
            participant.name = persona->name;
        }
        if (const auto node = fields.take(u"colour"_s)) {
            const auto colour = reader.colour(path + u".colour"_s, *node);
            ok = ok && colour.has_value();
            participant.colour = colour.value_or(QColor());
        }
        if (const auto node = fields.take(u"temperature"_s)) {
            participant.sampling.temperature =
                reader.number(path + u".temperature"_s, *node, 0, Sampling::maxTemperature);
            ok = ok && participant.sampling.temperature.has_value();
        }
        if (const auto node = fields.take(u"top_p"_s)) {
            participant.sampling.topP = reader.number(path + u".top_p"_s, *node, 0, 1);
            ok = ok && participant.sampling.topP.has_value();
        }
        if (const auto node = fields.take(u"max_tokens"_s)) {
            const auto maxTokens =
                reader.integer(path + u".max_tokens"_s, *node, 1, Sampling::maxMaxTokens);
            ok = ok && maxTokens.has_value();
            if (maxTokens)
                participant.sampling.maxTokens = int(*maxTokens);
        }
        if (!ok) {
            continue;
        }
        named.append(!participant.name.isEmpty());
        participants.append(participant);
        paths.append(path + u".name"_s);
        nodes.append(nameNode);
    }
    // Unnamed participants are named after their models, as with `models`.
    QHash<QString, int> uses;
    for (qsizetype i = 0; i < participants.size(); ++i) {
        if (!named.at(i)) {
            participants[i].name = numberedName(participants.at(i).modelAlias, uses);
        }
    }
    checkUniqueNames(reader, participants, paths, nodes);
}

} // namespace Crosstalk::PresetForms
