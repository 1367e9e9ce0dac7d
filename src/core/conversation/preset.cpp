// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/preset.h"

#include "common/yamlreader.h"
#include "conversation/setupjson.h"
#include "persona/persona.h"
#include "persona/personalibrary.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

using SetupJson::maxContextWindow;
constexpr qint64 maxPresetBytes = 1024 * 1024;
const auto kPathPrefix = u"path:"_s;

QString fromStd(const std::string &text)
{
    return QString::fromStdString(text);
}

std::string toStd(const QString &text)
{
    return text.toStdString();
}

// Writes the scalars of SetupJson's form as YAML; the preset reader takes the same keys.
void emitScalar(YAML::Emitter &out, const QJsonValue &value)
{
    if (value.isBool()) {
        out << value.toBool();
    } else if (value.isString()) {
        out << toStd(value.toString());
    } else if (const double number = value.toDouble(); number == double(value.toInteger())) {
        out << value.toInteger();
    } else {
        out << number;
    }
}

// The members of `object` that are not null; a nested object becomes a nested mapping, left
// out when none of its members is set.
void emitMembers(YAML::Emitter &out, const QJsonObject &object)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it->isNull()) {
            continue;
        }
        if (it->isObject()) {
            const QJsonObject inner = it->toObject();
            if (std::all_of(inner.begin(), inner.end(),
                            [](const QJsonValueConstRef &value) { return value.isNull(); })) {
                continue;
            }
            out << YAML::Key << toStd(it.key()) << YAML::Value << YAML::BeginMap;
            emitMembers(out, inner);
            out << YAML::EndMap;
            continue;
        }
        out << YAML::Key << toStd(it.key()) << YAML::Value;
        emitScalar(out, *it);
    }
}

QString quoted(const QString &text)
{
    return u'`' + text + u'`';
}

// What the rest of the parse needs to know besides the reader.
struct Context
{
    YamlReader &reader;
    const QString &baseFolder;
    const PersonaLibrary &library;
    const QStringList &knownModels;
    QStringList &warnings;

    std::optional<QString> modelAlias(const QString &path, const YAML::Node &node)
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

    std::optional<Persona> persona(const QString &path, const YAML::Node &node)
    {
        const std::optional<QString> reference =
            reader.string(path, node, 1, std::numeric_limits<qsizetype>::max());
        if (!reference) {
            return std::nullopt;
        }
        const Parsed<Persona> persona =
            library.resolve(*reference, PersonaTrust::Local, baseFolder);
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
};

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

void readModelsForm(Context &context, const YAML::Node &models,
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

void readParticipantsForm(Context &context, const YAML::Node &list,
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
    static const QStringList known{u"name"_s, u"model"_s, u"persona"_s, u"colour"_s};
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

void readOptions(Context &context, const YamlMapping &top, SessionOptions &options)
{
    YamlReader &reader = context.reader;
    if (const auto node = top.take(u"answer_mode"_s)) {
        options.answerMode = reader.boolean(u"answer_mode"_s, *node).value_or(options.answerMode);
    }
    if (const auto node = top.take(u"schedule"_s)) {
        options.schedule =
            reader.enumeration<Schedule>(u"schedule"_s, *node).value_or(options.schedule);
    }
    if (const auto node = top.take(u"context_window"_s)) {
        options.contextWindow = int(reader.integer(u"context_window"_s, *node, 1, maxContextWindow)
                                        .value_or(options.contextWindow));
    }
    if (const auto node = top.take(u"summarise_dropped"_s)) {
        options.summariseDropped =
            reader.boolean(u"summarise_dropped"_s, *node).value_or(options.summariseDropped);
    }
    if (const auto node = top.take(u"summariser_model"_s)) {
        options.summariserModel =
            context.modelAlias(u"summariser_model"_s, *node).value_or(QString());
    }
    if (const auto node = top.take(u"moderator_model"_s)) {
        options.moderatorModel =
            context.modelAlias(u"moderator_model"_s, *node).value_or(QString());
    }
    if (const auto node = top.take(u"budget"_s)) {
        if (!node->IsMap()) {
            reader.fail(u"budget"_s, *node,
                        u"must be a mapping such as {tokens: 200000, cost: 2.5}"_s);
            return;
        }
        const YamlMapping budget = reader.mapping(u"budget"_s, *node, {u"tokens"_s, u"cost"_s});
        if (const auto tokens = budget.take(u"tokens"_s)) {
            options.budgetTokens =
                reader.integer(u"budget.tokens"_s, *tokens, 1, std::numeric_limits<qint64>::max());
        }
        if (const auto cost = budget.take(u"cost"_s)) {
            options.budgetCost = reader.positiveNumber(u"budget.cost"_s, *cost);
        }
    }
}

} // namespace

QString Preset::defaultTopic()
{
    return u"Hello, let's talk"_s;
}

Parsed<Preset> Preset::load(const QString &path, const PersonaLibrary &library,
                            const QStringList &knownModels)
{
    QFile file(path);
    if (!QFileInfo::exists(path)) {
        return {std::nullopt, {{path, u"file not found"_s}}};
    }
    if (QFileInfo(path).isDir()) {
        return {std::nullopt, {{path, u"is a directory, not a preset file"_s}}};
    }
    if (!file.open(QIODevice::ReadOnly)) {
        return {std::nullopt, {{path, u"cannot be read: "_s + file.errorString()}}};
    }
    const QByteArray bytes = file.read(maxPresetBytes + 1);
    if (bytes.size() > maxPresetBytes) {
        return {std::nullopt, {{path, u"is too large for a preset (over 1 MiB)"_s}}};
    }
    return parse(bytes, QFileInfo(path).absolutePath(), library, knownModels);
}

Parsed<Preset> Preset::parse(const QByteArray &yaml, const QString &baseFolder,
                             const PersonaLibrary &library, const QStringList &knownModels)
{
    if (const qsizetype bad = invalidUtf8Offset(yaml); bad >= 0) {
        return {std::nullopt,
                {{QString(), u"the preset is not UTF-8 text: invalid byte at byte offset "_s +
                                 QString::number(bad)}}};
    }
    YAML::Node root;
    try {
        root = YAML::Load(yaml.toStdString());
    } catch (const YAML::Exception &e) {
        return {std::nullopt,
                {{QString(),
                  u"the preset is not valid YAML: "_s + fromStd(e.msg) + yamlLocation(e.mark)}}};
    }
    if (root.IsNull()) {
        return {std::nullopt, {{QString(), u"the preset is empty"_s}}};
    }
    if (!root.IsMap()) {
        return {std::nullopt,
                {{QString(), u"a preset must be a mapping of keys to values, such as "
                             u"`paradigm: debate`"_s +
                                 yamlLocation(root.Mark())}}};
    }

    QList<FieldError> errors;
    YamlReader reader(errors);
    Preset preset;
    preset.baseFolder = baseFolder;
    Context context{reader, baseFolder, library, knownModels, preset.warnings};
    static const QStringList known{u"models"_s,
                                   u"system_prompts"_s,
                                   u"participants"_s,
                                   u"paradigm"_s,
                                   u"iterations"_s,
                                   u"rounds"_s,
                                   u"topic"_s,
                                   u"answer_mode"_s,
                                   u"schedule"_s,
                                   u"context_window"_s,
                                   u"summarise_dropped"_s,
                                   u"summariser_model"_s,
                                   u"moderator_model"_s,
                                   u"budget"_s};
    const YamlMapping top = reader.mapping(QString(), root, known);

    if (const auto node = top.take(u"paradigm"_s)) {
        preset.paradigm =
            reader.enumeration<Paradigm>(u"paradigm"_s, *node).value_or(preset.paradigm);
    }
    const auto rounds = top.take(u"rounds"_s);
    const auto iterations = top.take(u"iterations"_s);
    if (rounds && iterations) {
        reader.fail(u"rounds"_s, *rounds,
                    u"give either rounds or iterations (the old name), not both"_s);
    } else if (rounds || iterations) {
        preset.rounds =
            int(reader
                    .integer(rounds ? u"rounds"_s : u"iterations"_s, rounds ? *rounds : *iterations,
                             Session::minRounds, Session::maxRounds)
                    .value_or(preset.rounds));
    }
    if (const auto node = top.take(u"topic"_s)) {
        preset.topic =
            reader.string(u"topic"_s, *node, Session::minTopicLength, Session::maxTopicLength)
                .value_or(preset.topic);
    }
    readOptions(context, top, preset.options);

    const auto models = top.take(u"models"_s);
    const auto prompts = top.take(u"system_prompts"_s);
    if (const auto list = top.take(u"participants"_s)) {
        if (models || prompts) {
            reader.fail(u"participants"_s, *list,
                        u"give either participants or models with system_prompts, not both"_s);
        } else {
            readParticipantsForm(context, *list, preset.participants);
        }
    } else if (models) {
        readModelsForm(context, *models, prompts, preset.participants);
    } else if (prompts) {
        reader.fail(u"system_prompts"_s, *prompts, u"needs `models` to say which models exist"_s);
    }

    if (!errors.isEmpty()) {
        return {std::nullopt, errors};
    }
    return {std::move(preset), {}};
}

QByteArray Preset::toYaml(const QString &folder) const
{
    const bool moved = QDir::cleanPath(QDir(folder).absolutePath()) !=
                       QDir::cleanPath(QDir(baseFolder).absolutePath());
    YAML::Emitter out;
    out << YAML::BeginMap;
    if (!participants.isEmpty()) {
        out << YAML::Key << "participants" << YAML::Value << YAML::BeginSeq;
        for (const Participant &participant : participants) {
            // The persona is written as the reference it came from, or its text: below.
            QJsonObject fields = SetupJson::participantToJson(participant);
            fields.remove(u"persona"_s);
            fields.remove(u"persona_source"_s);
            out << YAML::BeginMap;
            emitMembers(out, fields);
            QString reference = participant.personaSource;
            const bool isPath = reference.startsWith(kPathPrefix);
            const QString file = isPath ? reference.mid(kPathPrefix.size()) : reference;
            const QString old = QDir(baseFolder).absoluteFilePath(file);
            // A file next to the old preset is named relative to the new one; anything else
            // (the library, absolute paths, `~/`) reads the same from there.
            if (moved && (isPath || PersonaLibrary::isPersonaFileName(file)) &&
                QDir::isRelativePath(file) && !file.startsWith(u'~') && QFileInfo::exists(old)) {
                reference = kPathPrefix + QDir(folder).relativeFilePath(old);
            }
            if (reference.isEmpty() && !participant.persona.isEmpty()) {
                out << YAML::Key << "persona" << YAML::Value << YAML::Literal
                    << toStd(participant.persona);
            } else if (!reference.isEmpty()) {
                out << YAML::Key << "persona" << YAML::Value << toStd(reference);
            }
            out << YAML::EndMap;
        }
        out << YAML::EndSeq;
    }
    out << YAML::Key << "paradigm" << YAML::Value << toStd(enumToString(paradigm));
    out << YAML::Key << "rounds" << YAML::Value << rounds;
    out << YAML::Key << "topic" << YAML::Value << toStd(topic);
    emitMembers(out, SetupJson::optionsToJson(options));
    out << YAML::EndMap;
    return QByteArray(out.c_str()) + '\n';
}

std::optional<FieldError> Preset::save(const QString &path) const
{
    const QByteArray bytes = toYaml(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        return FieldError{path, u"cannot be written: "_s + file.errorString()};
    }
    return std::nullopt;
}

void Preset::applyTo(Session &session) const
{
    if (!participants.isEmpty()) {
        session.participants = participants;
    }
    session.paradigm = paradigm;
    session.rounds = rounds;
    session.topic = topic;
    session.title = Session::titleFromTopic(topic);
    session.options = options;
}

} // namespace Crosstalk
