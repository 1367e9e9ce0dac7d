// SPDX-License-Identifier: GPL-3.0-or-later
// The local REST API switched on from Settings in the window's process: it serves the window's
// own Engine, so a session created over HTTP appears in the window's list; a port in use says
// so; switching off stops it.
#include "engine/localapicontrol.h"
#include "sessionlistmodel.h"
#include "settingsdialog.h"
#include "windowtest.h"

#include <QCheckBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTcpServer>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Test;

class TestWindowLocalApi : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    Fake::FakeLlmServer m_server;
    std::unique_ptr<WindowFixture> m_fixture;
    QNetworkAccessManager m_network;

    static quint16 freePort()
    {
        QTcpServer probe;
        return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
    }

    // Sends a request and waits for the whole answer: status and JSON body.
    std::pair<int, QJsonObject> exchange(const QByteArray &method, const QUrl &url,
                                         const QString &token, const QJsonObject &body = {})
    {
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
        QNetworkReply *reply = m_network.sendCustomRequest(
            request, method, body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson());
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished() && !finished.wait(30000))
            return {0, {}};
        reply->deleteLater();
        return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                QJsonDocument::fromJson(reply->readAll()).object()};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        sandboxLocations(m_dir);
        QVERIFY(m_server.listen());
    }

    void init()
    {
        m_fixture = std::make_unique<WindowFixture>();
        QVERIFY(m_fixture->open(
            m_server,
            m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + u".db"_s)));
    }

    void cleanup() { m_fixture.reset(); }

    void switchedOnItServesTheWindowsEngine()
    {
        LocalApiControl *api = m_fixture->window->localApi();
        QVERIFY(!api->isRunning()); // off unless switched on
        SettingsDialog *dialog = m_fixture->window->openSettings();
        dialog->showPage(SettingsDialog::Page::LocalApi);
        const quint16 port = freePort();
        QVERIFY(port != 0);
        dialog->localApiPort()->setValue(port);
        auto *maxRunning = dialog->findChild<QSpinBox *>(u"localApiMaxRunning"_s);
        QVERIFY(maxRunning);
        QCOMPARE(maxRunning->value(), Settings::defaultLocalApiMaxRunning);
        maxRunning->setValue(3);
        QSignalSpy started(api, &LocalApiControl::started);
        dialog->localApiSwitch()->click();
        QVERIFY(started.wait(20000));
        QVERIFY(api->isRunning());
        QCOMPARE(api->url().port(), port);
        QVERIFY(dialog->localApiStatus().contains(api->url().toString()));
        const QString token = dialog->shownToken();
        QVERIFY(token.size() >= 32);
        QVERIFY(Settings().localApiEnabled());
        QCOMPARE(Settings().localApiPort(), int(port));
        QCOMPARE(Settings().localApiMaxRunning(), 3);

        // A client creates a session over HTTP; the window lists it at once.
        SessionListModel *list = m_fixture->window->sessionListModel();
        QCOMPARE(list->rowCount(), 0);
        const auto [status, body] =
            exchange("POST", api->url().resolved(QUrl(u"/v1/crosstalk/setup"_s)), token,
                     {{u"models"_s, QJsonArray{u"demo"_s, u"demo"_s}},
                      {u"topic"_s, u"Made over HTTP"_s},
                      {u"iterations"_s, 1}});
        QCOMPARE(status, 200);
        const QUuid id(body.value(u"session_id"_s).toString());
        QVERIFY(!id.isNull());
        QTRY_COMPARE_WITH_TIMEOUT(list->rowCount(), 1, 5000);
        QCOMPARE(list->index(0).data(SessionListModel::IdRole).toUuid(), id);
        QCOMPARE(list->index(0).data(SessionListModel::TopicRole).toString(), u"Made over HTTP"_s);

        // And the reverse: a session the window made is there for HTTP clients.
        const QUuid demo = m_fixture->window->startDemoSession();
        QVERIFY(!demo.isNull());
        const auto [listed, sessions] =
            exchange("GET", api->url().resolved(QUrl(u"/v1/crosstalk/list"_s)), token);
        QCOMPARE(listed, 200);
        QCOMPARE(sessions.value(u"total"_s).toInt(), 2);

        // Without the token: refused.
        QCOMPARE(
            exchange("GET", api->url().resolved(QUrl(u"/v1/crosstalk/list"_s)), u"wrong"_s).first,
            401);

        // Switched off, nothing listens there any more.
        QSignalSpy stopped(api, &LocalApiControl::stopped);
        dialog->localApiSwitch()->click();
        QCOMPARE(stopped.size(), 1);
        QVERIFY(!api->isRunning());
        QVERIFY(!Settings().localApiEnabled());
        QCOMPARE(exchange("GET", QUrl(u"http://127.0.0.1:%1/healthz"_s.arg(port)), token).first, 0);
        m_fixture->engine->stop(demo);
    }

    // The rate limit is a setting, as `crosstalk serve --rate-limit/--rate-burst` are: at one
    // request a second with no burst, a client's quick requests are soon answered 429.
    void rateLimitIsASetting()
    {
        SettingsDialog *dialog = m_fixture->window->openSettings();
        dialog->showPage(SettingsDialog::Page::LocalApi);
        auto *rate = dialog->findChild<QSpinBox *>(u"localApiRate"_s);
        auto *burst = dialog->findChild<QSpinBox *>(u"localApiBurst"_s);
        QVERIFY(rate && burst);
        QCOMPARE(rate->value(), int(Settings::defaultLocalApiRate));
        QCOMPARE(burst->value(), int(Settings::defaultLocalApiBurst));
        rate->setValue(1);
        burst->setValue(1);
        const quint16 port = freePort();
        dialog->localApiPort()->setValue(port);
        LocalApiControl *api = m_fixture->window->localApi();
        QSignalSpy started(api, &LocalApiControl::started);
        dialog->localApiSwitch()->click();
        QVERIFY(started.wait(20000));
        QVERIFY(!rate->isEnabled() && !burst->isEnabled()); // switch off to change them
        QCOMPARE(Settings().localApiRate(), 1.0);
        QCOMPARE(Settings().localApiBurst(), 1.0);
        const QString token = dialog->shownToken();
        const QUrl list = api->url().resolved(QUrl(u"/v1/crosstalk/list"_s));
        QList<int> statuses;
        // Ten requests would have to take a second each to stay under the limit.
        for (int i = 0; i < 10 && !statuses.contains(429); ++i)
            statuses << exchange("GET", list, token).first;
        QCOMPARE(statuses.first(), 200);
        QVERIFY2(statuses.contains(429), qPrintable(QString::number(statuses.size())));
        dialog->localApiSwitch()->click();
        QVERIFY(rate->isEnabled());

        // 0 is "no limit", kept as such.
        rate->setValue(0);
        QCOMPARE(rate->text(), u"No limit"_s);
        dialog->localApiSwitch()->click();
        QVERIFY(started.wait(20000));
        QCOMPARE(Settings().localApiRate(), 0.0);
        for (int i = 0; i < 10; ++i)
            QCOMPARE(exchange("GET", list, token).first, 200);
        dialog->localApiSwitch()->click();
    }

    void portInUseIsReported()
    {
        QTcpServer occupant;
        QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
        SettingsDialog *dialog = m_fixture->window->openSettings();
        dialog->showPage(SettingsDialog::Page::LocalApi);
        dialog->localApiPort()->setValue(occupant.serverPort());
        QSignalSpy failed(m_fixture->window->localApi(), &LocalApiControl::failed);
        dialog->localApiSwitch()->click();
        QVERIFY(failed.wait(20000));
        QVERIFY2(failed.first().at(0).toString().contains(u"in use"_s),
                 qPrintable(failed.first().at(0).toString()));
        QVERIFY(dialog->localApiStatus().contains(u"in use"_s));
        QVERIFY(!dialog->localApiSwitch()->isChecked());
        QVERIFY(!m_fixture->window->localApi()->isRunning());
    }

    void switchedOnSettingStartsItWithTheWindow()
    {
        const quint16 port = freePort();
        Settings settings;
        settings.setLocalApiEnabled(true);
        settings.setLocalApiPort(port);
        settings.sync();
        WindowFixture second;
        QVERIFY(second.open(m_server, m_dir.filePath(u"second.db"_s)));
        QTRY_VERIFY_WITH_TIMEOUT(second.window->localApi()->isRunning(), 20000);
        QCOMPARE(second.window->localApi()->url().port(), port);
        settings.setLocalApiEnabled(false);
    }
};

QTEST_MAIN(TestWindowLocalApi)
#include "tst_windowlocalapi.moc"
