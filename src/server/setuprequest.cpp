// SPDX-License-Identifier: GPL-3.0-or-later
#include "setuprequest.h"

#include "common/jsonfields.h"
#include "conversation/preset.h"
#include "conversation/setupjson.h"
#include "engine/slotpersonas.h"
#include "llm/modelregistry.h"
#include "persona/personalibrary.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace Crosstalk::SetupRequest {

namespace {

constexpr qsizetype kMaxNameLength = 64;
constexpr qsizetype kMaxAliasLength = 128;

struct Entry
{
    Participant participant;
    QString path;       // where it was given: `models[2]`
    bool named = false; // given as an object with its own name
};

void applyPersona(const Parsed<Persona> &persona, const QString &field, Participant &participant,
                  QList<FieldError> &errors)
{
    if (!persona) {
        for (const FieldError &error : persona.errors)
            errors.append({field, error.toString()});
        return;
    }
    participant.persona = persona.value->prompt;
    participant.personaSource = persona.value->source;
    if (!participant.colour.isValid())
        participant.colour = persona.value->colour;
}

std::optional<Entry> readEntry(const QJsonValue &value, const QString &path,
                               QList<FieldError> &errors)
{
    Entry entry;
    entry.path = path;
    if (value.isString()) {
        const QString alias = value.toString();
        if (alias.isEmpty() || alias.size() > kMaxAliasLength) {
            errors.append(
                {path, u"must be a model alias of 1 to %1 characters"_s.arg(kMaxAliasLength)});
            return std::nullopt;
        }
        entry.participant.modelAlias = alias;
        return entry;
    }
    if (!value.isObject()) {
        errors.append({path, u"must be a model alias or a participant object {name, model, "
                             "persona}"_s});
        return std::nullopt;
    }
    const qsizetype before = errors.size();
    JsonFields fields(value.toObject(), path, errors);
    const auto name = fields.string("name"_L1, Presence::Nullable, 1, kMaxNameLength);
    const auto model = fields.string("model"_L1, Presence::Required, 1, kMaxAliasLength);
    const auto persona = fields.string("persona"_L1, Presence::Nullable, 1);
    const auto colour = fields.string("colour"_L1, Presence::Nullable, 1, 32);
    entry.participant.sampling = SetupJson::readSampling(fields);
    fields.rejectUnknownKeys();
    if (colour && !QColor::fromString(*colour).isValid())
        fields.fail("colour"_L1, u"must be a colour such as #3daee9"_s);
    if (errors.size() > before)
        return std::nullopt;
    entry.participant.modelAlias = *model;
    if (name) {
        entry.participant.name = *name;
        entry.named = true;
    }
    if (colour)
        entry.participant.colour = QColor::fromString(*colour);
    if (persona)
        entry.participant.persona = *persona; // resolved once the list is complete
    return entry;
}

// The options: in a nested `options` object, or each at the top level under its name there;
// what neither gives keeps its default. Errors name the field where it was given.
SessionOptions readOptions(const QJsonObject &body, QList<FieldError> &errors)
{
    const QJsonObject defaults = SetupJson::optionsToJson(SessionOptions());
    QJsonObject merged = defaults;
    const QJsonValue nested = body.value("options"_L1);
    if (nested.isObject()) {
        const QJsonObject given = nested.toObject();
        for (auto it = given.begin(); it != given.end(); ++it)
            merged.insert(it.key(), it.value());
    } else if (!nested.isUndefined() && !nested.isNull()) {
        errors.append({u"options"_s, u"must be an object"_s});
    }
    SessionOptions options = SetupJson::readOptions(merged, u"options"_s, errors);
    QJsonObject topLevel = SetupJson::optionsToJson(options);
    bool anyAtTopLevel = false;
    for (auto it = defaults.begin(); it != defaults.end(); ++it) {
        if (!body.contains(it.key()))
            continue;
        if (nested.toObject().contains(it.key())) {
            errors.append({it.key(), u"is given in options too; give it once"_s});
            continue;
        }
        topLevel.insert(it.key(), body.value(it.key()));
        anyAtTopLevel = true;
    }
    if (anyAtTopLevel)
        options = SetupJson::readOptions(topLevel, QString(), errors);
    return options;
}

} // namespace

int nestingDepth(QByteArrayView json)
{
    int depth = 0;
    int deepest = 0;
    bool inString = false;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
            if (deepest > maxNestingDepth)
                return deepest;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

Parsed<Session> read(const QJsonObject &body, const ModelRegistry &registry,
                     const PersonaLibrary &library, StoreWorker *store)
{
    QList<FieldError> errors;
    Session draft;

    QList<Entry> entries;
    const QJsonValue models = body.value("models"_L1);
    if (models.isUndefined() || models.isNull()) {
        errors.append({u"models"_s, u"is required: a list of model aliases or participant "
                                    "objects"_s});
    } else if (!models.isArray()) {
        errors.append({u"models"_s, u"must be a list of model aliases or participant objects"_s});
    } else if (const QJsonArray list = models.toArray();
               list.size() < Session::minParticipants || list.size() > Session::maxParticipants) {
        errors.append(
            {u"models"_s, u"must list %1 to %2 participants, not %3"_s.arg(Session::minParticipants)
                              .arg(Session::maxParticipants)
                              .arg(list.size())});
    } else {
        for (qsizetype i = 0; i < list.size(); ++i)
            if (auto entry = readEntry(list.at(i), elementPath(u"models"_s, i), errors))
                entries.append(*entry);
    }

    // Participants given by alias are named after it; a repeated alias gets -2, -3…
    QHash<QString, int> seen;
    QHash<QString, int> usersOfAlias;
    for (Entry &entry : entries) {
        ++usersOfAlias[entry.participant.modelAlias];
        if (entry.named)
            continue;
        const int n = ++seen[entry.participant.modelAlias];
        entry.participant.name = n == 1 ? entry.participant.modelAlias
                                        : u"%1-%2"_s.arg(entry.participant.modelAlias).arg(n);
    }

    QHash<QString, QString> systemPrompts; // alias → reference
    const QJsonValue prompts = body.value("system_prompts"_L1);
    if (prompts.isObject()) {
        const QJsonObject object = prompts.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString field = u"system_prompts."_s + it.key();
            if (!it.value().isString() || it.value().toString().isEmpty()) {
                errors.append({field, u"must be persona text or path:FILE"_s});
            } else if (!entries.isEmpty() && usersOfAlias.value(it.key()) == 0) {
                errors.append({field, u"no participant uses model '%1'"_s.arg(it.key())});
            } else if (usersOfAlias.value(it.key()) > 1) {
                errors.append(
                    {field, u"is ambiguous: model '%1' serves %2 participants; give "
                            "each its persona in a participant object instead"_s.arg(it.key())
                                .arg(usersOfAlias.value(it.key()))});
            } else {
                systemPrompts.insert(it.key(), it.value().toString());
            }
        }
    } else if (!prompts.isUndefined() && !prompts.isNull()) {
        errors.append({u"system_prompts"_s, u"must be an object keyed by model alias"_s});
    }

    std::optional<SlotPersonas::Stored> stored; // read when a participant needs it
    for (Entry &entry : entries) {
        Participant &p = entry.participant;
        const QString byAlias = systemPrompts.value(p.modelAlias);
        if (!p.persona.isEmpty() && !byAlias.isEmpty()) {
            errors.append({u"system_prompts."_s + p.modelAlias,
                           u"%1 gives its persona already"_s.arg(entry.path)});
        } else if (!p.persona.isEmpty()) {
            const QString reference = p.persona;
            applyPersona(library.resolve(reference, PersonaTrust::Remote),
                         entry.path + u".persona"_s, p, errors);
        } else if (!byAlias.isEmpty()) {
            applyPersona(library.resolve(byAlias, PersonaTrust::Remote),
                         u"system_prompts."_s + p.modelAlias, p, errors);
        } else {
            if (!stored)
                stored = SlotPersonas::read(store);
            applyPersona(SlotPersonas::resolve(p.modelAlias, *stored, registry, library).persona,
                         entry.path, p, errors);
        }
        draft.participants.append(p);
    }

    JsonFields fields(body, {}, errors);
    draft.paradigm = fields.enumeration<Paradigm>("paradigm"_L1, Presence::Nullable)
                         .value_or(Preset::defaultParadigm);
    const auto iterations =
        fields.integer("iterations"_L1, Session::minRounds, Session::maxRounds, Presence::Nullable);
    const auto rounds =
        fields.integer("rounds"_L1, Session::minRounds, Session::maxRounds, Presence::Nullable);
    if (body.contains("iterations"_L1) && body.contains("rounds"_L1))
        fields.fail("rounds"_L1, u"give either iterations or rounds, not both"_s);
    draft.rounds = int(iterations.value_or(rounds.value_or(Preset::defaultRounds)));
    const auto topic = fields.string("topic"_L1, Presence::Nullable, 0, Session::maxTopicLength);
    draft.topic = topic && !topic->trimmed().isEmpty() ? *topic : Preset::defaultTopic();
    draft.options = readOptions(body, errors);

    if (!errors.isEmpty())
        return {std::nullopt, errors};
    return {draft, {}};
}

QList<FieldError> requestFieldNames(const QList<FieldError> &errors, const QJsonObject &body)
{
    const QJsonArray models = body.value("models"_L1).toArray();
    QList<FieldError> renamed;
    for (FieldError error : errors) {
        if (error.path.startsWith(u"participants["_s)) {
            const qsizetype close = error.path.indexOf(u']');
            const int index = error.path.mid(13, close - 13).toInt();
            QString rest = error.path.mid(close + 1);
            // A participant given as a bare alias is that alias: its model is the element.
            if (rest == u".model"_s && models.at(index).isString())
                rest.clear();
            error.path = elementPath(u"models"_s, index) + rest;
        } else if (error.path == u"rounds"_s && body.contains("iterations"_L1)) {
            error.path = u"iterations"_s;
        } else if (error.path.startsWith(u"options."_s) &&
                   body.contains(error.path.mid(8).section(u'.', 0, 0))) {
            error.path = error.path.mid(8); // an option given at the top level
        }
        renamed.append(error);
    }
    return renamed;
}

} // namespace Crosstalk::SetupRequest
