// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/enumtraits.h"
#include "conversation/modelref.h"
#include "llm/usage.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <array>
#include <optional>

namespace Crosstalk {

enum class MessageType
{
    Opening,   // round 0: a participant opens on the topic
    Exchange,  // a participant's later turn
    Verdict,   // the debate judge's conclusion
    Summary,   // what the context window dropped, condensed
    Human,     // written by the person steering the session
    Moderator, // the moderator's choice of the next speaker
};

template<>
struct EnumTraits<MessageType>
{
    static constexpr std::array<EnumName<MessageType>, 6> names{{
        {MessageType::Opening, QLatin1StringView("opening")},
        {MessageType::Exchange, QLatin1StringView("exchange")},
        {MessageType::Verdict, QLatin1StringView("verdict")},
        {MessageType::Summary, QLatin1StringView("summary")},
        {MessageType::Human, QLatin1StringView("human")},
        {MessageType::Moderator, QLatin1StringView("moderator")},
    }};
};

enum class MessageStatus
{
    Streaming,
    Complete,
    // Cut short (stopped, connection lost, or left streaming by a crash); what arrived is kept.
    Partial,
    Failed,
};

template<>
struct EnumTraits<MessageStatus>
{
    static constexpr std::array<EnumName<MessageStatus>, 4> names{{
        {MessageStatus::Streaming, QLatin1StringView("streaming")},
        {MessageStatus::Complete, QLatin1StringView("complete")},
        {MessageStatus::Partial, QLatin1StringView("partial")},
        {MessageStatus::Failed, QLatin1StringView("failed")},
    }};
};

struct Message
{
    // Speakers that are not participants.
    static constexpr QLatin1StringView humanSpeaker{"human"};
    static constexpr QLatin1StringView moderatorSpeaker{"moderator"};

    QUuid id;
    QUuid sessionId;
    // Position in the transcript.
    int seq = 0;
    // 0-based; round 0 holds the openings.
    int round = 0;
    QString speaker;
    // The participants whose later requests include this message.
    QStringList recipients;
    MessageType type = MessageType::Exchange;
    QString content;
    // Answer mode only: the extracted answer and the speaker's confidence at that point.
    std::optional<QString> answer;
    std::optional<double> confidence;
    // Absent for human messages.
    std::optional<ModelRef> model;
    Usage usage;
    std::optional<qint64> ttftMs;
    std::optional<qint64> durationMs;
    MessageStatus status = MessageStatus::Complete;
    // The provider's message when the request failed; never holds a key.
    QString error;
    // The exact messages and parameters sent for this message, keys removed; empty when no
    // request was made (human messages).
    QJsonObject request;
    QDateTime createdAt;
    // Set when a person replaced the text (Edit and Continue): when they last did, and the text
    // before the first edit (the model's reply). The usage and timings stay those of that reply.
    QDateTime editedAt;
    QString originalContent;

    bool isEdited() const { return editedAt.isValid(); }

    // A participant's turn: an opening, an exchange or a verdict; not a summary, nor what the
    // human or the moderator wrote.
    bool isTurn() const
    {
        return type == MessageType::Opening || type == MessageType::Exchange ||
               type == MessageType::Verdict;
    }

    bool operator==(const Message &) const = default;
};

} // namespace Crosstalk
