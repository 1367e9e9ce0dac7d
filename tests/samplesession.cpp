// SPDX-License-Identifier: GPL-3.0-or-later
#include "samplesession.h"

#include <QJsonArray>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace Crosstalk::Samples {

QDateTime time(qint64 offsetMs)
{
    return QDateTime(QDate(2026, 11, 25), QTime(14, 3, 7, 125), QTimeZone::UTC).addMSecs(offsetMs);
}

namespace {

Message message(const Session &session, int seq, int round, const QString &speaker,
                MessageType type, const QString &content, bool withOptionals)
{
    Message m;
    m.id = QUuid::createUuid();
    m.sessionId = session.id;
    m.seq = seq;
    m.round = round;
    m.speaker = speaker;
    m.type = type;
    m.content = content;
    m.status = MessageStatus::Complete;
    m.createdAt = time(1000 * seq);
    for (const Participant &p : session.participants) {
        if (p.name != speaker) {
            m.recipients.append(p.name);
        }
    }
    if (type == MessageType::Human) {
        return m;
    }
    const Participant *participant = nullptr;
    for (const Participant &p : session.participants) {
        if (p.name == speaker) {
            participant = &p;
        }
    }
    const QString alias = participant ? participant->modelAlias : u"big"_s;
    m.model = ModelRef{alias, alias == u"demo"_s ? u"demo"_s : u"gpt-4o"_s,
                       alias == u"demo"_s ? ApiKind::Demo : ApiKind::OpenAI};
    m.usage = Usage{120 + seq, 40 + seq, seq % 2 == 0, 0.0015 * seq};
    if (withOptionals) {
        m.answer = u"42"_s;
        m.confidence = 0.5;
        m.ttftMs = 180 + seq;
        m.durationMs = 900 + seq;
        m.request = QJsonObject{
            {u"model"_s, m.model->modelId},
            {u"temperature"_s, 0.7},
            {u"messages"_s,
             QJsonArray{QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"Be brief."_s}},
                        QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, session.topic}}}},
        };
    }
    return m;
}

} // namespace

Session session(SessionStatus status, Optionals optionals)
{
    const bool withOptionals = optionals == Optionals::Present;
    Session s;
    s.id = QUuid::createUuid();
    s.topic =
        u"Is 6 × 7 = 42? 🤔\nשלום — مرحبا — 👩‍👩‍👧 families welcome"_s;
    s.title = withOptionals ? u"The answer 🦜"_s : Session::titleFromTopic(s.topic);
    s.paradigm = Paradigm::Debate;
    s.rounds = 3;
    s.status = status;
    s.participants = {
        Participant{u"Ada"_s, u"big"_s, u"You are Ada, {{name}} on {{topic}}."_s,
                    withOptionals ? u"path:ada.md"_s : QString(), QColor(0x3d, 0xae, 0xe9),
                    withOptionals ? Sampling{0.7, 0.95, 1500} : Sampling{}},
        Participant{u"נועה"_s,
                    u"demo"_s,
                    withOptionals ? u"أنت ناقد 🧐"_s : QString(),
                    QString(),
                    QColor(0xda, 0x44, 0x53),
                    {}},
        Participant{u"Judge 🧑‍⚖️"_s,
                    u"small"_s,
                    u"Weigh both sides."_s,
                    QString(),
                    QColor(0x27, 0xae, 0x60),
                    {}},
    };
    s.options.answerMode = withOptionals;
    s.options.schedule = withOptionals ? Schedule::Sequential : Schedule::Parallel;
    s.options.contextWindow = withOptionals ? 4 : SessionOptions::defaultContextWindow;
    s.options.summariseDropped = withOptionals;
    if (withOptionals) {
        s.options.summariserModel = u"small"_s;
        s.options.moderatorModel = u"big"_s;
        s.options.budgetTokens = 200000;
        s.options.budgetCost = 2.5;
        s.result = Result{u"42"_s, 2};
    }

    s.messages = {
        message(s, 0, 0, u"Ada"_s, MessageType::Opening, u"Yes: 6 × 7 = 42. ✅"_s, withOptionals),
        message(s, 1, 0, u"נועה"_s, MessageType::Opening, u"כן, זה 42. نعم."_s, withOptionals),
        message(s, 2, 0, u"Judge 🧑‍⚖️"_s, MessageType::Opening, u"Let us see."_s,
                withOptionals),
        message(s, 3, 1, Message::humanSpeaker, MessageType::Human, u"Show your work 🙏"_s,
                withOptionals),
        message(s, 4, 1, Message::moderatorSpeaker, MessageType::Moderator, u"נועה"_s,
                withOptionals),
        message(s, 5, 1, u"נועה"_s, MessageType::Exchange, u"7+7+7+7+7+7 = 42"_s, withOptionals),
        message(s, 6, 1, u"Ada"_s, MessageType::Summary, u"Both say 42."_s, withOptionals),
        message(s, 7, 2, u"Judge 🧑‍⚖️"_s, MessageType::Verdict, u"The answer is 42."_s,
                withOptionals),
    };
    // A partly received and a failed reply, as a stopped or paused session keeps them.
    s.messages[5].status = MessageStatus::Partial;
    s.messages[6].status = MessageStatus::Failed;
    s.messages[6].content.clear();
    if (withOptionals) {
        s.messages[6].error = u"HTTP 503: upstream overloaded"_s;
    }
    s.messages[7].status =
        status == SessionStatus::Running ? MessageStatus::Streaming : MessageStatus::Complete;
    if (withOptionals) {
        // Version 2: a reply and a human message a person edited, and the session a fork.
        s.messages[2].originalContent = s.messages[2].content;
        s.messages[2].content = u"Let us see — edited ✍️"_s;
        s.messages[2].editedAt = time(30500);
        s.messages[3].originalContent = u"Show work"_s;
        s.messages[3].editedAt = time(31000);
        s.forkedFrom = ForkOrigin{QUuid::createUuid(), QUuid::createUuid()};
    }
    s.usage = Usage{1234, 567, true, 0.0123};
    s.createdAt = time();
    s.updatedAt = time(60000);
    return s;
}

} // namespace Crosstalk::Samples
