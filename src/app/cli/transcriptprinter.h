// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/engineevent.h"

#include <QHash>
#include <QObject>

class QTextStream;

namespace Crosstalk {
class Engine;
}

namespace Crosstalk::Cli {

// Streams a session's transcript to a terminal or a pipe as the engine produces it. Replies
// of a parallel round arrive interleaved; they are printed one after the other in transcript
// order: the earliest unfinished message streams live, later ones are held until it ends.
class TranscriptPrinter : public QObject
{
    Q_OBJECT

public:
    TranscriptPrinter(const Engine *engine, const QUuid &sessionId, QTextStream &out, bool colours,
                      QObject *parent = nullptr);

    void onEvent(const Crosstalk::EngineEvent &event);

private:
    struct Pending
    {
        Message message;
        QString text;
        bool done = false;
        bool headerPrinted = false;
        qsizetype printed = 0;
    };

    void flush();
    void printHeader(const Message &message);
    QString styled(const QString &text, const QColor &colour, bool bold) const;

    const Engine *m_engine;
    QUuid m_sessionId;
    QTextStream &m_out;
    bool m_colours;
    QMap<int, Pending> m_bySeq; // messages not fully printed yet, by transcript position
    QHash<QUuid, int> m_seqOf;
    int m_lastRoundPrinted = -1;
};

} // namespace Crosstalk::Cli
