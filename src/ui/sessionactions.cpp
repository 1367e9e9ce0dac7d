// SPDX-License-Identifier: GPL-3.0-or-later
#include "sessionactions.h"
#include "plaintextbox.h"

#include "config/appidentity.h"
#include "demosession.h"
#include "engine/engine.h"
#include "newsessiondialog.h"
#include "sessionlistmodel.h"
#include "transcriptmodel.h"

#include <QAction>
#include <QMessageBox>

using namespace Qt::StringLiterals;

namespace Crosstalk {

SessionActions::SessionActions(Engine *engine, PersonaLibrary *library, SessionListModel *sessions,
                               TranscriptModel *transcript, QWidget *window)
    : QObject(window)
    , m_engine(engine)
    , m_library(library)
    , m_sessions(sessions)
    , m_transcript(transcript)
    , m_window(window)
{
    m_newDemo = new QAction(QIcon::fromTheme(u"document-new"_s), tr("New &Demo Session"), this);
    m_newDemo->setToolTip(
        tr("Start a debate on the built-in offline demo model: no key or server needed"));
    // Ctrl+N belongs to New Session…, which sets a conversation up.
    m_newDemo->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_N);
    connect(m_newDemo, &QAction::triggered, this, [this] { startDemoSession(); });

    m_newSession = new QAction(QIcon::fromTheme(u"document-new"_s), tr("&New Session…"), this);
    m_newSession->setToolTip(
        tr("Choose a topic, participants, models and personas, and start a conversation"));
    m_newSession->setShortcut(QKeySequence::New);
    connect(m_newSession, &QAction::triggered, this, &SessionActions::openNewSessionDialog);

    m_start = new QAction(QIcon::fromTheme(u"media-playback-start"_s), tr("&Start"), this);
    m_start->setShortcut(Qt::CTRL | Qt::Key_R);
    connect(m_start, &QAction::triggered, this, [this] { runControl(&Engine::start); });

    m_pause = new QAction(QIcon::fromTheme(u"media-playback-pause"_s), tr("&Pause"), this);
    m_pause->setShortcut(Qt::CTRL | Qt::Key_P);
    m_pause->setToolTip(tr("Let the replies in flight finish and start no new ones"));
    connect(m_pause, &QAction::triggered, this, [this] { runControl(&Engine::pause); });

    m_stop = new QAction(QIcon::fromTheme(u"media-playback-stop"_s), tr("S&top"), this);
    m_stop->setShortcut(Qt::CTRL | Qt::Key_Period);
    m_stop->setToolTip(tr("Abort the replies in flight, keeping what arrived"));
    connect(m_stop, &QAction::triggered, this, [this] { runControl(&Engine::stop); });

    m_budget = new QAction(QIcon::fromTheme(u"wallet-open"_s), tr("Change &Budget…"), this);
    m_budget->setShortcut(Qt::CTRL | Qt::Key_B);
    m_budget->setToolTip(tr("Raise, lower or remove the session's token and cost caps"));
    connect(m_budget, &QAction::triggered, this,
            [this] { changeBudget(BudgetDialog::Purpose::Change); });

    m_delete = new QAction(QIcon::fromTheme(u"edit-delete"_s), tr("&Delete Session…"), this);
    m_delete->setShortcut(QKeySequence::Delete);
    m_delete->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_delete, &QAction::triggered, this, &SessionActions::remove);

    m_rename = new QAction(QIcon::fromTheme(u"edit-rename"_s), tr("Re&name Session…"), this);
    m_rename->setShortcut(Qt::Key_F2);
    m_rename->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_rename, &QAction::triggered, this, &SessionActions::rename);

    m_duplicate = new QAction(QIcon::fromTheme(u"edit-copy"_s), tr("D&uplicate Session"), this);
    m_duplicate->setShortcut(Qt::CTRL | Qt::Key_D);
    m_duplicate->setToolTip(tr("A new session with the same setup and no messages"));
    connect(m_duplicate, &QAction::triggered, this, &SessionActions::duplicate);

    m_fork = new QAction(QIcon::fromTheme(u"split"_s), tr("F&ork Session"), this);
    m_fork->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_D);
    m_fork->setToolTip(
        tr("A new session with the whole transcript so far, paused, to go on differently"));
    connect(m_fork, &QAction::triggered, this, &SessionActions::fork);
}

QUuid SessionActions::currentId() const
{
    return m_transcript->sessionId();
}

void SessionActions::update(bool open, const QString &runningElsewhere)
{
    m_runningElsewhere = runningElsewhere;
    const bool readOnly = !runningElsewhere.isEmpty();
    const Session &session = m_transcript->session();
    const SessionStatus status = session.status;
    m_start->setText(status == SessionStatus::Configured ? tr("&Start") : tr("&Resume"));
    m_start->setEnabled(open && !readOnly && canStart(status));
    m_pause->setEnabled(open && !readOnly && isRunning(status));
    m_stop->setEnabled(open && !readOnly && isUnderway(status));
    m_budget->setEnabled(open && !readOnly && !isRunning(status) &&
                         status != SessionStatus::Completed);
    m_delete->setEnabled(open && !readOnly);
    m_rename->setEnabled(open && !readOnly);
    m_duplicate->setEnabled(open);
    m_fork->setEnabled(
        open && std::any_of(session.messages.cbegin(), session.messages.cend(),
                            [](const Message &m) { return m.status != MessageStatus::Streaming; }));
}

QUuid SessionActions::startDemoSession()
{
    const Parsed<QUuid> created =
        m_engine->createSession(demoSessionDraft(), Engine::StoreAnswer::Immediate);
    if (!created) {
        Q_EMIT errorOccurred(created.errors.isEmpty() ? tr("The demo session could not be created.")
                                                      : created.errors.first().toString());
        return {};
    }
    showAndStart(*created.value);
    return *created.value;
}

NewSessionDialog *SessionActions::openNewSessionDialog()
{
    auto *dialog = new NewSessionDialog(m_engine, m_library, m_window);
    dialog->setLocalServerCandidates(m_localCandidates);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { showAndStart(dialog->createdSession()); });
    dialog->show();
    return dialog;
}

void SessionActions::showAndStart(const QUuid &id)
{
    Q_EMIT sessionOpened(id);
    runControl(&Engine::start);
}

void SessionActions::runControl(std::optional<Error> (Engine::*control)(const QUuid &))
{
    const QUuid id = currentId();
    if (id.isNull())
        return;
    if (control == &Engine::start && !budgetReached(m_transcript->session()).isEmpty()) {
        changeBudget(BudgetDialog::Purpose::Resume); // a cap paused it: raise it first
        return;
    }
    if (control == &Engine::start) {
        start(id);
        return;
    }
    whenLoaded(id, AppIdentity::displayName(), [this, id, control] {
        if (const std::optional<Error> error = (m_engine->*control)(id))
            PlainTextBox::warning(m_window, AppIdentity::displayName(), error->message);
        // The user knows why they paused or stopped; the banner is for reasons they do not.
        Q_EMIT steered(id);
    });
}

void SessionActions::start(const QUuid &id)
{
    // Taking the lease may wait for another process's write lock: the window does not.
    m_engine->startWhenReady(id, this, [this](const std::optional<Error> &error) {
        if (error)
            PlainTextBox::warning(m_window, AppIdentity::displayName(), error->message);
        Q_EMIT changed();
    });
}

void SessionActions::changeBudget(BudgetDialog::Purpose purpose)
{
    const Session &session = m_transcript->session();
    if (session.id.isNull() || !m_budget->isEnabled())
        return;
    BudgetDialog dialog(session, purpose, m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const BudgetChange change = dialog.change();
    Session after = session;
    change.applyTo(after.options);
    const QStringList unpriced = m_engine->unpricedModels(after);
    if (change.cost && !unpriced.isEmpty() && !BudgetDialog::acceptUnpriced(m_window, unpriced))
        return;
    whenLoaded(session.id, tr("Change Budget"), [this, id = session.id, change, purpose] {
        if (const std::optional<Error> error =
                m_engine->setBudget(id, change, Engine::UnpricedModels::Accept)) {
            PlainTextBox::warning(m_window, tr("Change Budget"), error->message);
            return;
        }
        Q_EMIT changed();
        if (purpose == BudgetDialog::Purpose::Resume)
            start(id); // the transcript may not show the new caps yet
    });
}

void SessionActions::whenLoaded(const QUuid &id, const QString &caption,
                                std::function<void()> command)
{
    m_engine->whenLoaded(
        id, this, [this, caption, command = std::move(command)](const std::optional<Error> &error) {
            if (error)
                PlainTextBox::warning(m_window, caption, error->message);
            else
                command();
        });
}

void SessionActions::rename()
{
    const Session &session = m_transcript->session();
    if (session.id.isNull() || !m_rename->isEnabled())
        return;
    const std::optional<QString> asked =
        PlainTextBox::askText(m_window, tr("Rename Session"), tr("&Title:"), session.title);
    if (!asked || asked->trimmed() == session.title)
        return;
    const QString title = *asked;
    whenLoaded(session.id, tr("Rename Session"), [this, id = session.id, title] {
        if (const std::optional<Error> error = m_engine->rename(id, title))
            PlainTextBox::warning(m_window, tr("Rename Session"), error->message);
        else
            Q_EMIT changed();
    });
}

void SessionActions::duplicate()
{
    if (currentId().isNull())
        return;
    Session copy = m_transcript->session();
    copy.title = tr("%1 (copy)").arg(copy.title);
    // The original's cost cap was accepted as it is.
    const Parsed<QUuid> created = m_engine->createSession(copy, Engine::StoreAnswer::Immediate,
                                                          Engine::UnpricedModels::Accept);
    if (!created) {
        QStringList problems;
        for (const FieldError &e : created.errors)
            problems << e.toString();
        PlainTextBox::warning(
            m_window, tr("Duplicate Session"),
            tr("The session cannot be duplicated:\n%1").arg(problems.join(u'\n')));
        return;
    }
    Q_EMIT sessionOpened(*created.value);
}

void SessionActions::fork()
{
    const Session &session = m_transcript->session();
    if (session.id.isNull())
        return;
    // At the last message that is complete, failed or partial: one still streaming is left out.
    QUuid at;
    for (auto it = session.messages.crbegin(); it != session.messages.crend() && at.isNull(); ++it)
        if (it->status != MessageStatus::Streaming)
            at = it->id;
    if (at.isNull())
        return;
    whenLoaded(session.id, tr("Fork Session"), [this, id = session.id, at] {
        QUuid fork;
        if (const std::optional<Error> error =
                m_engine->fork(id, at, &fork, Engine::StoreAnswer::Immediate)) {
            PlainTextBox::warning(m_window, tr("Fork Session"), error->message);
            return;
        }
        Q_EMIT sessionOpened(fork);
    });
}

void SessionActions::remove()
{
    const QUuid id = currentId();
    if (id.isNull())
        return;
    const int row = m_sessions->rowOf(id);
    const QString title =
        row >= 0 ? m_sessions->index(row).data(SessionListModel::TitleRole).toString() : QString();
    if (!m_runningElsewhere.isEmpty()) {
        PlainTextBox::information(
            m_window, tr("Delete Session"),
            tr("This session runs in %1; stop it there first.").arg(m_runningElsewhere));
        return;
    }
    const auto answer = PlainTextBox::question(
        m_window, tr("Delete Session"),
        tr("Delete “%1” and its whole transcript? This cannot be undone.").arg(title),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    whenLoaded(id, tr("Delete Session"), [this, id] {
        if (const std::optional<Error> error = m_engine->remove(id, Engine::StoreAnswer::Immediate))
            Q_EMIT errorOccurred(error->message);
    });
}

} // namespace Crosstalk
