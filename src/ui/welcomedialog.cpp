// SPDX-License-Identifier: GPL-3.0-or-later
#include "welcomedialog.h"

#include "engine/engine.h"
#include "modelchoice.h"
#include "modelsettings.h"

#include <QDialogButtonBox>
#include <QFrame>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Crosstalk {

WelcomeDialog::WelcomeDialog(Engine *engine, const QList<LocalServerProbe::Candidate> &candidates,
                             QWidget *parent)
    : QDialog(parent)
    , m_engine(engine)
    , m_models(new ModelSettings(engine, this))
    , m_probe(new LocalServerProbe(this))
{
    setWindowTitle(tr("Welcome to Crosstalk"));
    setObjectName(u"WelcomeDialog"_s);
    auto *layout = new QVBoxLayout(this);
    auto *title = new QLabel(tr("<h2>Welcome to Crosstalk</h2>"), this);
    auto *intro = new QLabel(tr("Several language models, each with its own persona, talk to each "
                                "other about a topic while you watch, steer and keep the "
                                "transcript."),
                             this);
    intro->setWordWrap(true);
    m_status = new QLabel(tr("Looking for models on this computer…"), this);
    m_status->setObjectName(u"welcomeStatus"_s);
    m_status->setWordWrap(true);
    m_choices = new QVBoxLayout;
    layout->addWidget(title);
    layout->addWidget(intro);
    layout->addWidget(m_status);
    layout->addLayout(m_choices);
    layout->addStretch(1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setAutoDefault(false);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(m_probe, &LocalServerProbe::finished, this, &WelcomeDialog::onProbed);
    m_probe->start(candidates);
    resize(560, 460);
}

QPushButton *WelcomeDialog::addChoice(const QString &name, const QString &title,
                                      const QString &text, const QString &button)
{
    auto *frame = new QFrame(this);
    frame->setFrameShape(QFrame::StyledPanel);
    auto *layout = new QVBoxLayout(frame);
    auto *heading = new QLabel(u"<b>%1</b>"_s.arg(title.toHtmlEscaped()), frame);
    auto *body = new QLabel(text, frame);
    body->setWordWrap(true);
    body->setTextFormat(Qt::PlainText);
    auto *push = new QPushButton(button, frame);
    push->setObjectName(name);
    // Enter starts what the dialog suggests, whichever button has the focus.
    push->setAutoDefault(false);
    layout->addWidget(heading);
    layout->addWidget(body);
    layout->addWidget(push, 0, Qt::AlignRight);
    m_choices->addWidget(frame);
    return push;
}

void WelcomeDialog::onProbed(const QList<LocalServer> &servers)
{
    const ModelRegistry &registry = m_engine->registry();
    const QStringList configured = ModelChoice::configuredAliases(registry);
    QPushButton *primary = nullptr;

    if (!configured.isEmpty()) {
        m_suggestion = u"configured"_s;
        QStringList names;
        for (const QString &alias : configured)
            names << registry.model(alias)->displayName();
        QPushButton *go = addChoice(
            u"welcomeNewSession"_s, tr("Your models are ready"),
            tr("Crosstalk found these models (from your environment or settings): %1. Choose "
               "a topic and participants and start.")
                .arg(names.join(u", "_s)),
            tr("Set Up a Conversation…"));
        connect(go, &QPushButton::clicked, this, [this] {
            accept();
            Q_EMIT newSessionRequested();
        });
        primary = go;
    }
    for (const LocalServer &server : servers) {
        if (!m_suggestion.isEmpty() && m_suggestion != u"local"_s)
            break; // models are configured already; a local server is in Settings
        m_suggestion = u"local"_s;
        QPushButton *use = addChoice(
            u"welcomeUse_"_s + server.alias, tr("%1 is running on this computer").arg(server.name),
            tr("It offers %n model(s), for example %1. Crosstalk can use it without a key.",
               nullptr, int(server.models.size()))
                .arg(server.models.value(0)),
            tr("Use %1…").arg(server.name));
        connect(use, &QPushButton::clicked, this, [this, server] {
            m_models->addLocalServer(server);
            accept();
            Q_EMIT newSessionRequested();
        });
        if (!primary)
            primary = use;
    }

    QPushButton *demo = addChoice(
        u"welcomeDemo"_s, tr("Watch a demo conversation"),
        tr("Alice and Bob debate and a judge decides, on the built-in demo model: offline, "
           "free, and scripted — its replies are canned, not written by a language model."),
        tr("Start the &Demo"));
    connect(demo, &QPushButton::clicked, this, [this] {
        accept();
        Q_EMIT demoRequested();
    });
    QPushButton *configure = addChoice(
        u"welcomeSettings"_s, tr("Use a provider's models"),
        tr("Add a model with its API key (kept in the system keychain), or set OPENAI_API_KEY or "
           "ANTHROPIC_API_KEY in the environment before starting Crosstalk."),
        tr("&Configure Models…"));
    connect(configure, &QPushButton::clicked, this, [this] {
        accept();
        Q_EMIT settingsRequested();
    });

    if (m_suggestion.isEmpty()) {
        m_suggestion = u"demo"_s;
        m_status->setText(tr("No API key is set in the environment and no model server was found "
                             "on this computer (Ollama, LM Studio, llama.cpp, vLLM). The demo "
                             "shows what Crosstalk does right away."));
        primary = demo;
    } else {
        m_status->setText(tr("Here is how to start:"));
    }
    primary->setDefault(true);
    primary->setFocus();
}

} // namespace Crosstalk
