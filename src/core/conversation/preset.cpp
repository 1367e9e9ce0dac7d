// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/preset.h"

#include "common/yamlreader.h"
#include "conversation/presetforms.h"
#include "conversation/setupjson.h"

#include <QFile>
#include <QFileInfo>

#include <limits>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

using PresetForms::PresetContext;
using SetupJson::maxContextWindow;
constexpr qint64 maxPresetBytes = 1024 * 1024;

void readOptions(PresetContext &context, const YamlMapping &top, SessionOptions &options)
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

QStringList Preset::keys()
{
    return {u"models"_s,
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
                {{QString(), u"the preset is not valid YAML: "_s + QString::fromStdString(e.msg) +
                                 yamlLocation(e.mark)}}};
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
    PresetContext context{reader, baseFolder, library, knownModels, preset.warnings};
    const YamlMapping top = reader.mapping(QString(), root, keys());

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
            PresetForms::readParticipantsForm(context, *list, preset.participants);
        }
    } else if (models) {
        PresetForms::readModelsForm(context, *models, prompts, preset.participants);
    } else if (prompts) {
        reader.fail(u"system_prompts"_s, *prompts, u"needs `models` to say which models exist"_s);
    }

    if (!errors.isEmpty()) {
        return {std::nullopt, errors};
    }
    return {std::move(preset), {}};
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
