// SPDX-License-Identifier: GPL-3.0-or-later
// The Markdown transcript: a header block, then round headings and one section per message.
// Message content is Markdown already and goes in as written; everything else (names, the
// topic, labels, errors) is escaped so that it reads literally.
#include "export/exportformats.h"
#include "export/transcriptlabels.h"

#include <QStringTokenizer>

using namespace Qt::StringLiterals;

namespace Crosstalk::ExportFormats {

namespace {

QString escaped(QStringView text)
{
    static constexpr QStringView special = u"\\`*_[]<>|~#&";
    QString result;
    result.reserve(text.size() + 8);
    for (const QChar c : text) {
        if (c == u'\n' || c == u'\r') {
            result += u' ';
            continue;
        }
        if (special.contains(c)) {
            result += u'\\';
        }
        result += c;
    }
    return result;
}

// A fence (``` or ~~~, up to three spaces in) the line opens or closes, else empty.
QStringView fenceOf(QStringView line)
{
    qsizetype indent = 0;
    while (indent < line.size() && indent < 4 && line[indent] == u' ') {
        ++indent;
    }
    if (indent > 3 || indent == line.size() || (line[indent] != u'`' && line[indent] != u'~')) {
        return {};
    }
    const QChar mark = line[indent];
    qsizetype end = indent;
    while (end < line.size() && line[end] == mark) {
        ++end;
    }
    return end - indent >= 3 ? line.sliced(indent, end - indent) : QStringView();
}

// A reply cut short inside a code block would swallow the rest of the document: the fence it
// left open, to close it with, or empty.
QStringView openFence(QStringView content)
{
    QStringView open;
    for (const QStringView line : QStringTokenizer(content, u'\n')) {
        const QStringView fence = fenceOf(line);
        if (fence.isEmpty()) {
            continue;
        }
        if (open.isEmpty()) {
            open = fence;
        } else if (fence.front() == open.front() && fence.size() >= open.size() &&
                   line.trimmed().size() == fence.size()) {
            open = {};
        }
    }
    return open;
}

void writeHeader(const Session &session, ExportStream &out)
{
    out << u"# "_s << escaped(TranscriptLabels::title(session)) << u"\n\n"_s;
    for (const QStringView line : QStringTokenizer(session.topic, u'\n')) {
        out << u"> "_s << escaped(line) << '\n';
    }
    out << '\n';
    const QList<TranscriptLabels::Fact> facts = TranscriptLabels::facts(session);
    out << u"- **"_s << facts.first().label << u":** "_s << escaped(facts.first().value) << '\n';
    out << u"- **Participants:**\n"_s;
    for (const Participant &p : session.participants) {
        out << u"  - "_s << escaped(p.name) << u" — "_s
            << escaped(TranscriptLabels::participantModel(p, session)) << '\n';
    }
    for (qsizetype i = 1; i < facts.size(); ++i) {
        out << u"- **"_s << facts[i].label << u":** "_s << escaped(facts[i].value) << '\n';
    }
}

void writeMessage(const Message &message, const Session &session, ExportStream &out)
{
    out << u"### "_s << escaped(TranscriptLabels::speaker(message)) << u"\n\n"_s;
    const QStringList meta{
        TranscriptLabels::turnNote(message, session), TranscriptLabels::model(message),
        TranscriptLabels::messageTime(message, session), TranscriptLabels::answer(message)};
    QString line;
    for (const QString &part : meta) {
        if (!part.isEmpty()) {
            line += (line.isEmpty() ? QString() : u" · "_s) + escaped(part);
        }
    }
    out << u"*"_s << line << u"*\n\n"_s;
    if (!message.content.isEmpty()) {
        out << message.content;
        if (!message.content.endsWith(u'\n')) {
            out << '\n';
        }
        if (const QStringView fence = openFence(message.content); !fence.isEmpty()) {
            out << fence << '\n';
        }
        out << '\n';
    }
    if (const QString mark = TranscriptLabels::statusMark(message); !mark.isEmpty()) {
        out << u"*("_s << escaped(mark) << u")*\n\n"_s;
    }
}

} // namespace

void writeMarkdown(const Session &session, ExportStream &out)
{
    writeHeader(session, out);
    int round = -1;
    for (const Message &message : session.messages) {
        if (message.round != round) {
            round = message.round;
            out << u"\n## "_s << TranscriptLabels::roundTitle(round, session.rounds) << u"\n\n"_s;
        }
        writeMessage(message, session, out);
    }
}

} // namespace Crosstalk::ExportFormats
