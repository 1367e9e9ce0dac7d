// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/setupjson.h"

#include "common/jsonfields.h"

#include <QRegularExpression>

#include <limits>

using namespace Qt::StringLiterals;

namespace Crosstalk::SetupJson {

namespace {

constexpr qint64 unbounded = std::numeric_limits<qint64>::max();
constexpr double unboundedNumber = std::numeric_limits<double>::infinity();

QJsonValue colourToJson(const QColor &colour)
{
    if (!colour.isValid()) {
        return QJsonValue();
    }
    return colour.alpha() == 255 ? colour.name(QColor::HexRgb) : colour.name(QColor::HexArgb);
}

} // namespace

QJsonObject participantToJson(const Participant &participant)
{
    QJsonObject object{
        {u"name"_s, participant.name},
        {u"model"_s, participant.modelAlias},
        {u"persona"_s, participant.persona},
        {u"persona_source"_s, nullIfEmpty(participant.personaSource)},
        {u"colour"_s, colourToJson(participant.colour)},
    };
    // Keys of format_version 2: written only when set, so a session without them reads as
    // it did in version 1.
    const Sampling &sampling = participant.sampling;
    if (sampling.temperature)
        object.insert(u"temperature"_s, *sampling.temperature);
    if (sampling.topP)
        object.insert(u"top_p"_s, *sampling.topP);
    if (sampling.maxTokens)
        object.insert(u"max_tokens"_s, *sampling.maxTokens);
    return object;
}

Sampling readSampling(JsonFields &fields)
{
    Sampling sampling;
    sampling.temperature =
        fields.number("temperature"_L1, 0.0, Sampling::maxTemperature, Presence::Nullable);
    sampling.topP = fields.number("top_p"_L1, 0.0, 1.0, Presence::Nullable);
    if (const auto maxTokens =
            fields.integer("max_tokens"_L1, 1, Sampling::maxMaxTokens, Presence::Nullable))
        sampling.maxTokens = int(*maxTokens);
    return sampling;
}

Participant readParticipant(const QJsonObject &object, const QString &path,
                            QList<FieldError> &errors)
{
    static const QRegularExpression hexColour(u"^#([0-9a-fA-F]{2})?[0-9a-fA-F]{6}$"_s);
    JsonFields fields(object, path, errors);
    Participant participant;
    participant.name =
        fields.string("name"_L1, Presence::Required, 1, maxNameLength).value_or(QString());
    participant.modelAlias =
        fields.string("model"_L1, Presence::Required, 1, maxNameLength).value_or(QString());
    participant.persona =
        fields.string("persona"_L1, Presence::Required, 0, maxPersonaLength).value_or(QString());
    participant.personaSource =
        fields.string("persona_source"_L1, Presence::Nullable).value_or(QString());
    participant.sampling = readSampling(fields);
    if (const auto colour = fields.string("colour"_L1, Presence::Nullable)) {
        if (hexColour.match(*colour).hasMatch()) {
            participant.colour = QColor::fromString(*colour);
        } else {
            fields.fail(u"colour", u"must be a colour like #3daee9"_s);
        }
    }
    fields.rejectUnknownKeys();
    return participant;
}

QJsonObject optionsToJson(const SessionOptions &options)
{
    return {
        {u"answer_mode"_s, options.answerMode},
        {u"schedule"_s, enumToString(options.schedule)},
        {u"context_window"_s, options.contextWindow},
        {u"summarise_dropped"_s, options.summariseDropped},
        {u"summariser_model"_s, nullIfEmpty(options.summariserModel)},
        {u"moderator_model"_s, nullIfEmpty(options.moderatorModel)},
        {u"budget"_s,
         QJsonObject{
             {u"tokens"_s, nullIfAbsent(options.budgetTokens)},
             {u"cost"_s, nullIfAbsent(options.budgetCost)},
         }},
    };
}

SessionOptions readOptions(const QJsonObject &object, const QString &path,
                           QList<FieldError> &errors)
{
    JsonFields fields(object, path, errors);
    SessionOptions options;
    options.answerMode = fields.boolean("answer_mode"_L1).value_or(false);
    options.schedule = fields.enumeration<Schedule>("schedule"_L1).value_or(Schedule::Parallel);
    options.contextWindow = int(fields.integer("context_window"_L1, 1, maxContextWindow)
                                    .value_or(SessionOptions::defaultContextWindow));
    options.summariseDropped = fields.boolean("summarise_dropped"_L1).value_or(false);
    options.summariserModel =
        fields.string("summariser_model"_L1, Presence::Nullable, 1, maxNameLength)
            .value_or(QString());
    options.moderatorModel =
        fields.string("moderator_model"_L1, Presence::Nullable, 1, maxNameLength)
            .value_or(QString());
    if (const auto budget = fields.object("budget"_L1)) {
        JsonFields budgetFields(*budget, fields.pathOf(u"budget"), errors);
        options.budgetTokens = budgetFields.integer("tokens"_L1, 1, unbounded, Presence::Nullable);
        options.budgetCost =
            budgetFields.number("cost"_L1, 0.0, unboundedNumber, Presence::Nullable);
        budgetFields.rejectUnknownKeys();
    }
    fields.rejectUnknownKeys();
    return options;
}

} // namespace Crosstalk::SetupJson
