// SPDX-License-Identifier: GPL-3.0-or-later
// Steering from the window against the fake LLM server (PRODUCT.md §3): retry a failed reply,
// edit and continue, fork, a human message to chosen participants, another model while
// paused; the session list's rename, duplicate, fork and delete; export and import.
#include "budgetdialog.h"
#include "conversation/sessiondocument.h"
#include "fault.h"
#include "messagedelegate.h"
#include "runcontroldialogs.h"
#include "storelock.h"
#include "transcriptview.h"
#include "windowfixture.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Fake;

class TestWindowRunControl : public QObject
{
    Q_OBJECT

private:
    WindowFixture f;

    QListView *transcriptView() const
    {
        return f.window->findChild<QListView *>(u"transcriptView"_s);
    }
    TranscriptModel *transcript() const { return f.window->transcriptModel(); }
    void choose(int row) { transcriptView()->setCurrentIndex(transcript()->index(row)); }
    const Session &session(const QUuid &id) const { return *f.engine->session(id); }

    // A two-round session, run to the end, open in the window; null if it did not finish.
    QUuid completedSession()
    {
        const QUuid id = f.create(u"Is light a wave or a particle?"_s, 2);
        f.openWindow();
        f.window->openSession(id);
        f.settle();
        f.action(u"&Start"_s)->trigger();
        f.settle();
        const bool completed =
            QTest::qWaitFor([&] { return f.status(id) == SessionStatus::Completed; }, 20000);
        return completed ? id : QUuid();
    }

    // A three-round session started in the window, which is closed (Pause and quit: Yes) while
    // a reply streams at `timing`; null if no reply streamed or the window closed at once.
    QUuid closedWhileStreaming(const Timing &timing)
    {
        f.server.setTiming(timing);
        const QUuid id = f.create(u"Tea or coffee?"_s, 3);
        f.openWindow();
        f.window->openSession(id);
        f.settle();
        f.action(u"&Start"_s)->trigger();
        f.settle();
        if (!QTest::qWaitFor([&] { return f.rowWithStatus(MessageStatus::Streaming) >= 0; }, 20000))
            return {};
        WindowFixture::whenDialogShows<QMessageBox>(
            [](QMessageBox *box) { box->button(QMessageBox::Yes)->click(); });
        return f.window->close() ? QUuid() : id;
    }

    QStringList contextMenuOf(QListView *view, int row)
    {
        QStringList seen;
        WindowFixture::whenMenuShows(&seen);
        Q_EMIT view->customContextMenuRequested(
            view->visualRect(view->model()->index(row, 0)).center());
        return seen;
    }

    static void typeInto(QWidget *dialog, const QString &text)
    {
        dialog->findChild<QPlainTextEdit *>(u"messageText"_s)->setPlainText(text);
    }

private slots:
    void initTestCase() { f.setUpCase(); }
    void init() { f.setUp(); }
    void cleanup() { f.tearDown(); }
    void cleanupTestCase() { f.tearDownCase(); }

    // QUALITY.md R14 in the window: while another connection holds the store's write lock,
    // the running session pauses and a bar says the transcript cannot be saved and why; its
    // Retry saves what is held and goes on once the lock is gone.
    void storageFailureShowsABarWithRetry()
    {
        f.server.setTiming({5, 5, 40});
        QVERIFY(f.store->setBusyTimeout(std::chrono::milliseconds(50)));
        const QUuid id = f.create(u"Tea or coffee?"_s, 3);
        f.openWindow();
        f.window->openSession(id);
        f.settle();
        auto *bar = f.window->findChild<QWidget *>(u"storageBar"_s);
        QVERIFY(bar);
        QVERIFY(!bar->isVisible());
        f.action(u"&Start"_s)->trigger();
        f.settle();
        QTRY_VERIFY_WITH_TIMEOUT(f.server.requests().size() >= 2, 20000);

        StoreLock lock(f.dir.filePath(u"storageFailureShowsABarWithRetry.sqlite"_s));
        QVERIFY(lock.take());
        QTRY_VERIFY_WITH_TIMEOUT(bar->isVisible(), 10000);
        QTRY_COMPARE(f.status(id), SessionStatus::Paused);
        const auto *text = bar->findChild<QLabel *>(u"storageText"_s);
        QVERIFY2(text->text().contains(u"cannot be saved"_s) && text->text().contains(u"locked"_s),
                 qPrintable(text->text()));
        auto *retry = bar->findChild<QPushButton *>(u"storageRetry"_s);
        const qsizetype requests = f.server.requests().size();
        retry->click();
        f.settle();
        QVERIFY(bar->isVisible());
        QCOMPARE(f.status(id), SessionStatus::Paused);
        QCOMPARE(f.server.requests().size(), requests);

        lock.release();
        retry->click();
        f.settle();
        QVERIFY(!bar->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(f.status(id), SessionStatus::Completed, 30000);
        f.server.setTiming({0, 20, 400});
    }

    // Start takes the session's lease, a write: while another process holds the store's write
    // lock it waits on the store's thread, and the window goes on meanwhile (QUALITY.md P11);
    // so do a new session and a deletion.
    void commandsDoNotWaitForALockedStore()
    {
        QVERIFY(f.store->setBusyTimeout(std::chrono::milliseconds(5000)));
        const QUuid id = f.create(u"Tea or coffee?"_s, 2);
        f.openWindow();
        f.window->openSession(id);
        f.settle();
        StoreLock lock(f.dir.filePath(u"commandsDoNotWaitForALockedStore.sqlite"_s));
        QVERIFY(lock.take());
        QElapsedTimer clock;
        clock.start();
        f.action(u"&Start"_s)->trigger();
        QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(f.engine->session(id)->status, SessionStatus::Configured);
        // The window still answers: the session list reads while the lock is held.
        QSignalSpy refreshed(f.window->sessionListModel(), &SessionListModel::refreshed);
        f.window->sessionListModel()->refresh();
        QVERIFY(refreshed.wait());
        QVERIFY(clock.elapsed() < 4000);
        QCOMPARE(f.engine->session(id)->status, SessionStatus::Configured);

        // Neither do a new session and a deletion: the store has them once the lock is gone.
        clock.restart();
        f.action(u"D&uplicate Session"_s)->trigger();
        const QUuid copy = f.window->currentSessionId();
        QVERIFY(copy != id && f.engine->session(copy));
        WindowFixture::whenDialogShows<QMessageBox>(
            [](QMessageBox *box) { box->button(QMessageBox::Yes)->click(); });
        f.action(u"&Delete Session…"_s)->trigger();
        QTRY_VERIFY(!f.engine->session(copy));
        QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(!f.engine->storageFault(copy));

        lock.release();
        QTRY_COMPARE_WITH_TIMEOUT(f.status(id), SessionStatus::Completed, 20000);
        f.settle();
        QCOMPARE(f.store->loadSession(copy).error().code, ErrorCode::NotFound);
        QVERIFY(f.store->loadSession(id));
    }

    // Stop can be undone: Resume goes on, asking again for the turns the stop cut off; the
    // partial replies stay, marked partial.
    void resumeAfterStop()
    {
        f.server.setTiming({0, 20, 40}); // slow enough to stop in the middle of a reply
        const QUuid id = f.create(u"Tea or coffee?"_s, 2);
        f.openWindow();
        f.window->openSession(id);
        f.settle();
        f.action(u"&Start"_s)->trigger();
        f.settle();
        QTRY_VERIFY_WITH_TIMEOUT(f.rowWithStatus(MessageStatus::Streaming) >= 0 &&
                                     !transcript()
                                          ->index(f.rowWithStatus(MessageStatus::Streaming))
                                          .data(TranscriptModel::ContentRole)
                                          .toString()
                                          .isEmpty(),
                                 20000);
        f.action(u"S&top"_s)->trigger();
        f.settle();
        QTRY_COMPARE(f.status(id), SessionStatus::Cancelled);
        QTRY_VERIFY(f.rowWithStatus(MessageStatus::Partial) >= 0);
        QAction *resume = f.action(u"&Resume"_s);
        QVERIFY(resume && resume->isEnabled());
        QVERIFY(!f.action(u"S&top"_s)->isEnabled());
        f.server.setTiming({0, 20, 400});
        resume->trigger();
        f.settle();
        QTRY_COMPARE_WITH_TIMEOUT(f.status(id), SessionStatus::Completed, 30000);
        int complete = 0;
        int partial = 0;
        for (const Message &m : session(id).messages) {
            complete += m.status == MessageStatus::Complete;
            partial += m.status == MessageStatus::Partial;
        }
        QCOMPARE(complete, 2 * 2);
        QVERIFY(partial >= 1);
    }

    // Closing the window while replies stream pauses the sessions and waits for the replies
    // (with Quit Now), so none is cut short; the window closes once they are in.
    void closingWaitsForRepliesInFlight()
    {
        const QUuid id = closedWhileStreaming({0, 20, 60});
        QVERIFY(!id.isNull());
        QCOMPARE(f.status(id), SessionStatus::Paused);
        auto *wait = f.window->findChild<QProgressDialog *>(u"quitWait"_s);
        QVERIFY(wait && wait->isVisible());
        QVERIFY2(wait->labelText().startsWith(u"Waiting for"_s), qPrintable(wait->labelText()));
        QVERIFY(f.window->isVisible());
        QVERIFY(!f.window->close()); // closing again keeps waiting
        QTRY_VERIFY_WITH_TIMEOUT(!f.window->isVisible(), 20000);
        QVERIFY(!session(id).messages.isEmpty());
        for (const Message &m : session(id).messages)
            QCOMPARE(m.status, MessageStatus::Complete);
        f.server.setTiming({0, 20, 400});
    }

    void quitNowDoesNotWait()
    {
        const QUuid id = closedWhileStreaming({0, 20, 5});
        QVERIFY(!id.isNull());
        auto *wait = f.window->findChild<QProgressDialog *>(u"quitWait"_s);
        QVERIFY(wait);
        auto *quitNow = wait->findChild<QPushButton *>();
        QVERIFY(quitNow);
        QCOMPARE(quitNow->text(), u"&Quit Now"_s);
        quitNow->click();
        QTRY_VERIFY(!f.window->isVisible());
        QVERIFY(!session(id).isSettled()); // a reply was still streaming: not waited for
        f.server.setTiming({0, 20, 400});
    }

    void retryAFailedReply()
    {
        QString error;
        const auto rule = FaultRule::parse(u"500@model=model-1,nth=1"_s, &error);
        QVERIFY2(rule, qPrintable(error));
        f.server.addFaultRule(*rule);
        const QUuid id = f.create(u"Will this fail once?"_s, 2);
        f.openWindow();
        f.window->openSession(id);
        f.settle();
        f.action(u"&Start"_s)->trigger();
        f.settle();
        QTRY_COMPARE_WITH_TIMEOUT(f.status(id), SessionStatus::Paused, 10000);
        QTRY_VERIFY(f.rowWithStatus(MessageStatus::Failed) >= 0 &&
                    f.rowWithStatus(MessageStatus::Streaming) < 0);
        const int failed = f.rowWithStatus(MessageStatus::Failed);
        auto *banner = f.window->findChild<QLabel *>(u"outcomeBanner"_s);
        QTRY_VERIFY(banner->isVisible());

        // Offered on the failed reply only, in the menu and the transcript's context menu.
        QAction *retry = f.action(u"Re&try Reply"_s);
        QVERIFY(retry);
        choose(failed == 0 ? 1 : 0);
        QVERIFY(!retry->isEnabled());
        choose(failed);
        QVERIFY(retry->isEnabled());
        const QStringList menu = contextMenuOf(transcriptView(), failed);
        for (const QString &text :
             {u"Re&try Reply"_s, u"Re&generate Reply…"_s, u"&Edit and Continue…"_s, u"&Fork Here"_s,
              u"&Copy Message"_s, u"Show &Request"_s})
            QVERIFY2(menu.contains(text), qPrintable(menu.join(u", "_s)));
        QCOMPARE(transcriptView()->currentIndex().row(), failed);

        // The failed reply's Retry button asks again, as the action does.
        auto *view = static_cast<TranscriptView *>(transcriptView());
        QVERIFY(view->messageDelegate()
                    ->retryButtonRect(transcript()->index(failed == 0 ? 1 : 0))
                    .isEmpty());
        const QRect button = view->messageDelegate()->retryButtonRect(transcript()->index(failed));
        QVERIFY(!button.isEmpty());
        QVERIFY(view->viewport()->rect().contains(button));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, button.center());
        // Asked again in place: the same row streams, then completes.
        QTRY_COMPARE_WITH_TIMEOUT(
            transcript()->index(failed).data(TranscriptModel::StatusRole).value<MessageStatus>(),
            MessageStatus::Complete, 10000);
        QVERIFY(
            !transcript()->index(failed).data(TranscriptModel::ContentRole).toString().isEmpty());
        QCOMPARE(transcript()->rowCount(), 2);
        QCOMPARE(f.status(id), SessionStatus::Paused);
        QVERIFY(!banner->text().contains(u"Paused"_s));
        QVERIFY(!retry->isEnabled());

        f.action(u"&Resume"_s)->trigger();
        f.settle();
        QTRY_COMPARE_WITH_TIMEOUT(f.status(id), SessionStatus::Completed, 20000);
        QCOMPARE(transcript()->rowCount(), 4);
        QCOMPARE(f.rowWithStatus(MessageStatus::Failed), -1);
    }

    void editAndContinue()
    {
        const QUuid id = completedSession();
        QVERIFY(!id.isNull());
        const QString earlier = session(id).messages.at(1).content;
        QAction *edit = f.action(u"&Edit and Continue…"_s);
        QVERIFY(edit);

        // The last message: changed in place.
        choose(3);
        QVERIFY(edit->isEnabled());
        WindowFixture::whenDialogShows<EditMessageDialog>([](EditMessageDialog *dialog) {
            typeInto(dialog, u"Light is both, it depends on how you look."_s);
            dialog->accept();
        });
        edit->trigger();
        f.settle();
        QCOMPARE(f.window->currentSessionId(), id);
        QCOMPARE(session(id).messages.at(3).content,
                 u"Light is both, it depends on how you look."_s);
        // Shown once the store has the corrected text.
        QTRY_COMPARE(transcript()->index(3).data(TranscriptModel::ContentRole).toString(),
                     u"Light is both, it depends on how you look."_s);

        // Marked edited: the model is named only as the first author, its tokens and timings
        // are not shown as this text's, and the text it replaced is a click away.
        const QString modelText = session(id).messages.at(3).originalContent;
        QVERIFY(!modelText.isEmpty() && modelText != session(id).messages.at(3).content);
        const QModelIndex edited = transcript()->index(3);
        QVERIFY2(edited.data(TranscriptModel::ModelLabelRole)
                     .toString()
                     .startsWith(u"edited; first written by "_s),
                 qPrintable(edited.data(TranscriptModel::ModelLabelRole).toString()));
        QVERIFY(edited.data(Qt::AccessibleTextRole).toString().contains(u"(edited)"_s));
        auto *view = static_cast<TranscriptView *>(transcriptView());
        QVERIFY(view->messageDelegate()->originalButtonRect(transcript()->index(2)).isEmpty());
        const QRect original = view->messageDelegate()->originalButtonRect(edited);
        QVERIFY(!original.isEmpty());
        view->scrollTo(edited);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->messageDelegate()->originalButtonRect(edited).center());
        QDialog *shown = nullptr;
        QTRY_VERIFY((shown = f.window->findChild<QDialog *>(u"originalMessage"_s)));
        QCOMPARE(shown->findChild<QPlainTextEdit *>()->toPlainText(), modelText);
        shown->close();
        QTRY_VERIFY(!f.window->findChild<QDialog *>(u"originalMessage"_s));
        QAction *showOriginal = f.action(u"Show &Original Text"_s);
        QVERIFY(showOriginal && showOriginal->isEnabled());
        choose(2);
        QVERIFY(!showOriginal->isEnabled());

        // An earlier one: the session forks there, the fork opens and continues from the
        // change, the original stays as it was.
        choose(1);
        WindowFixture::whenDialogShows<EditMessageDialog>([](EditMessageDialog *dialog) {
            typeInto(dialog, u"Waves, surely."_s);
            dialog->accept();
        });
        edit->trigger();
        f.settle();
        const QUuid fork = f.window->currentSessionId();
        QVERIFY(!fork.isNull() && fork != id);
        QCOMPARE(session(id).messages.at(1).content, earlier);
        QCOMPARE(transcript()->index(1).data(TranscriptModel::ContentRole).toString(),
                 u"Waves, surely."_s);
        QTRY_COMPARE_WITH_TIMEOUT(f.status(fork), SessionStatus::Completed, 20000);
        QCOMPARE(session(fork).messages.size(), 4);
        QCOMPARE(session(fork).messages.at(1).content, u"Waves, surely."_s);
        QVERIFY(session(fork).messages.at(1).isEdited());
        QCOMPARE(session(fork).messages.at(1).originalContent, earlier);
        QVERIFY(!session(fork).messages.at(2).isEdited());
        QTRY_VERIFY(f.window->sessionListModel()->rowOf(fork) >= 0);
        // The list says what the fork is a fork of, and where.
        const QModelIndex forkRow =
            f.window->sessionListModel()->index(f.window->sessionListModel()->rowOf(fork));
        QCOMPARE(forkRow.data(SessionListModel::ForkNoteRole).toString(),
                 u"fork of “%1”, at message 2"_s.arg(session(id).title));
        // (A tooltip is rich text: its spaces may be non-breaking ones.)
        const QString tip =
            forkRow.data(Qt::ToolTipRole).toString().replace(QChar::Nbsp, u' ').simplified();
        QVERIFY2(tip.contains(u"Fork of “%1”, at message 2."_s.arg(session(id).title)),
                 qPrintable(tip));

        // Cancelling changes nothing.
        choose(0);
        const QString first = session(fork).messages.at(0).content;
        WindowFixture::whenDialogShows<EditMessageDialog>([](EditMessageDialog *dialog) {
            typeInto(dialog, u"Never mind."_s);
            dialog->reject();
        });
        edit->trigger();
        f.settle();
        QCOMPARE(f.window->currentSessionId(), fork);
        QCOMPARE(session(fork).messages.at(0).content, first);
    }

    // Regenerating a reply later ones build on says a fork will be made; the fork opens, asks
    // for that reply again and waits, paused, for the person to go on.
    void regenerateAnEarlierReplyInAFork()
    {
        const QUuid id = completedSession();
        QVERIFY(!id.isNull());
        const qsizetype requests = f.server.requests().size();
        QAction *regenerate = f.action(u"Re&generate Reply…"_s);
        QVERIFY(regenerate);
        choose(1);
        QVERIFY(regenerate->isEnabled());

        // Asked first; cancelling changes nothing.
        QString question;
        WindowFixture::whenDialogShows<QMessageBox>([&](QMessageBox *box) {
            question = box->objectName() + u": "_s + box->text();
            box->button(QMessageBox::Cancel)->click();
        });
        regenerate->trigger();
        f.settle();
        QVERIFY2(question.startsWith(u"regenerateInForkQuestion: "_s) &&
                     question.contains(u"fork"_s) && question.contains(u"paused"_s),
                 qPrintable(question));
        QCOMPARE(f.window->currentSessionId(), id);
        QCOMPARE(f.engine->sessionIds().size(), 1);
        QCOMPARE(f.server.requests().size(), requests);

        WindowFixture::whenDialogShows<QMessageBox>([](QMessageBox *box) {
            for (QAbstractButton *button : box->buttons())
                if (button->text() == u"Regenerate in a &Fork"_s)
                    button->click();
        });
        regenerate->trigger();
        f.settle();
        const QUuid fork = f.window->currentSessionId();
        QVERIFY(!fork.isNull() && fork != id);
        QCOMPARE(session(fork).forkedFrom,
                 std::optional(ForkOrigin{id, session(id).messages.at(1).id}));
        QTRY_VERIFY_WITH_TIMEOUT(
            transcript()->rowCount() == 2 &&
                transcript()->index(1).data(TranscriptModel::StatusRole).value<MessageStatus>() ==
                    MessageStatus::Complete,
            20000);
        f.settle();
        // One request, for that reply; then the fork waits.
        QCOMPARE(f.server.requests().size(), requests + 1);
        QCOMPARE(f.status(fork), SessionStatus::Paused);
        QCOMPARE(transcript()->rowCount(), 2);
        QCOMPARE(session(id).messages.size(), 4);
        QTRY_VERIFY(f.window->sessionListModel()->rowOf(fork) >= 0);
        QCOMPARE(f.window->sessionListModel()
                     ->index(f.window->sessionListModel()->rowOf(fork))
                     .data(SessionListModel::ForkNoteRole)
                     .toString(),
                 u"fork of “%1”, at message 2"_s.arg(session(id).title));
        QAction *resume = f.action(u"&Resume"_s);
        QVERIFY(resume->isEnabled());
        resume->trigger();
        f.settle();
        QTRY_COMPARE_WITH_TIMEOUT(f.status(fork), SessionStatus::Completed, 20000);
        QCOMPARE(transcript()->rowCount(), 4);
    }

    // Resume on a session a cap paused asks for new caps first; with the cap removed it goes on.
    void resumeAfterABudgetPause()
    {
        Session draft = WindowFixture::draft(u"Caps"_s, 2);
        draft.options.budgetTokens = 1;
        const Parsed<QUuid> created = f.engine->createSession(draft);
        QVERIFY(created);
        const QUuid id = *created.value;
        f.openWindow();
        f.window->openSession(id);
        f.settle();
        QAction *budget = f.action(u"Change &Budget…"_s);
        QVERIFY(budget && budget->isEnabled());
        f.action(u"&Start"_s)->trigger();
        f.settle();
        QTRY_VERIFY_WITH_TIMEOUT(f.status(id) == SessionStatus::Paused &&
                                     f.rowWithStatus(MessageStatus::Streaming) < 0,
                                 20000);
        QTRY_VERIFY(budget->isEnabled());
        const qsizetype requests = f.server.requests().size();

        // Cancelled: nothing changes, nothing is asked.
        QString intro;
        WindowFixture::whenDialogShows<BudgetDialog>([&](BudgetDialog *dialog) {
            for (QLabel *label : dialog->findChildren<QLabel *>())
                intro += label->text();
            dialog->reject();
        });
        f.action(u"&Resume"_s)->trigger();
        f.settle();
        QVERIFY2(intro.contains(u"token budget of 1 is reached"_s), qPrintable(intro));
        QCOMPARE(f.status(id), SessionStatus::Paused);
        QCOMPARE(f.server.requests().size(), requests);

        bool okWhileReached = true;
        WindowFixture::whenDialogShows<BudgetDialog>([&](BudgetDialog *dialog) {
            auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
            okWhileReached = ok->isEnabled();
            for (QCheckBox *box : dialog->findChildren<QCheckBox *>())
                box->setChecked(false);
            QVERIFY(ok->isEnabled());
            ok->click();
        });
        f.action(u"&Resume"_s)->trigger();
        f.settle();
        QVERIFY(!okWhileReached);
        QTRY_COMPARE_WITH_TIMEOUT(f.status(id), SessionStatus::Completed, 20000);
        QCOMPARE(session(id).options.budgetTokens, std::nullopt);
        QVERIFY(!budget->isEnabled());
    }

    void forkHereAndCopy()
    {
        const QUuid id = completedSession();
        QVERIFY(!id.isNull());
        choose(2);
        f.action(u"&Copy Message"_s)->trigger();
        f.settle();
        QCOMPARE(QGuiApplication::clipboard()->text(), session(id).messages.at(2).content);

        f.action(u"&Fork Here"_s)->trigger();
        f.settle();
        const QUuid fork = f.window->currentSessionId();
        QVERIFY(!fork.isNull() && fork != id);
        QCOMPARE(f.status(fork), SessionStatus::Paused);
        QCOMPARE(transcript()->rowCount(), 3);
        QCOMPARE(session(id).messages.size(), 4);
        QTRY_COMPARE(f.window->sessionListModel()->rowCount(), 2);
        QCOMPARE(f.store->loadSession(fork)->messages.size(), 3);
        // Resuming the fork finishes the round it was cut in.
        f.action(u"&Resume"_s)->trigger();
        f.settle();
        QTRY_COMPARE_WITH_TIMEOUT(f.status(fork), SessionStatus::Completed, 20000);
        QCOMPARE(transcript()->rowCount(), 4);
    }

    void humanMessageToChosenParticipants()
    {
        const QUuid id = f.create(u"Tea or coffee?"_s, 2);
        f.openWindow();
        f.window->openSession(id);
        f.settle();
        QAction *add = f.action(u"Add &Message…"_s);
        QVERIFY(add && add->isEnabled());
        bool sendWasOffEmpty = false;
        WindowFixture::whenDialogShows<HumanMessageDialog>([&](HumanMessageDialog *dialog) {
            QPushButton *send =
                dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
            sendWasOffEmpty = !send->isEnabled();
            typeInto(dialog, u"Mention the kettle."_s);
            dialog->findChild<QCheckBox *>(u"recipient:P2"_s)->setChecked(false);
            send->click();
        });
        add->trigger();
        f.settle();
        QVERIFY(sendWasOffEmpty);
        QCOMPARE(transcript()->rowCount(), 1);
        QCOMPARE(transcript()->index(0).data(TranscriptModel::SpeakerRole).toString(), u"human"_s);
        QCOMPARE(session(id).messages.at(0).recipients, QStringList{u"P1"_s});
        // The bubble says whom it was for.
        QCOMPARE(transcript()->index(0).data(TranscriptModel::ModelLabelRole).toString(),
                 u"to P1"_s);

        f.action(u"&Start"_s)->trigger();
        f.settle();
        QTRY_COMPARE_WITH_TIMEOUT(f.status(id), SessionStatus::Completed, 20000);
        QVERIFY(!add->isEnabled()); // nothing would read it any more
        // Only P1's requests (model-0) carry it.
        int carrying = 0;
        for (const RecordedRequest &request : f.server.requests()) {
            if (!QString::fromUtf8(request.body).contains(u"Mention the kettle."_s))
                continue;
            ++carrying;
            QCOMPARE(request.json[u"model"_s].toString(), u"model-0"_s);
        }
        QVERIFY(carrying > 0);
    }

    void changeModelWhilePaused()
    {
        const QUuid id = f.create(u"Tea or coffee?"_s, 3);
        f.openWindow();
        f.window->openSession(id);
        f.settle();
        QAction *change = f.action(u"Change &Models…"_s);
        QVERIFY(change);
        f.action(u"&Start"_s)->trigger();
        f.settle();
        QVERIFY(!change->isEnabled());
        f.action(u"&Pause"_s)->trigger();
        f.settle();
        QTRY_VERIFY(f.status(id) == SessionStatus::Paused &&
                    f.rowWithStatus(MessageStatus::Streaming) < 0);
        QVERIFY(change->isEnabled());
        const qsizetype before = session(id).messages.size();

        // Several participants at once, from the list New Session offers, with its markers.
        {
            Settings settings;
            settings.setConnectionTestPassed(u"m0"_s, false);
            settings.sync();
        }
        QStringList shownFirst;
        QString failedMarker;
        bool okAtFirst = true;
        bool titleFits = false;
        WindowFixture::whenDialogShows<ParticipantModelDialog>([&](ParticipantModelDialog *dialog) {
            QComboBox *p1 = dialog->modelCombo(u"P1"_s);
            QComboBox *p2 = dialog->modelCombo(u"P2"_s);
            shownFirst = {p1->currentData().toString(), p2->currentData().toString()};
            failedMarker = p1->itemText(p1->findData(u"m0"_s));
            auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
            okAtFirst = ok->isEnabled(); // nothing changed yet
            titleFits = dialog->width() >
                        dialog->fontMetrics().horizontalAdvance(dialog->windowTitle()) * 2;
            p1->setCurrentIndex(p1->findData(u"m2"_s));
            p2->setCurrentIndex(p2->findData(u"m2"_s));
            dialog->accept();
        });
        change->trigger();
        f.settle();
        // Each participant's own model to start with.
        QCOMPARE(shownFirst, (QStringList{u"m0"_s, u"m1"_s}));
        QVERIFY2(failedMarker.endsWith(u"last test failed"_s), qPrintable(failedMarker));
        QVERIFY(!okAtFirst);
        QVERIFY(titleFits);
        QCOMPARE(session(id).participants.at(0).modelAlias, u"m2"_s);
        QCOMPARE(session(id).participants.at(1).modelAlias, u"m2"_s);
        // The window says what changed.
        QVERIFY2(f.window->statusBar()->currentMessage().contains(u"P2 now answers with m2"_s),
                 qPrintable(f.window->statusBar()->currentMessage()));

        f.action(u"&Resume"_s)->trigger();
        f.settle();
        QTRY_COMPARE_WITH_TIMEOUT(f.status(id), SessionStatus::Completed, 20000);
        const QList<Message> &messages = session(id).messages;
        QCOMPARE(messages.size(), 6);
        for (qsizetype i = before; i < messages.size(); ++i)
            QCOMPARE(messages.at(i).model->modelId, u"model-2"_s);
    }

    void sessionListActions()
    {
        const QUuid id = completedSession();
        QVERIFY(!id.isNull());
        SessionListModel *list = f.window->sessionListModel();
        auto *listView = f.window->findChild<QListView *>(u"sessionList"_s);
        QTRY_COMPARE(list->rowCount(), 1);
        const QStringList menu = contextMenuOf(listView, 0);
        for (const QString &text : {u"Re&name Session…"_s, u"D&uplicate Session"_s,
                                    u"F&ork Session"_s, u"&Export"_s, u"&Delete Session…"_s})
            QVERIFY2(menu.contains(text), qPrintable(menu.join(u", "_s)));

        bool titleFits = false;
        WindowFixture::whenDialogShows<QInputDialog>([&titleFits](QInputDialog *dialog) {
            titleFits = dialog->width() >
                        dialog->fontMetrics().horizontalAdvance(dialog->windowTitle()) + 150;
            dialog->setTextValue(u"Light, renamed"_s);
            dialog->accept();
        });
        f.action(u"Re&name Session…"_s)->trigger();
        f.settle();
        QVERIFY(titleFits); // the window manager's title bar shows all of "Rename Session"
        QCOMPARE(session(id).title, u"Light, renamed"_s);
        QTRY_COMPARE(list->index(list->rowOf(id)).data(SessionListModel::TitleRole).toString(),
                     u"Light, renamed"_s);
        QCOMPARE(f.store->loadSession(id)->title, u"Light, renamed"_s);
        QVERIFY(f.window->windowTitle().startsWith(u"Light, renamed"_s));

        f.action(u"D&uplicate Session"_s)->trigger();
        f.settle();
        const QUuid copy = f.window->currentSessionId();
        QVERIFY(!copy.isNull() && copy != id);
        QCOMPARE(session(copy).title, u"Light, renamed (copy)"_s);
        QCOMPARE(session(copy).status, SessionStatus::Configured);
        QVERIFY(session(copy).messages.isEmpty());
        QCOMPARE(session(copy).participants, session(id).participants);
        QVERIFY(!f.action(u"F&ork Session"_s)->isEnabled()); // nothing said yet

        f.window->openSession(id);
        f.settle();
        f.action(u"F&ork Session"_s)->trigger();
        f.settle();
        const QUuid fork = f.window->currentSessionId();
        QVERIFY(fork != id && fork != copy);
        QCOMPARE(session(fork).messages.size(), 4);
        QCOMPARE(session(fork).status, SessionStatus::Paused);
        QTRY_COMPARE(list->rowCount(), 3);

        // Deleting asks first; cancelled, the session stays.
        WindowFixture::whenDialogShows<QMessageBox>(
            [](QMessageBox *box) { box->button(QMessageBox::Cancel)->click(); });
        f.action(u"&Delete Session…"_s)->trigger();
        f.settle();
        QVERIFY(f.engine->session(fork));
        WindowFixture::whenDialogShows<QMessageBox>(
            [](QMessageBox *box) { box->button(QMessageBox::Yes)->click(); });
        f.action(u"&Delete Session…"_s)->trigger();
        f.settle();
        QTRY_COMPARE(list->rowCount(), 2);
        QVERIFY(!f.engine->session(fork));
        QVERIFY(!f.store->loadSession(fork));
    }

    void exportAndImport()
    {
        const QUuid id = completedSession();
        QVERIFY(!id.isNull());
        const QList<Message> messages = session(id).messages;
        const QString path = f.dir.filePath(u"exported.json"_s);
        const auto chooseFile = [](const QString &file) {
            WindowFixture::whenDialogShows<QFileDialog>([file](QFileDialog *dialog) {
                // selectFile() of a file that does not exist yet may leave the proposed name in
                // place while the file system model loads; type the name as a person would.
                auto *name = dialog->findChild<QLineEdit *>(u"fileNameEdit"_s);
                QVERIFY(name);
                name->setText(file);
                static_cast<QDialog *>(dialog)->accept(); // QFileDialog's own is protected
            });
        };
        chooseFile(path);
        f.action(u"Session &Document (JSON)…"_s)->trigger();
        f.settle();
        QFile exported(path);
        QVERIFY(exported.open(QIODevice::ReadOnly));
        const Parsed<Session> read = SessionDocument::read(exported.readAll());
        QVERIFY(read);
        QCOMPARE(read.value->messages, messages);

        // Gone from the store, then back from the file.
        QVERIFY(!f.engine->remove(id));
        QTRY_COMPARE(f.window->sessionListModel()->rowCount(), 0);
        // The next file dialog starts where the last file went, not in the working folder.
        QString startedIn;
        WindowFixture::whenDialogShows<QFileDialog>([&startedIn, path](QFileDialog *dialog) {
            startedIn = dialog->directory().absolutePath();
            dialog->findChild<QLineEdit *>(u"fileNameEdit"_s)->setText(path);
            static_cast<QDialog *>(dialog)->accept();
        });
        f.action(u"&Import Session…"_s)->trigger();
        f.settle();
        QCOMPARE(startedIn, QFileInfo(path).absolutePath());
        QCOMPARE(f.window->currentSessionId(), id);
        QCOMPARE(transcript()->rowCount(), 4);
        QCOMPARE(f.store->loadSession(id)->messages, messages);
        QTRY_COMPARE(f.window->sessionListModel()->rowCount(), 1);

        // A file that is no session document is refused, saying why.
        const QString bad = f.dir.filePath(u"not-a-session.json"_s);
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"topic\": 42}");
        file.close();
        chooseFile(bad);
        f.action(u"&Import Session…"_s)->trigger();
        f.settle();
        QVERIFY2(f.window->statusBar()->currentMessage().contains(u"not a session document"_s),
                 qPrintable(f.window->statusBar()->currentMessage()));
        QCOMPARE(f.window->sessionListModel()->rowCount(), 1);
    }
};

QTEST_MAIN(TestWindowRunControl)
#include "tst_windowruncontrol.moc"
