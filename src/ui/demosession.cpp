// SPDX-License-Identifier: GPL-3.0-or-later
#include "demosession.h"

#include "llm/modelregistry.h"
#include "persona/persona.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

// A participant with a bundled persona and the persona's own colour (the bundled ones are
// told apart at a glance), or the default colour if the persona cannot be read.
Participant bundled(const QString &name, const QString &file, qsizetype index)
{
    Participant p{name, ModelRegistry::demoAlias(), {}, {}, Participant::defaultColour(index), {}};
    const Parsed<Persona> persona = Persona::readFile(u":/crosstalk/personas/"_s + file, file);
    if (persona) {
        p.persona = persona.value->prompt;
        p.personaSource = file;
        if (persona.value->colour.isValid())
            p.colour = persona.value->colour;
    } else {
        p.persona = u"You are {{name}}, taking part in a conversation with {{participants}}."_s;
    }
    return p;
}

} // namespace

Session demoSessionDraft()
{
    Session s;
    s.topic = QCoreApplication::translate("Crosstalk::DemoSession",
                                          "Should a small team rewrite its ageing web service from "
                                          "scratch, or improve it step by step?");
    s.title = QCoreApplication::translate("Crosstalk::DemoSession", "Demo: rewrite or refactor?");
    s.paradigm = Paradigm::Debate;
    s.rounds = 3;
    s.participants = {bundled(u"Alice"_s, u"alice.md"_s, 0), bundled(u"Bob"_s, u"bob.md"_s, 1),
                      bundled(u"Judge"_s, u"judge.md"_s, 2)};
    return s;
}

} // namespace Crosstalk
