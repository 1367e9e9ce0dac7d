// SPDX-License-Identifier: GPL-3.0-or-later
// Listing a server's models — the connection test of Settings — for every kind of model,
// against the fake LLM server's /v1/models, and its failures.
#include "fakellmserver.h"

#include "llm/anthropicchatcall.h"
#include "llm/httpclient.h"
#include "llm/modellisting.h"

#include <QSignalSpy>
#include <QTest>

Q_DECLARE_METATYPE(Crosstalk::ApiKind)

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using Crosstalk::Fake::FakeLlmServer;

namespace {

const QString kKey = u"sk-test-listing-0123456789"_s;
constexpr std::chrono::milliseconds kTimeout{5000};

} // namespace

class TestModelListing : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<FakeLlmServer> m_server;
    std::unique_ptr<HttpClient> m_http;

    ModelConfig model(ApiKind kind, const QString &path) const
    {
        ModelConfig m;
        m.alias = u"local"_s;
        m.kind = kind;
        m.modelId = u"some-model"_s;
        m.baseUrl = m_server->baseUrl().resolved(QUrl(path));
        return m;
    }

private slots:
    void init()
    {
        m_server = std::make_unique<FakeLlmServer>();
        QVERIFY(m_server->listen());
        m_server->setModels({u"model-a"_s, u"model-b"_s});
        m_http = std::make_unique<HttpClient>();
    }

    void cleanup()
    {
        m_http.reset();
        m_server.reset();
    }

    void lists_data()
    {
        QTest::addColumn<ApiKind>("kind");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("azureApiVersion");
        QTest::addColumn<QByteArray>("keyHeader");
        QTest::addColumn<QByteArray>("keyValue");
        QTest::addColumn<QByteArray>("query");
        const QByteArray key = kKey.toUtf8();
        QTest::newRow("openai") << ApiKind::OpenAI << u"/v1"_s << QString() << "authorization"_ba
                                << QByteArray("Bearer " + key) << QByteArray();
        QTest::newRow("anthropic, base without /v1")
            << ApiKind::Anthropic << u"/"_s << QString() << "x-api-key"_ba << key << QByteArray();
        QTest::newRow("anthropic, base with /v1")
            << ApiKind::Anthropic << u"/v1"_s << QString() << "x-api-key"_ba << key << QByteArray();
        QTest::newRow("azure") << ApiKind::OpenAI << u"/v1"_s << u"2024-10-21"_s << "api-key"_ba
                               << key << "api-version=2024-10-21"_ba;
    }

    void lists()
    {
        QFETCH(ApiKind, kind);
        QFETCH(QString, path);
        QFETCH(QString, azureApiVersion);
        QFETCH(QByteArray, keyHeader);
        QFETCH(QByteArray, keyValue);
        QFETCH(QByteArray, query);
        ModelConfig m = model(kind, path);
        m.azureApiVersion = azureApiVersion;

        ModelListing *listing = ModelListing::start(m_http.get(), m, kKey, kTimeout, this);
        QSignalSpy finished(listing, &ModelListing::finished);
        QSignalSpy failed(listing, &ModelListing::failed);
        QSignalSpy destroyed(listing, &QObject::destroyed);
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(failed.size(), 0);
        QCOMPARE(finished.first().first().toStringList(),
                 (QStringList{u"model-a"_s, u"model-b"_s}));
        QTRY_COMPARE(destroyed.size(), 1); // it cleans up after itself

        QCOMPARE(m_server->requests().size(), 1);
        const Fake::RecordedRequest r = m_server->requests().first();
        QCOMPARE(r.method, "GET"_ba);
        QCOMPARE(r.path, "/v1/models"_ba);
        QCOMPARE(r.query, query);
        QCOMPARE(r.headers.value(keyHeader), keyValue);
        QCOMPARE(r.headers.contains("anthropic-version"), kind == ApiKind::Anthropic);
    }

    void failures_data()
    {
        QTest::addColumn<bool>("refused");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("HTTP error") << false << u"HTTP 404: Unknown request URL: GET /v2/models"_s;
        QTest::newRow("connection refused") << true << QString();
    }

    void failures()
    {
        QFETCH(bool, refused);
        QFETCH(QString, messagePart);
        ModelConfig m = model(ApiKind::OpenAI, u"/v2"_s);
        if (refused) {
            QUrl url = m.baseUrl;
            url.setPort(FakeLlmServer::closedPort());
            m.baseUrl = url;
        }
        ModelListing *listing = ModelListing::start(m_http.get(), m, kKey, kTimeout, this);
        QSignalSpy finished(listing, &ModelListing::finished);
        QSignalSpy failed(listing, &ModelListing::failed);
        QTRY_COMPARE(failed.size(), 1);
        QCOMPARE(finished.size(), 0);
        const QString message = failed.first().first().toString();
        QVERIFY(!message.isEmpty());
        QVERIFY2(message.contains(messagePart), qPrintable(message));
        QVERIFY(!message.contains(kKey));
    }

    // The demo model needs no server: it lists itself.
    void demo()
    {
        ModelConfig m;
        m.alias = u"demo"_s;
        m.kind = ApiKind::Demo;
        m.modelId = u"crosstalk-demo"_s;
        ModelListing *listing = ModelListing::start(m_http.get(), m, QString(), kTimeout, this);
        QSignalSpy finished(listing, &ModelListing::finished);
        QVERIFY(finished.isEmpty()); // answered from the event loop, like the others
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().toStringList(), QStringList{u"crosstalk-demo"_s});
        QCOMPARE(m_server->requests().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestModelListing)
#include "tst_modellisting.moc"
