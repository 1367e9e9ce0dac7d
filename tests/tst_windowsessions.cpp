// SPDX-License-Identifier: GPL-3.0-or-later
// The window against a store and the fake LLM server: the session list follows the store,
// the transcript streams, run controls pause and resume, failures are marked.
#include "fault.h"
#include "messagedelegate.h"
#include "sessionlistdelegate.h"
#include "transcriptview.h"
#include "windowfixture.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPainter>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStatusBar>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Fake;

class TestWindowSessions : public QObject
{
    Q_OBJECT

private:
    WindowFixture f;

    QUuid create(const QString &topic, int rounds) { return f.create(topic, rounds); }
    QAction *action(const QString &text) const { return f.action(text); }
    SessionStatus status(const QUuid &id) const { return f.status(id); }
    int rowWithStatus(MessageStatus wanted) const { return f.rowWithStatus(wanted); }

private slots:
    void initTestCase() { f.setUpCase(); }
    void init() { f.setUp(); }
    void cleanup() { f.tearDown(); }

    void listShowsStoredSessionsAndFilters()
    {
        // Distinct times, so the order by time is defined.
        auto clock = std::make_shared<QDateTime>(QDateTime::currentDateTimeUtc());
        f.engine->setClock([clock] { return *clock = clock->addSecs(1); });
        const QUuid light = create(u"Is light a wave or a particle?"_s, 2);
        const QUuid tides = create(u"What drives the tides?"_s, 2);
        QVERIFY(f.engine->session(tides)->updatedAt > f.engine->session(light)->updatedAt);
        f.openWindow();
        SessionListModel *list = f.window->sessionListModel();
        QCOMPARE(list->rowCount(), 2);
        // Newest first.
        QCOMPARE(list->index(0).data(SessionListModel::IdRole).toUuid(), tides);
        QCOMPARE(list->index(0).data(SessionListModel::StatusRole).value<SessionStatus>(),
                 SessionStatus::Configured);
        QCOMPARE(list->index(0).data(SessionListModel::RoundsRole).toInt(), 2);
        QVERIFY(list->index(0).data(SessionListModel::RunningElsewhereRole).toString().isEmpty());

        auto *search = f.window->findChild<QLineEdit *>(u"sessionSearch"_s);
        search->setText(u"particle"_s);
        QTRY_COMPARE(list->rowCount(), 1);
        QCOMPARE(list->index(0).data(SessionListModel::IdRole).toUuid(), light);
        search->clear();
        QTRY_COMPARE(list->rowCount(), 2);

        auto *statusFilter = f.window->findChild<QComboBox *>(u"statusFilter"_s);
        statusFilter->setCurrentIndex(
            statusFilter->findData(QVariant::fromValue(SessionStatus::Completed)));
        f.settle();
        QCOMPARE(list->rowCount(), 0);
        statusFilter->setCurrentIndex(0);
        f.settle();
        QCOMPARE(list->rowCount(), 2);

        auto *sort = f.window->findChild<QComboBox *>(u"sessionSort"_s);
        sort->setCurrentIndex(1);
        f.settle();
        QCOMPARE(list->index(0).data(SessionListModel::IdRole).toUuid(), light);
    }

    void listFollowsAnotherConnection()
    {
        f.openWindow();
        SessionListModel *list = f.window->sessionListModel();
        QCOMPARE(list->rowCount(), 0);
        // Another process writes the store: a second connection stands for it.
        SessionStore other;
        QVERIFY(other.open(f.store->path()));
        Session s = WindowFixture::draft(u"Written elsewhere"_s, 3);
        s.id = QUuid::createUuid();
        s.title = u"From another process"_s;
        s.createdAt = s.updatedAt = QDateTime::currentDateTimeUtc();
        QVERIFY(other.saveSession(s));
        QTRY_COMPARE_WITH_TIMEOUT(list->rowCount(), 1, 3000);
        QCOMPARE(list->index(0).data(SessionListModel::TitleRole).toString(),
                 u"From another process"_s);

        // Running there: shown read-only, with a note naming the process.
        QVERIFY(other.acquireLease(s.id, u"serve"_s));
        QVERIFY(other.setStatus(s.id, SessionStatus::Running));
        QTRY_VERIFY_WITH_TIMEOUT(
            !list->index(0).data(SessionListModel::RunningElsewhereRole).toString().isEmpty(),
            3000);
        f.window->openSession(s.id);
        f.settle();
        auto *note = f.window->findChild<QLabel *>(u"readOnlyNote"_s);
        QTRY_VERIFY(note->isVisible());
        QVERIFY(note->text().contains(u"serve"_s));
        QVERIFY(!action(u"&Resume"_s)->isEnabled());
        QVERIFY(!action(u"&Pause"_s)->isEnabled());

        // Its messages appear as the other process stores them.
        Message m;
        m.id = QUuid::createUuid();
        m.sessionId = s.id;
        m.speaker = u"P1"_s;
        m.type = MessageType::Opening;
        m.content = u"Hello from elsewhere"_s;
        m.createdAt = QDateTime::currentDateTimeUtc();
        QVERIFY(other.appendMessage(m));
        QTRY_COMPARE_WITH_TIMEOUT(f.window->transcriptModel()->rowCount(), 1, 3000);
        QCOMPARE(
            f.window->transcriptModel()->index(0).data(TranscriptModel::ContentRole).toString(),
            u"Hello from elsewhere"_s);
    }

    // This process's own lease outlives a run here by a store write or two: it is not another
    // process, and the transcript the engine holds is not read again from a store behind it.
    void ownLeaseIsNotAnotherProcess()
    {
        const QUuid id = create(u"Whose lease?"_s, 2);
        f.openWindow();
        f.window->openSession(id);
        f.settle();
        SessionListModel *list = f.window->sessionListModel();
        QTRY_VERIFY(list->rowOf(id) >= 0);
        // A second connection of this process stands for the engine's lingering lease.
        SessionStore same;
        QVERIFY(same.open(f.store->path()));
        QVERIFY(same.acquireLease(id, u"window"_s));
        QVERIFY(same.setStatus(id, SessionStatus::Running));
        Message m;
        m.id = QUuid::createUuid();
        m.sessionId = id;
        m.speaker = u"P1"_s;
        m.type = MessageType::Opening;
        m.content = u"Only in the store"_s;
        m.createdAt = QDateTime::currentDateTimeUtc();
        QVERIFY(same.appendMessage(m));
        QTRY_COMPARE_WITH_TIMEOUT(
            list->index(list->rowOf(id)).data(SessionListModel::StatusRole).value<SessionStatus>(),
            SessionStatus::Running, 3000);
        f.settle();
        QVERIFY(list->index(list->rowOf(id))
                    .data(SessionListModel::RunningElsewhereRole)
                    .toString()
                    .isEmpty());
        QVERIFY(!f.window->findChild<QLabel *>(u"readOnlyNote"_s)->isVisible());
        QCOMPARE(f.window->transcriptModel()->rowCount(), 0);
        QVERIFY(same.releaseLease(id));
    }

    void streamsPausesAndResumes()
    {
        const QUuid id = create(u"Is light a wave or a particle?"_s, 4);
        f.openWindow();
        f.window->openSession(id);
        f.settle();
        TranscriptModel *transcript = f.window->transcriptModel();
        QCOMPARE(transcript->sessionId(), id);
        QCOMPARE(transcript->rowCount(), 0);

        QSignalSpy deltas(f.engine, &Engine::event);
        QList<std::pair<int, qint64>> contentChanges; // row, ms
        QElapsedTimer clock;
        clock.start();
        // The bubble shows the growing text: its document takes each update's new tail.
        const MessageDelegate *delegate =
            f.window->findChild<TranscriptView *>()->messageDelegate();
        QStringList misshown;
        connect(transcript, &QAbstractItemModel::dataChanged, this,
                [&](const QModelIndex &top, const QModelIndex &bottom, const QList<int> &roles) {
                    if (roles == QList<int>{TranscriptModel::ContentRole}) {
                        QCOMPARE(top, bottom);
                        contentChanges.append({top.row(), clock.elapsed()});
                        const QString content = top.data(TranscriptModel::ContentRole).toString();
                        if (delegate->shownText(top) != content)
                            misshown.append(content);
                    }
                });

        QAction *start = action(u"&Start"_s);
        QVERIFY(start && start->isEnabled());
        start->trigger();
        f.settle();
        QCOMPARE(status(id), SessionStatus::Running);
        QVERIFY(action(u"&Pause"_s)->isEnabled());
        QTRY_VERIFY(transcript->rowCount() > 0);
        // The streaming row grows while the reply arrives.
        QTRY_VERIFY(rowWithStatus(MessageStatus::Streaming) >= 0);
        const int streaming = rowWithStatus(MessageStatus::Streaming);
        QTRY_VERIFY(
            !transcript->index(streaming).data(TranscriptModel::ContentRole).toString().isEmpty());

        action(u"&Pause"_s)->trigger();
        f.settle();
        QTRY_COMPARE(status(id), SessionStatus::Paused);
        QTRY_VERIFY(rowWithStatus(MessageStatus::Streaming) < 0);
        const int pausedRows = transcript->rowCount();
        QVERIFY(pausedRows < 8);
        QAction *resume = action(u"&Resume"_s);
        QTRY_VERIFY(resume && resume->isEnabled());
        resume->trigger();
        f.settle();
        QTRY_COMPARE_WITH_TIMEOUT(status(id), SessionStatus::Completed, 20000);
        QCOMPARE(transcript->rowCount(), 8);
        QVERIFY(transcript->rowCount() > pausedRows);
        QCOMPARE(transcript->index(0).data(TranscriptModel::RoundHeadingRole).toString(),
                 u"Round 1 of 4"_s);
        QVERIFY(transcript->index(2).data(TranscriptModel::FirstOfRoundRole).toBool());
        QVERIFY(!transcript->index(3).data(TranscriptModel::FirstOfRoundRole).toBool());
        for (int row = 0; row < transcript->rowCount(); ++row) {
            const QModelIndex index = transcript->index(row);
            QCOMPARE(index.data(TranscriptModel::StatusRole).value<MessageStatus>(),
                     MessageStatus::Complete);
            QCOMPARE(index.data(TranscriptModel::ContentRole).toString(),
                     f.engine->session(id)->messages.at(row).content);
            QVERIFY(index.data(TranscriptModel::TokensRole).toLongLong() > 0);
        }

        // Deltas were gathered: fewer content updates than deltas, none for a row sooner
        // than a 60th of a second after the last.
        qsizetype deltaCount = 0;
        for (const QList<QVariant> &args : std::as_const(deltas))
            deltaCount += args.first().value<EngineEvent>().type == EngineEventType::MessageDelta;
        QVERIFY(!contentChanges.isEmpty());
        QVERIFY2(misshown.isEmpty(), qPrintable(misshown.join(u"\n"_s)));
        QVERIFY2(
            contentChanges.size() < deltaCount,
            qPrintable(u"%1 updates for %2 deltas"_s.arg(contentChanges.size()).arg(deltaCount)));
        QHash<int, qint64> last;
        for (const auto &[row, ms] : std::as_const(contentChanges)) {
            if (last.contains(row))
                QVERIFY2(
                    ms - last.value(row) >= 12,
                    qPrintable(u"row %1 updated after %2 ms"_s.arg(row).arg(ms - last.value(row))));
            last.insert(row, ms);
        }

        // The list shows the outcome, the status bar the progress.
        SessionListModel *list = f.window->sessionListModel();
        QTRY_COMPARE(
            list->index(list->rowOf(id)).data(SessionListModel::StatusRole).value<SessionStatus>(),
            SessionStatus::Completed);
        QCOMPARE(list->index(list->rowOf(id)).data(SessionListModel::MessageCountRole).toInt(), 8);
        const QStringList labels = [&] {
            QStringList texts;
            for (QLabel *label : f.window->statusBar()->findChildren<QLabel *>())
                texts << label->text();
            return texts;
        }();
        QVERIFY2(labels.contains(u"Round 4 of 4"_s), qPrintable(labels.join(u", "_s)));

        // The inspector shows what was sent for a message.
        f.window->inspectMessage(3);
        const QString request =
            f.window->findChild<QPlainTextEdit *>(u"inspectorText"_s)->toPlainText();
        QVERIFY(request.contains(u"\"messages\""_s));
        QVERIFY(request.contains(u"model-"_s));
    }

    void failedMessageIsMarked()
    {
        QString error;
        const auto rule = FaultRule::parse(u"500"_s, &error);
        QVERIFY2(rule, qPrintable(error));
        f.server.addFaultRule(*rule);
        const QUuid id = create(u"Will this fail?"_s, 2);
        f.openWindow();
        f.window->openSession(id);
        f.settle();
        action(u"&Start"_s)->trigger();
        f.settle();
        QTRY_VERIFY(rowWithStatus(MessageStatus::Failed) >= 0);
        const QModelIndex failed =
            f.window->transcriptModel()->index(rowWithStatus(MessageStatus::Failed));
        QVERIFY(!failed.data(TranscriptModel::ErrorRole).toString().isEmpty());
        QTRY_COMPARE(status(id), SessionStatus::Paused);
        auto *banner = f.window->findChild<QLabel *>(u"outcomeBanner"_s);
        QTRY_VERIFY(banner->isVisible());
        QVERIFY(banner->text().contains(u"Paused"_s));
    }

    void demoSessionRunsOffline()
    {
        f.client->setDemoTokensPerSecond(2000);
        f.openWindow();
        const QUuid id = f.window->startDemoSession();
        QVERIFY(!id.isNull());
        QCOMPARE(f.window->currentSessionId(), id);
        QTRY_COMPARE_WITH_TIMEOUT(status(id), SessionStatus::Completed, 20000);
        TranscriptModel *transcript = f.window->transcriptModel();
        QVERIFY(transcript->rowCount() > 0);
        QCOMPARE(transcript->index(0).data(TranscriptModel::ModelLabelRole).toString(),
                 u"Demo (offline, scripted)"_s);
        // Three speakers in their personas' colours, hues far enough apart to tell at a glance.
        QHash<QString, QColor> colours;
        for (int row = 0; row < transcript->rowCount(); ++row) {
            const QModelIndex index = transcript->index(row);
            colours.insert(index.data(TranscriptModel::SpeakerRole).toString(),
                           index.data(TranscriptModel::SpeakerColourRole).value<QColor>());
        }
        QCOMPARE(colours.size(), 3);
        QCOMPARE(colours.value(u"Alice"_s), QColor(u"#e07a5f"_s));
        QCOMPARE(colours.value(u"Bob"_s), QColor(u"#3d5a80"_s));
        const QList<QColor> values = colours.values();
        for (qsizetype i = 0; i < values.size(); ++i)
            for (qsizetype j = i + 1; j < values.size(); ++j) {
                const int apart = std::abs(values.at(i).hslHue() - values.at(j).hslHue());
                QVERIFY2(std::min(apart, 360 - apart) >= 60,
                         qPrintable(values.at(i).name() + u" and "_s + values.at(j).name()));
            }
        // The judge's verdict is shown above the transcript.
        auto *banner = f.window->findChild<QLabel *>(u"outcomeBanner"_s);
        QTRY_VERIFY(banner->isVisible());
        QVERIFY(banner->text().contains(u"Verdict"_s));
    }

    // PRODUCT.md §5, QUALITY.md P4: a long stored session opens at its last page at once, with
    // a row for every message, and the rest comes a page at a time; the engine does not load
    // it to show it; a stored request is read when the inspector shows it; a search hit opens
    // the session at the hit.
    void opensALongStoredSessionAPageAtATime()
    {
        Session stored = f.draft(u"A long talk"_s, 200);
        stored.id = QUuid::createUuid();
        stored.title = u"A long talk"_s;
        stored.status = SessionStatus::Completed;
        stored.createdAt = stored.updatedAt = QDateTime::currentDateTimeUtc();
        constexpr int count = 300;
        for (int seq = 0; seq < count; ++seq) {
            Message m;
            m.id = QUuid::createUuid();
            m.sessionId = stored.id;
            m.seq = seq;
            m.round = seq / 2;
            m.speaker = stored.participants.at(seq % 2).name;
            m.content = u"Message %1 mentions marker%1."_s.arg(seq);
            m.request = QJsonObject{{u"model"_s, u"model-0"_s}, {u"n"_s, seq}};
            m.createdAt = stored.createdAt;
            stored.messages.append(m);
        }
        QVERIFY(f.store->saveSession(stored, SessionStore::Messages::Replace));
        QVERIFY(!create(u"Tea or coffee?"_s, 2).isNull()); // for the search to leave out
        f.openWindow();
        QCOMPARE(f.window->sessionListModel()->rowCount(), 2);
        TranscriptModel *transcript = f.window->transcriptModel();
        auto *view = f.window->findChild<TranscriptView *>();

        // A search hit: the session opens at the message that matched.
        auto *search = f.window->findChild<QLineEdit *>(u"sessionSearch"_s);
        search->setText(u"marker150"_s);
        QTRY_COMPARE(f.window->sessionListModel()->rowCount(), 1);
        QCOMPARE(f.window->sessionListModel()->index(0).data(SessionListModel::IdRole).toUuid(),
                 stored.id);
        // The list says where: a snippet with the match marked (drawn on a line of its own).
        const QModelIndex hit = f.window->sessionListModel()->index(0);
        QTRY_VERIFY(hit.data(SessionListModel::SnippetRole)
                        .toString()
                        .contains(SearchHit::matchStart + u"marker150"_s + SearchHit::matchEnd));
        QVERIFY(hit.data(Qt::ToolTipRole).toString().contains(u"marker150"_s));
        QSignalSpy opened(transcript, &TranscriptModel::opened);
        auto *list = f.window->findChild<QListView *>(u"sessionList"_s);
        QVERIFY(list);
        list->setCurrentIndex(f.window->sessionListModel()->index(0));
        QVERIFY(opened.wait());
        QCOMPARE(opened.first().at(0).toUuid(), stored.id);
        QCOMPARE(opened.first().at(1).toInt(), 150);
        QCOMPARE(transcript->rowCount(), count);
        QVERIFY(transcript->unloadedRows() > 0);
        QVERIFY(!transcript->isLoaded(0));
        QCOMPARE(view->currentIndex().row(), 150);
        f.settle();
        QCOMPARE(transcript->unloadedRows(), 0);
        QCOMPARE(transcript->index(0).data(TranscriptModel::ContentRole).toString(),
                 stored.messages.at(0).content);
        QCOMPARE(transcript->index(count - 1).data(TranscriptModel::ContentRole).toString(),
                 stored.messages.at(count - 1).content);
        // Still at the hit once the pages above it came.
        QTRY_VERIFY(view->viewport()->rect().intersects(view->visualRect(view->currentIndex())));
        QVERIFY(!f.engine->session(stored.id));

        // Opened again from nothing: the last page first, at the end.
        search->clear();
        f.window->openSession(QUuid());
        opened.clear();
        f.window->openSession(stored.id);
        QCOMPARE(transcript->rowCount(), 0); // nothing read on this thread
        QVERIFY(opened.wait());
        QCOMPARE(opened.first().at(1).toInt(), -1);
        QCOMPARE(transcript->rowCount(), count);
        QVERIFY(transcript->isLoaded(count - 1));
        QVERIFY(!transcript->isLoaded(0));
        // Requests are not read with the pages, but when the inspector shows one.
        QVERIFY(transcript->index(count - 1)
                    .data(TranscriptModel::RequestRole)
                    .toJsonObject()
                    .isEmpty());
        f.settle();
        view->setCurrentIndex(transcript->index(10));
        auto *inspector = f.window->findChild<QPlainTextEdit *>(u"inspectorText"_s);
        QVERIFY(inspector);
        f.settle();
        QVERIFY2(inspector->toPlainText().contains(u"\"n\": 10"_s),
                 qPrintable(inspector->toPlainText()));
        QVERIFY(!f.engine->session(stored.id));
        // The message shown changes (read again after another process's change): so does the
        // inspector, without choosing the message again.
        stored.messages[10].request = QJsonObject{{u"n"_s, u"changed"_s}};
        transcript->setSession(stored);
        QVERIFY2(inspector->toPlainText().contains(u"changed"_s),
                 qPrintable(inspector->toPlainText()));
    }

    // The row the keyboard is on is drawn so, chosen or not.
    void sessionListShowsWhereTheFocusIs()
    {
        QVERIFY(!f.create(u"Focus"_s, 1).isNull());
        f.openWindow();
        f.settle();
        SessionListModel *list = f.window->sessionListModel();
        QTRY_VERIFY(list->rowCount() > 0);
        auto *view = f.window->findChild<QListView *>(u"sessionList"_s);
        for (const bool selected : {false, true}) {
            const auto render = [&](bool focus) {
                QStyleOptionViewItem option;
                option.initFrom(view);
                option.rect = QRect(0, 0, 280, 64);
                option.state |= QStyle::State_Active;
                option.state.setFlag(QStyle::State_Selected, selected);
                option.state.setFlag(QStyle::State_HasFocus, focus);
                QImage image(280, 64, QImage::Format_ARGB32);
                image.fill(Qt::transparent);
                QPainter painter(&image);
                view->itemDelegate()->paint(&painter, option, list->index(0));
                return image;
            };
            QVERIFY2(render(true) != render(false), selected ? "selected" : "not selected");
        }
    }

    void relativeTimes()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QCOMPARE(SessionListDelegate::relativeTime(now.addSecs(-5), now), u"just now"_s);
        QCOMPARE(SessionListDelegate::relativeTime(now.addSecs(-5 * 60), now), u"5 min ago"_s);
    }

    void cleanupTestCase() { f.tearDownCase(); }
};

QTEST_MAIN(TestWindowSessions)
#include "tst_windowsessions.moc"
