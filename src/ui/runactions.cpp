// SPDX-License-Identifier: GPL-3.0-or-later
#include "runactions.h"
#include "plaintextbox.h"

#include "config/appidentity.h"
#include "config/settings.h"
#include "engine/engine.h"
#include "runcontroldialogs.h"
#include "transcriptmodel.h"
#include "transcriptview.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QMessageBox>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

QAction *makeAction(const QString &icon, const QString &text, const QKeySequence &shortcut,
                    const QString &toolTip, QObject *parent)
{
    auto *action = new QAction(QIcon::fromTheme(icon), text, parent);
    action->setShortcut(shortcut);
    action->setToolTip(toolTip);
    action->setStatusTip(toolTip);
    return action;
}

} // namespace

RunActions::RunActions(Engine *engine, TranscriptView *view, QWidget *window)
    : QObject(window)
    , m_engine(engine)
    , m_view(view)
    , m_window(window)
{
    m_retry = makeAction(u"view-refresh"_s, tr("Re&try Reply"), Qt::CTRL | Qt::SHIFT | Qt::Key_R,
                         tr("Ask again for the chosen failed or partial reply"), this);
    m_regenerate =
        makeAction(u"view-refresh"_s, tr("Re&generate Reply…"), Qt::CTRL | Qt::SHIFT | Qt::Key_G,
                   tr("Ask again for the chosen reply; an earlier one is asked again "
                      "in a fork, which then waits for you"),
                   this);
    m_edit = makeAction(u"document-edit"_s, tr("&Edit and Continue…"), Qt::CTRL | Qt::Key_E,
                        tr("Change the chosen message and continue from it; an earlier one is "
                           "changed in a fork"),
                        this);
    m_fork = makeAction(u"split"_s, tr("&Fork Here"), Qt::CTRL | Qt::SHIFT | Qt::Key_B,
                        tr("A new session with the transcript up to the chosen message"), this);
    m_copy = makeAction(u"edit-copy"_s, tr("&Copy Message"), QKeySequence::Copy,
                        tr("Copy the chosen message's text"), this);
    m_original = makeAction(u"document-preview"_s, tr("Show &Original Text"),
                            Qt::CTRL | Qt::SHIFT | Qt::Key_O,
                            tr("The chosen edited message's text before it was edited"), this);
    // Copy acts on the transcript only, so the search box and the inspector keep their own.
    m_copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    view->addAction(m_copy);
    m_humanMessage =
        makeAction(u"mail-message-new"_s, tr("Add &Message…"), Qt::CTRL | Qt::Key_M,
                   tr("Write to everyone or chosen participants; later requests include it"), this);
    m_changeModel =
        makeAction(u"exchange-positions"_s, tr("Change &Models…"), Qt::CTRL | Qt::SHIFT | Qt::Key_M,
                   tr("Give participants other models while the session is paused"), this);

    connect(m_retry, &QAction::triggered, this, &RunActions::retry);
    connect(m_regenerate, &QAction::triggered, this, &RunActions::regenerate);
    connect(m_edit, &QAction::triggered, this, &RunActions::edit);
    connect(m_fork, &QAction::triggered, this, &RunActions::fork);
    connect(m_copy, &QAction::triggered, this, &RunActions::copy);
    connect(m_original, &QAction::triggered, this, [this] {
        if (m_original->isEnabled())
            Q_EMIT originalRequested(m_view->currentIndex());
    });
    connect(m_humanMessage, &QAction::triggered, this, &RunActions::addHumanMessage);
    connect(m_changeModel, &QAction::triggered, this, &RunActions::changeModel);

    TranscriptModel *transcript = model();
    connect(view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &RunActions::update);
    connect(transcript, &TranscriptModel::sessionChanged, this, &RunActions::update);
    connect(transcript, &QAbstractItemModel::dataChanged, this, &RunActions::update);
    connect(transcript, &QAbstractItemModel::rowsInserted, this, &RunActions::update);
    connect(transcript, &QAbstractItemModel::modelReset, this, &RunActions::update);
    update();
}

QList<QAction *> RunActions::messageActions() const
{
    return {m_retry, m_regenerate, m_edit, m_fork, m_copy, m_original};
}

TranscriptModel *RunActions::model() const
{
    return static_cast<TranscriptModel *>(m_view->model());
}

const Message *RunActions::currentMessage() const
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid() || current.row() >= model()->rowCount() ||
        !model()->isLoaded(current.row()))
        return nullptr;
    return &model()->message(current.row());
}

const Session *RunActions::shownSession() const
{
    if (const Session *held = m_engine->session(model()->sessionId()))
        return held;
    const Session &shown = model()->session();
    return !shown.id.isNull() && model()->unloadedRows() == 0 ? &shown : nullptr;
}

bool RunActions::sessionIdle() const
{
    const Session *session = shownSession();
    return session && !m_readOnly && session->isSettled();
}

void RunActions::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    update();
}

void RunActions::update()
{
    const Session *session = shownSession();
    const Message *m = currentMessage();
    const bool idle = sessionIdle();
    const SessionStatus status = session ? session->status : SessionStatus::Configured;
    const bool settled = m && m->status != MessageStatus::Streaming;

    // Mirrors Engine::retry: a failed or partial reply of the latest round, in place.
    bool retryable = idle && m && !needsFork(status) && m->isTurn() &&
                     (m->status == MessageStatus::Failed || m->status == MessageStatus::Partial);
    if (retryable)
        retryable =
            std::none_of(session->messages.cbegin(), session->messages.cend(),
                         [&](const Message &x) { return x.isTurn() && x.round > m->round; });
    m_retry->setEnabled(retryable);
    m_regenerate->setEnabled(idle && settled && m->isTurn());
    m_edit->setEnabled(idle && settled);
    m_fork->setEnabled(session && settled);
    m_copy->setEnabled(m && !m->content.isEmpty());
    m_original->setEnabled(m && m->isEdited());
    m_humanMessage->setEnabled(session && !m_readOnly && !hasEnded(status));
    m_changeModel->setEnabled(idle && canStart(status));
}

bool RunActions::report(const std::optional<Error> &error)
{
    if (error)
        PlainTextBox::warning(m_window, AppIdentity::displayName(), error->message);
    update();
    return !error;
}

void RunActions::whenLoaded(const QUuid &sessionId, std::function<void()> command)
{
    m_engine->whenLoaded(sessionId, this,
                         [this, command = std::move(command)](const std::optional<Error> &error) {
                             if (report(error))
                                 command();
                         });
}

void RunActions::continueIn(const QUuid &sessionId)
{
    if (sessionId != model()->sessionId())
        Q_EMIT sessionOpened(sessionId);
    m_engine->startWhenReady(sessionId, this,
                             [this](const std::optional<Error> &error) { report(error); });
}

void RunActions::retry()
{
    const Message *m = currentMessage();
    if (!m || !m_retry->isEnabled())
        return;
    const QUuid sessionId = model()->sessionId();
    whenLoaded(sessionId, [this, sessionId, messageId = m->id] {
        if (report(m_engine->retry(sessionId, messageId)))
            Q_EMIT steered(sessionId);
    });
}

bool RunActions::regeneratingForks(const Message &message) const
{
    // Mirrors Engine::regenerate: only the last reply of a session that can go on is replaced.
    const Session *session = shownSession();
    return needsFork(session->status) ||
           std::any_of(session->messages.cbegin(), session->messages.cend(),
                       [&](const Message &x) { return x.isTurn() && x.seq > message.seq; });
}

void RunActions::regenerate()
{
    const Message *m = currentMessage();
    if (!m || !m_regenerate->isEnabled())
        return;
    if (regeneratingForks(*m)) {
        QMessageBox box(QMessageBox::Question, tr("Regenerate Reply"),
                        tr("Later messages build on this reply, so it is asked again in a fork: a "
                           "new session with the transcript up to this reply. The fork opens, "
                           "asks %1 again and then waits, paused, for you to continue it. This "
                           "session stays as it is.")
                            .arg(m->speaker),
                        QMessageBox::Cancel, m_window);
        box.setObjectName(u"regenerateInForkQuestion"_s);
        box.setTextFormat(Qt::PlainText);
        QPushButton *go = box.addButton(tr("Regenerate in a &Fork"), QMessageBox::AcceptRole);
        box.setDefaultButton(go);
        box.exec();
        if (box.clickedButton() != go)
            return;
    }
    const QUuid sessionId = model()->sessionId();
    whenLoaded(sessionId, [this, sessionId, messageId = m->id] {
        QUuid result;
        if (!report(m_engine->regenerate(sessionId, messageId, &result,
                                         Engine::StoreAnswer::Immediate)))
            return;
        if (result == sessionId) {
            Q_EMIT steered(sessionId); // asked again in place; resuming goes on from it
        } else {
            Q_EMIT sessionOpened(result);
            Q_EMIT noteReady(tr("Regenerating in a fork; it stays paused once the reply is in."));
        }
    });
}

void RunActions::edit()
{
    const Message *m = currentMessage();
    if (!m || !m_edit->isEnabled())
        return;
    const Session &session = model()->session();
    const QUuid sessionId = session.id;
    const QUuid messageId = m->id;
    const bool forks = session.messages.constLast().id != messageId;
    EditMessageDialog dialog(m->speaker, m->content, forks, m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    whenLoaded(sessionId, [this, sessionId, messageId, text = dialog.text()] {
        QUuid result;
        if (report(m_engine->editMessage(sessionId, messageId, text, &result,
                                         Engine::StoreAnswer::Immediate))) {
            Q_EMIT steered(sessionId);
            continueIn(result);
        }
    });
}

void RunActions::fork()
{
    const Message *m = currentMessage();
    if (!m || !m_fork->isEnabled())
        return;
    const QUuid sessionId = model()->sessionId();
    whenLoaded(sessionId, [this, sessionId, messageId = m->id] {
        QUuid result;
        if (report(m_engine->fork(sessionId, messageId, &result, Engine::StoreAnswer::Immediate)))
            Q_EMIT sessionOpened(result);
    });
}

void RunActions::copy()
{
    if (const Message *m = currentMessage())
        QGuiApplication::clipboard()->setText(m->content);
}

void RunActions::addHumanMessage()
{
    const Session *session = shownSession();
    if (!session || !m_humanMessage->isEnabled())
        return;
    const QUuid sessionId = session->id;
    HumanMessageDialog dialog(session->participants, m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    whenLoaded(sessionId, [this, sessionId, text = dialog.text(), to = dialog.recipients()] {
        report(m_engine->addHumanMessage(sessionId, text, to));
    });
}

void RunActions::changeModel()
{
    const Session *session = shownSession();
    if (!session || !m_changeModel->isEnabled())
        return;
    const QUuid sessionId = session->id;
    const Message *m = currentMessage();
    ParticipantModelDialog dialog(session->participants, m_engine->registry(),
                                  ModelChoice::Health::fromSettings(Settings()),
                                  m ? m->speaker : QString(), m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    whenLoaded(sessionId, [this, sessionId, changes = dialog.changes()] {
        QStringList done;
        for (const auto &[participant, alias] : changes) {
            if (!report(m_engine->setParticipantModel(sessionId, participant, alias)))
                return;
            done << tr("%1 now answers with %2")
                        .arg(participant, m_engine->registry().model(alias)->displayName());
        }
        Q_EMIT noteReady(done.join(u"; "_s) + u'.');
    });
}

} // namespace Crosstalk
