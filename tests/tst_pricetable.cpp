// SPDX-License-Identifier: GPL-3.0-or-later
// The list prices that make cost caps count (PRODUCT.md §3): the shipped table, how a model is
// matched, and where each model's price comes from.
#include "config/settings.h"
#include "llm/modelregistry.h"
#include "llm/pricetable.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

class TestPriceTable : public QObject
{
    Q_OBJECT

private slots:
    // Every price names its maker's page and the date it was published.
    void shippedTableIsSourced()
    {
        QFile file(u":/crosstalk/prices.json"_s);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray json = file.readAll();
        QStringList problems;
        const PriceTable table = PriceTable::fromJson(json, &problems);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        QCOMPARE(table.size(), PriceTable::bundled().size());
        const QJsonObject document = QJsonDocument::fromJson(json).object();
        const QJsonObject sources = document[u"sources"_s].toObject();
        QVERIFY(!sources.isEmpty());
        for (const QJsonValue &source : sources) {
            const QUrl url(source[u"url"_s].toString());
            QVERIFY2(url.scheme() == u"https"_s && (url.host().endsWith(u"openai.com"_s) ||
                                                    url.host().endsWith(u"anthropic.com"_s)),
                     qPrintable(url.toString()));
            QVERIFY(QDate::fromString(source[u"published"_s].toString(), Qt::ISODate) <=
                    QDate(2026, 12, 2));
        }
        QSet<QString> ids;
        for (const QJsonValue &entry : document[u"models"_s].toArray()) {
            QVERIFY(entry[u"input"_s].toDouble() > 0 && entry[u"output"_s].toDouble() > 0);
            for (const QJsonValue &id : entry[u"ids"_s].toArray()) {
                QVERIFY2(!ids.contains(id.toString()), qPrintable(id.toString()));
                ids.insert(id.toString());
            }
        }
    }

    // Exactly the maker's id at the maker's own API; a proxy or a near name has no list price.
    void matchesTheMakersIdAtItsApi()
    {
        const PriceTable &table = PriceTable::bundled();
        const QUrl openai(u"https://api.openai.com/v1"_s);
        const QUrl anthropic(u"https://api.anthropic.com/v1"_s);
        const auto gpt4o = table.find(ApiKind::OpenAI, openai, u"gpt-4o"_s);
        QVERIFY(gpt4o);
        QCOMPARE(gpt4o->inputPerMillion, 2.5);
        QCOMPARE(gpt4o->outputPerMillion, 10.0);
        QCOMPARE(gpt4o->publisher, u"OpenAI"_s);
        QVERIFY(gpt4o->url.isValid() && gpt4o->published.isValid());
        const auto sonnet = table.find(ApiKind::Anthropic, anthropic, u"claude-sonnet-4-5"_s);
        QVERIFY(sonnet);
        QCOMPARE(sonnet->inputPerMillion, 3.0);
        QCOMPARE(sonnet->outputPerMillion, 15.0);
        QCOMPARE(table.find(ApiKind::Anthropic, anthropic, u"claude-sonnet-4-5-20250929"_s),
                 sonnet);
        // The older, dearer snapshot is not the alias's price.
        QVERIFY(!table.find(ApiKind::OpenAI, openai, u"gpt-4o-2024-05-13"_s));
        QVERIFY(!table.find(ApiKind::OpenAI, QUrl(u"https://proxy.example.com/v1"_s), u"gpt-4o"_s));
        QVERIFY(!table.find(ApiKind::OpenAI, anthropic, u"gpt-4o"_s));
        QVERIFY(!table.find(ApiKind::Demo, openai, u"gpt-4o"_s));
    }

    void localServers_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("local");
        QTest::newRow("localhost") << u"http://localhost:11434/v1"_s << true;
        QTest::newRow("loopback") << u"http://127.0.0.1:1234/v1"_s << true;
        QTest::newRow("ipv6 loopback") << u"http://[::1]:8080/v1"_s << true;
        QTest::newRow("home network") << u"http://192.168.1.20:8000/v1"_s << true;
        QTest::newRow("10/8") << u"http://10.0.0.5/v1"_s << true;
        QTest::newRow("mdns") << u"http://gpu-box.local:8000/v1"_s << true;
        QTest::newRow("openai") << u"https://api.openai.com/v1"_s << false;
        QTest::newRow("public address") << u"http://8.8.8.8/v1"_s << false;
        QTest::newRow("lookalike") << u"http://localhost.example.com/v1"_s << false;
        QTest::newRow("no host") << u"/v1"_s << false;
    }

    void localServers()
    {
        QFETCH(QString, url);
        QFETCH(bool, local);
        QCOMPARE(isLocalServer(QUrl(url)), local);
    }

    // Each model knows where its price comes from, and Settings store only the user's own.
    void registryGivesEveryModelItsPrice()
    {
        QTemporaryDir dir;
        Settings settings(dir.filePath(u"crosstalk.conf"_s));
        settings.setModelAttributes(u"local"_s, {{u"base_url"_s, u"http://127.0.0.1:1234/v1"_s},
                                                 {u"model_id"_s, u"qwen"_s}});
        settings.setModelAttributes(u"proxy"_s, {{u"base_url"_s, u"https://llm.example.com/v1"_s},
                                                 {u"model_id"_s, u"gpt-4o"_s}});
        settings.setModelAttributes(u"small"_s, {{u"input_price_per_million"_s, 0.5},
                                                 {u"output_price_per_million"_s, 1.5}});
        const ModelRegistry registry = ModelRegistry::load({}, &settings);

        const ModelConfig big = *registry.model(u"big"_s); // gpt-4o at api.openai.com
        QCOMPARE(big.priceOrigin, PriceOrigin::ListPrice);
        QCOMPARE(big.inputPricePerMillion, 2.5);
        QCOMPARE(big.outputPricePerMillion, 10.0);
        QCOMPARE(big.cost(1'000'000, 100'000), 3.5);
        QVERIFY2(big.priceNote().contains(u"OpenAI"_s), qPrintable(big.priceNote()));
        QVERIFY(!ModelRegistry::attributesOf(big).contains(u"input_price_per_million"_s));

        const ModelConfig small = *registry.model(u"small"_s);
        QCOMPARE(small.priceOrigin, PriceOrigin::Settings);
        QCOMPARE(small.inputPricePerMillion, 0.5);
        QCOMPARE(small.listPrice->inputPerMillion, 0.15); // still known, for Settings to show
        QCOMPARE(ModelRegistry::attributesOf(small)[u"output_price_per_million"_s].toDouble(), 1.5);

        for (const QString &alias : {u"local"_s, u"demo"_s}) {
            const ModelConfig free = *registry.model(alias);
            QCOMPARE(free.priceOrigin, PriceOrigin::Free);
            QVERIFY(free.isPriced());
            QCOMPARE(free.cost(1000, 1000), 0.0);
            QVERIFY2(free.priceNote().contains(u"nothing"_s), qPrintable(free.priceNote()));
        }

        const ModelConfig proxy = *registry.model(u"proxy"_s);
        QCOMPARE(proxy.priceOrigin, PriceOrigin::Unpriced);
        QVERIFY(!proxy.isPriced());
        QCOMPARE(proxy.inputPricePerMillion, 0.0);
        QVERIFY2(proxy.priceNote().contains(u"gpt-4o"_s) &&
                     proxy.priceNote().contains(u"llm.example.com"_s),
                 qPrintable(proxy.priceNote()));

        // The environment's Claude slots have list prices too.
        QProcessEnvironment environment;
        environment.insert(u"ANTHROPIC_API_KEY"_s, u"sk-ant-test"_s);
        const ModelRegistry claude = ModelRegistry::load(environment, nullptr);
        for (const QString &alias : ModelRegistry::slotAliases())
            QCOMPARE(claude.model(alias)->priceOrigin, PriceOrigin::ListPrice);
    }

    void badTablesSayWhere_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("problem");
        QTest::newRow("not json") << "{"_ba << u"not a JSON object"_s;
        QTest::newRow("unknown source")
            << R"({"about": "", "sources": {}, "models": [{"provider": "openai", "ids": ["x"], "input": 1, "output": 2, "source": "nowhere"}]})"_ba
            << u"models[0].source"_s;
        QTest::newRow("bad date")
            << R"({"about": "", "sources": {"s": {"publisher": "OpenAI", "title": "t", "url": "https://openai.com/", "published": "last year"}}, "models": []})"_ba
            << u"sources.s.published"_s;
        QTest::newRow("negative price")
            << R"({"about": "", "sources": {"s": {"publisher": "OpenAI", "title": "t", "url": "https://openai.com/", "published": "2025-01-01"}}, "models": [ {"provider": "openai", "ids": ["x"], "input": -1, "output": 2, "source": "s"}]})"_ba
            << u"models[0].input"_s;
        QTest::newRow("unknown provider")
            << R"({"about": "", "sources": {"s": {"publisher": "OpenAI", "title": "t", "url": "https://openai.com/", "published": "2025-01-01"}}, "models": [ {"provider": "azure", "ids": ["x"], "input": 1, "output": 2, "source": "s"}]})"_ba
            << u"models[0].provider"_s;
    }

    void badTablesSayWhere()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, problem);
        QStringList problems;
        const PriceTable table = PriceTable::fromJson(json, &problems);
        QCOMPARE(table.size(), 0);
        QVERIFY2(problems.join(u'\n').contains(problem), qPrintable(problems.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestPriceTable)
#include "tst_pricetable.moc"
