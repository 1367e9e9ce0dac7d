// SPDX-License-Identifier: GPL-3.0-or-later
// The plain-text transcript, laid out like `crosstalk run` prints it on a terminal.
#include "export/exportformats.h"
#include "export/transcriptlabels.h"

#include <QStringTokenizer>

using namespace Qt::StringLiterals;

namespace Crosstalk::ExportFormats {

namespace {

void writeIndented(QStringView text, ExportStream &out)
{
    for (const QStringView line : QStringTokenizer(text, u'\n')) {
        out << u"  "_s << line << '\n';
    }
}

} // namespace

void writeText(const Session &session, ExportStream &out)
{
    out << TranscriptLabels::title(session) << u"\n\nTopic:\n"_s;
    writeIndented(session.topic, out);
    const QList<TranscriptLabels::Fact> facts = TranscriptLabels::facts(session);
    out << facts.first().label << u": "_s << facts.first().value << u"\nParticipants:\n"_s;
    for (const Participant &p : session.participants) {
        out << u"  "_s << p.name << u" — "_s << TranscriptLabels::participantModel(p, session)
            << '\n';
    }
    for (qsizetype i = 1; i < facts.size(); ++i) {
        out << facts[i].label << u": "_s << facts[i].value << '\n';
    }

    int round = -1;
    for (const Message &message : session.messages) {
        if (message.round != round) {
            round = message.round;
            out << u"\n── "_s << TranscriptLabels::roundTitle(round, session.rounds) << u" ──\n"_s;
        }
        out << '\n' << TranscriptLabels::speaker(message);
        for (const QString &part :
             {TranscriptLabels::turnNote(message, session), TranscriptLabels::model(message),
              TranscriptLabels::messageTime(message, session), TranscriptLabels::answer(message)}) {
            if (!part.isEmpty()) {
                out << u" · "_s << part;
            }
        }
        out << '\n';
        if (!message.content.isEmpty()) {
            out << message.content;
            if (!message.content.endsWith(u'\n')) {
                out << '\n';
            }
        }
        if (const QString mark = TranscriptLabels::statusMark(message); !mark.isEmpty()) {
            out << u"["_s << mark << u"]\n"_s;
        }
    }
}

} // namespace Crosstalk::ExportFormats
