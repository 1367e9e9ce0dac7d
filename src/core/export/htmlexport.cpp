// SPDX-License-Identifier: GPL-3.0-or-later
// The HTML transcript: one self-contained file (style sheet embedded, nothing loaded from
// anywhere) that looks like the app's transcript: bubbles edged in the speaker's colour, round
// separators, light and dark after the reader's system setting, Markdown rendered and code
// highlighted. Everything from users and models is escaped or goes through MarkdownHtml.
#include "export/codehighlighter.h"
#include "export/exportformats.h"
#include "export/markdownhtml.h"
#include "export/transcriptlabels.h"

#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace Crosstalk::ExportFormats {

namespace {

constexpr QLatin1StringView styleSheet{
    R"(:root{--bg:#eff0f1;--card:#fcfcfc;--text:#232629;--muted:#6e7175;--line:#d1d5d9;--failed:#da4453;--link:#2980b9}
@media (prefers-color-scheme: dark){:root{--bg:#1b1e20;--card:#2a2e32;--text:#eff0f1;--muted:#a1a9b1;--line:#3d4349;--failed:#ed1515;--link:#3daee9}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:15px/1.5 "Noto Sans","Segoe UI",system-ui,sans-serif}
main{max-width:52rem;margin:0 auto;padding:2rem 1rem}
h1{font-size:1.6rem;margin:0 0 .75rem}
a{color:var(--link)}
.topic{white-space:pre-wrap;margin:0 0 1rem;padding:.5rem 1rem;background:var(--card);border-inline-start:4px solid var(--line);border-radius:4px}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1.5rem}
.facts dt{color:var(--muted)}
.facts dd{margin:0}
.participants{list-style:none;margin:0;padding:0}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:50%;background:var(--speaker);margin-inline-end:.4em}
.round{display:flex;align-items:center;gap:.75rem;margin:2rem 0 1rem;font-size:.85rem;font-weight:600;letter-spacing:.05em;text-transform:uppercase;color:var(--muted)}
.round::before,.round::after{content:"";flex:1;border-top:1px solid var(--line)}
.message{--speaker:var(--muted);margin:0 0 .75rem;padding:.6rem 1rem;background:var(--card);border-inline-start:4px solid var(--speaker);border-radius:8px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.message>header{display:flex;flex-wrap:wrap;align-items:baseline;gap:.25rem .75rem;font-size:.85rem;color:var(--muted)}
.speaker{font-size:1rem;font-weight:700;color:var(--speaker)}
.message .answer{font-weight:600;color:var(--text)}
.message.human{margin-inline-start:3rem;border-inline-start-style:dashed}
.message.moderator{font-size:.9rem;background:transparent;box-shadow:none}
.content{overflow-wrap:anywhere}
.content pre{padding:.6rem .8rem;overflow-x:auto;border:1px solid var(--line);border-radius:6px;font:13px/1.4 "Hack","DejaVu Sans Mono",monospace}
.content code{font-family:"Hack","DejaVu Sans Mono",monospace}
.content blockquote{margin:0;padding-inline-start:1rem;border-inline-start:3px solid var(--line);color:var(--muted)}
.content table{border-collapse:collapse}
.content th,.content td{padding:.2rem .5rem;border:1px solid var(--line)}
.mark{margin:.25rem 0;font-style:italic;color:var(--muted)}
.mark.failed{color:var(--failed)}
)"};

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

QString speakerStyle(const QColor &colour)
{
    return colour.isValid() ? u" style=\"--speaker:%1\""_s.arg(colour.name(QColor::HexRgb))
                            : QString();
}

QString messageClass(const Message &message)
{
    QString classes = u"message "_s + enumToString(message.type);
    if (message.status != MessageStatus::Complete) {
        classes += u' ' + enumToString(message.status);
    }
    return classes;
}

void writeHeader(const Session &session, const QHash<QString, QColor> &colours, ExportStream &out)
{
    out << u"<header>\n<h1 dir=\"auto\">"_s << escaped(TranscriptLabels::title(session))
        << u"</h1>\n<p class=\"topic\" dir=\"auto\">"_s << escaped(session.topic)
        << u"</p>\n<dl class=\"facts\">\n"_s;
    const QList<TranscriptLabels::Fact> facts = TranscriptLabels::facts(session);
    out << u"<dt>"_s << facts.first().label << u"</dt><dd>"_s << escaped(facts.first().value)
        << u"</dd>\n<dt>Participants</dt><dd><ul class=\"participants\">\n"_s;
    for (const Participant &p : session.participants) {
        out << u"<li"_s << speakerStyle(colours.value(p.name))
            << u"><span class=\"swatch\"></span><bdi>"_s << escaped(p.name) << u"</bdi> — "_s
            << escaped(TranscriptLabels::participantModel(p, session)) << u"</li>\n"_s;
    }
    out << u"</ul></dd>\n"_s;
    for (qsizetype i = 1; i < facts.size(); ++i) {
        out << u"<dt>"_s << facts[i].label << u"</dt><dd>"_s << escaped(facts[i].value)
            << u"</dd>\n"_s;
    }
    out << u"</dl>\n</header>\n"_s;
}

void writeMessage(const Message &message, const Session &session,
                  const QHash<QString, QColor> &colours, QByteArray &scratch, ExportStream &out)
{
    const bool participant =
        message.type != MessageType::Human && message.type != MessageType::Moderator;
    out << u"<article class=\""_s << messageClass(message) << u"\""_s
        << (participant ? speakerStyle(colours.value(message.speaker)) : QString())
        << u">\n<header><bdi class=\"speaker\">"_s << escaped(TranscriptLabels::speaker(message))
        << u"</bdi>"_s;
    if (const QString note = TranscriptLabels::turnNote(message, session); !note.isEmpty()) {
        out << u"<span class=\"note\">"_s << escaped(note) << u"</span>"_s;
    }
    if (const QString model = TranscriptLabels::model(message); !model.isEmpty()) {
        out << u"<span class=\"model\">"_s << escaped(model) << u"</span>"_s;
    }
    out << u"<time datetime=\""_s
        << message.createdAt.toTimeZone(QTimeZone::UTC).toString(Qt::ISODateWithMs) << u"\">"_s
        << TranscriptLabels::messageTime(message, session) << u"</time>"_s;
    if (const QString answer = TranscriptLabels::answer(message); !answer.isEmpty()) {
        out << u"<span class=\"answer\">"_s << escaped(answer) << u"</span>"_s;
    }
    out << u"</header>\n"_s;
    if (!message.content.isEmpty()) {
        scratch.resize(0);
        MarkdownHtml::render(message.content, scratch);
        out << u"<div class=\"content\" dir=\"auto\">\n"_s << QByteArrayView(scratch)
            << u"</div>\n"_s;
    }
    if (const QString mark = TranscriptLabels::statusMark(message); !mark.isEmpty()) {
        const QString kind =
            message.status == MessageStatus::Complete ? u"edited"_s : enumToString(message.status);
        out << u"<p class=\"mark "_s << kind << u"\">"_s << escaped(mark) << u"</p>\n"_s;
    }
    out << u"</article>\n"_s;
}

} // namespace

void writeHtml(const Session &session, ExportStream &out)
{
    QHash<QString, QColor> colours;
    for (const Participant &p : session.participants) {
        colours.insert(p.name, p.colour);
    }
    out << u"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"color-scheme\" content=\"light dark\">\n"
           // The page runs no script and loads nothing; should hostile text ever get past the
           // escaping, the browser refuses it too.
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
           "<title>"_s
        << escaped(TranscriptLabels::title(session)) << u"</title>\n<style>\n"_s << styleSheet;
    // Loading the syntax definitions is the slow part of a small export; skip it when there
    // is no code to colour.
    if (MarkdownHtml::hasFencedCode(session)) {
        out << CodeHighlighter::styleSheet(CodeHighlighter::LightAndDark);
    }
    out << u"</style>\n</head>\n<body>\n<main>\n"_s;
    writeHeader(session, colours, out);
    QByteArray scratch;
    int round = -1;
    for (const Message &message : session.messages) {
        if (message.round != round) {
            round = message.round;
            out << u"<h2 class=\"round\">"_s << TranscriptLabels::roundTitle(round, session.rounds)
                << u"</h2>\n"_s;
        }
        writeMessage(message, session, colours, scratch, out);
    }
    out << u"</main>\n</body>\n</html>\n"_s;
}

} // namespace Crosstalk::ExportFormats
