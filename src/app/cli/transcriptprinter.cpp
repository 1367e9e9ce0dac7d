// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/transcriptprinter.h"

#include "engine/engine.h"

#include <QTextStream>

using namespace Qt::StringLiterals;

namespace Crosstalk::Cli {

TranscriptPrinter::TranscriptPrinter(const Engine *engine, const QUuid &sessionId, QTextStream &out,
                                     bool colours, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_sessionId(sessionId)
    , m_out(out)
    , m_colours(colours)
{}

QString TranscriptPrinter::styled(const QString &text, const QColor &colour, bool bold) const
{
    if (!m_colours)
        return text;
    QString start = bold ? u"\x1b[1m"_s : QString();
    if (colour.isValid())
        start += u"\x1b[38;2;%1;%2;%3m"_s.arg(colour.red()).arg(colour.green()).arg(colour.blue());
    return start + text + u"\x1b[0m"_s;
}

void TranscriptPrinter::printHeader(const Message &message)
{
    const Session *session = m_engine->session(m_sessionId);
    if (message.round != m_lastRoundPrinted) {
        m_lastRoundPrinted = message.round;
        m_out << '\n'
              << styled(u"── Round %1 of %2 ──"_s.arg(message.round + 1).arg(session->rounds),
                        QColor(), true)
              << '\n';
    }
    QColor colour;
    for (const Participant &p : session->participants)
        if (p.name == message.speaker)
            colour = p.colour;
    QString who = message.speaker;
    // "big · gpt-4o" when a participant is named after its model, else "Alice · big (gpt-4o)".
    if (message.model)
        who += u" · "_s +
               (message.model->alias == message.speaker && message.model->kind != ApiKind::Demo
                    ? message.model->modelId
                    : message.model->label());
    if (message.type == MessageType::Verdict)
        who += u" · verdict"_s;
    m_out << '\n' << styled(who, colour, true) << '\n';
}

void TranscriptPrinter::onEvent(const EngineEvent &event)
{
    if (event.sessionId != m_sessionId)
        return;
    switch (event.type) {
    case EngineEventType::MessageStarted:
        m_seqOf.insert(event.message.id, event.message.seq);
        m_bySeq.insert(event.message.seq, {event.message, {}, false, false, 0});
        break;
    case EngineEventType::MessageDelta:
        if (const auto seq = m_seqOf.constFind(event.messageId); seq != m_seqOf.cend())
            m_bySeq[*seq].text += event.text;
        break;
    case EngineEventType::MessageCompleted:
    case EngineEventType::MessageFailed:
        if (const auto seq = m_seqOf.constFind(event.message.id); seq != m_seqOf.cend()) {
            Pending &pending = m_bySeq[*seq];
            pending.message = event.message;
            pending.text = event.message.content;
            pending.done = true;
        }
        break;
    default:
        return;
    }
    flush();
}

void TranscriptPrinter::flush()
{
    while (!m_bySeq.isEmpty()) {
        Pending &first = m_bySeq.first();
        if (!first.headerPrinted) {
            printHeader(first.message);
            first.headerPrinted = true;
        }
        m_out << first.text.mid(first.printed);
        first.printed = first.text.size();
        if (!first.done)
            break;
        if (!first.text.endsWith(u'\n'))
            m_out << '\n';
        if (first.message.status == MessageStatus::Failed ||
            first.message.status == MessageStatus::Partial) {
            const QString note = first.message.status == MessageStatus::Partial
                                     ? u"[cut short: %1]"_s.arg(first.message.error)
                                     : u"[failed: %1]"_s.arg(first.message.error);
            m_out << styled(note, QColor(Qt::red), false) << '\n';
        }
        m_seqOf.remove(first.message.id);
        m_bySeq.erase(m_bySeq.begin());
    }
    m_out.flush();
}

} // namespace Crosstalk::Cli
