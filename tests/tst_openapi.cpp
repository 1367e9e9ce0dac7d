// SPDX-License-Identifier: GPL-3.0-or-later
// The OpenAPI document at /openapi.json matches the server: every operation it lists answers
// with a status (and content type) it lists, requests built from its schemas and examples —
// every field of every body, every value of every enumerated parameter — are accepted, and
// every route the server serves is in it, nothing more.
#include "conversation/paradigm.h"
#include "conversation/preset.h"
#include "resttestserver.h"

#include <QJsonArray>
#include <QTest>

#include <algorithm>
#include <functional>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Testing;

namespace {

// The status and Content-Type of a response; only the head is awaited, so an event stream
// counts too.
struct Head
{
    int status = 0;
    QByteArray contentType;
};

} // namespace

class TestOpenApi : public QObject
{
    Q_OBJECT

private:
    RestTestServer m_rest;
    QJsonObject m_document;

    QJsonObject resolve(QJsonObject object) const
    {
        while (object.contains(u"$ref"_s)) {
            const QStringList path =
                object[u"$ref"_s].toString().sliced(2).split(u'/'); // "#/components/…"
            QJsonValue value = m_document;
            for (const QString &key : path)
                value = value[key];
            object = value.toObject();
        }
        return object;
    }

    // A value for a schema: its example, its default, else one of its type.
    QJsonValue sample(const QJsonObject &schemaIn) const
    {
        const QJsonObject schema = resolve(schemaIn);
        if (schema.contains(u"example"_s))
            return schema[u"example"_s];
        if (schema.contains(u"default"_s))
            return schema[u"default"_s];
        if (schema.contains(u"const"_s))
            return schema[u"const"_s];
        if (schema.contains(u"enum"_s))
            return schema[u"enum"_s].toArray().first();
        for (const QString &combination : {u"oneOf"_s, u"allOf"_s, u"anyOf"_s})
            if (schema.contains(combination))
                return sample(schema[combination].toArray().first().toObject());
        const QString type = schema[u"type"_s].toString();
        if (type == u"object"_s) {
            QJsonObject object;
            for (const QJsonValue &name : schema[u"required"_s].toArray())
                object.insert(name.toString(),
                              sample(schema[u"properties"_s][name.toString()].toObject()));
            return object;
        }
        if (type == u"array"_s) {
            QJsonArray array;
            for (int i = 0; i < std::max(1, schema[u"minItems"_s].toInt()); ++i)
                array.append(sample(schema[u"items"_s].toObject()));
            return array;
        }
        if (type == u"integer"_s || type == u"number"_s)
            return schema.contains(u"minimum"_s) ? schema[u"minimum"_s] : QJsonValue(1);
        if (type == u"boolean"_s)
            return true;
        return u"x"_s;
    }

    // The bodies of an operation: the required fields, then each optional one added alone (so
    // that fields which exclude each other, like iterations and rounds, are each tried).
    QList<QByteArray> bodies(const QJsonObject &operation) const
    {
        const QJsonObject requestBody = resolve(operation[u"requestBody"_s].toObject());
        if (requestBody.isEmpty())
            return {QByteArray()};
        const QJsonObject schema =
            resolve(requestBody[u"content"_s][u"application/json"_s][u"schema"_s].toObject());
        const QJsonObject required = sample(schema).toObject();
        QList<QByteArray> result{QJsonDocument(required).toJson(QJsonDocument::Compact)};
        const QJsonObject properties = schema[u"properties"_s].toObject();
        for (auto it = properties.constBegin(); it != properties.constEnd(); ++it) {
            if (required.contains(it.key()))
                continue;
            QJsonObject body = required;
            body.insert(it.key(), sample(it.value().toObject()));
            result.append(QJsonDocument(body).toJson(QJsonDocument::Compact));
        }
        return result;
    }

    // The query strings of an operation: none, and each value of each query parameter.
    QList<QByteArray> queries(const QJsonObject &operation) const
    {
        QList<QByteArray> result{QByteArray()};
        for (const QJsonValue &value : operation[u"parameters"_s].toArray()) {
            const QJsonObject parameter = resolve(value.toObject());
            if (parameter[u"in"_s] != u"query"_s)
                continue;
            const QJsonObject schema = resolve(parameter[u"schema"_s].toObject());
            QJsonArray values = schema[u"enum"_s].toArray();
            if (values.isEmpty())
                values.append(parameter.contains(u"example"_s) ? parameter[u"example"_s]
                                                               : sample(schema));
            for (const QJsonValue &v : values) {
                const QString text =
                    v.isBool() ? (v.toBool() ? u"true"_s : u"false"_s) : v.toVariant().toString();
                result.append('?' + parameter[u"name"_s].toString().toLatin1() + '=' +
                              QUrl::toPercentEncoding(text));
            }
        }
        return result;
    }

    Head send(const QByteArray &request)
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_rest.server->port());
        if (!socket.waitForConnected(5000))
            return {};
        socket.write(request);
        QByteArray raw;
        static_cast<void>(QTest::qWaitFor(
            [&] {
                raw += socket.readAll();
                return raw.contains("\r\n\r\n") ||
                       socket.state() == QAbstractSocket::UnconnectedState;
            },
            60000));
        Head head;
        const QList<QByteArray> lines = raw.left(raw.indexOf("\r\n\r\n")).split('\n');
        head.status = lines.first().split(' ').value(1).toInt();
        for (const QByteArray &line : lines)
            if (line.toLower().startsWith("content-type:"))
                head.contentType = line.mid(13).split(';').first().trimmed();
        return head;
    }

    // Checks that the answer is one the operation lists, with a content type it lists.
    void expectListed(const QJsonObject &operation, const Head &head, const QByteArray &what)
    {
        const QJsonObject responses = operation[u"responses"_s].toObject();
        const QString status = QString::number(head.status);
        QVERIFY2(responses.contains(status),
                 qPrintable(u"%1 answered %2"_s.arg(QString::fromLatin1(what), status)));
        const QJsonObject content = resolve(responses[status].toObject())[u"content"_s].toObject();
        if (!content.isEmpty())
            QVERIFY2(content.contains(QString::fromLatin1(head.contentType)),
                     qPrintable(QString::fromLatin1(what + " answered " + head.contentType)));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_rest.start());
        const HttpReply reply = m_rest.call("GET", "/openapi.json");
        QCOMPARE(reply.status, 200);
        QJsonParseError error;
        m_document = QJsonDocument::fromJson(reply.body, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QCOMPARE(m_document[u"openapi"_s].toString(), u"3.1.0"_s);
    }

    // Both ways: the document lists exactly the routes the router serves.
    void everyServedRouteIsDocumented()
    {
        const QJsonObject paths = m_document[u"paths"_s].toObject();
        int documented = 0;
        for (const QJsonValue &item : paths)
            documented += int(item.toObject().size());
        const QList<RestServer::Route> routes = RestServer::routes();
        QCOMPARE(documented, int(routes.size()));
        for (const RestServer::Route &route : routes)
            QVERIFY2(
                paths[route.path].toObject().contains(QString::fromLatin1(route.method).toLower()),
                qPrintable(QString::fromLatin1(route.method) + u' ' + route.path));
    }

    // The document is written by hand, the paradigms are a table in the code: every property
    // named paradigm lists the table's names, in its order, as does any other list that names
    // one; a default is the presets' default.
    void paradigmsAreTheTables()
    {
        const QJsonArray names = QJsonArray::fromStringList(enumNames<Paradigm>());
        const auto namesAParadigm = [&](const QJsonArray &values) {
            return std::any_of(values.begin(), values.end(),
                               [&](const QJsonValue &v) { return names.contains(v); });
        };
        int lists = 0;
        int properties = 0;
        std::function<void(const QJsonValue &)> visit = [&](const QJsonValue &value) {
            if (value.isArray()) {
                for (const QJsonValue &item : value.toArray())
                    visit(item);
                return;
            }
            const QJsonObject object = value.toObject();
            for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
                if (it.key() == u"paradigm"_s && it.value().isObject()) {
                    QJsonObject schema = resolve(it.value().toObject());
                    if (schema.contains(u"default"_s))
                        QCOMPARE(schema[u"default"_s].toString(),
                                 enumToString(Preset::defaultParadigm));
                    for (const QJsonValue &part : schema[u"allOf"_s].toArray())
                        schema = resolve(part.toObject());
                    QCOMPARE(schema[u"enum"_s].toArray(), names);
                    ++properties;
                }
                if (it.key() == u"enum"_s && namesAParadigm(it.value().toArray())) {
                    QCOMPARE(it.value().toArray(), names);
                    ++lists;
                }
                visit(it.value());
            }
        };
        visit(m_document);
        QVERIFY(lists >= 1);
        QVERIFY(properties >= 4);
    }

    void everyOperationAnswersAsDocumented()
    {
        const QJsonObject paths = m_document[u"paths"_s].toObject();
        int sent = 0;
        for (auto path = paths.constBegin(); path != paths.constEnd(); ++path) {
            const QJsonObject item = path.value().toObject();
            for (auto it = item.constBegin(); it != item.constEnd(); ++it) {
                const QJsonObject operation = it.value().toObject();
                const QByteArray method = it.key().toUpper().toLatin1();
                for (const QByteArray &query : queries(operation)) {
                    for (const QByteArray &body : bodies(operation)) {
                        // A fresh session for each request, so that none depends on another.
                        QByteArray target = path.key().toLatin1();
                        if (target.contains("{id}"))
                            target.replace("{id}", m_rest.setUp());
                        target += query;
                        const QByteArray what = method + ' ' + target + ' ' + body;
                        const Head head = send(m_rest.request(method, target, body));
                        expectListed(operation, head, what);
                        // What the document's examples build is accepted, but where the state
                        // of a new session forbids it (pausing or resuming one never run).
                        if (!path.key().endsWith(u"/pause"_s) && !path.key().endsWith(u"/resume"_s))
                            QVERIFY2(head.status >= 200 && head.status < 300,
                                     qPrintable(QString::fromLatin1(what) + u" answered "_s +
                                                QString::number(head.status)));
                        ++sent;
                    }
                }
                // Without the token, unless the operation needs none.
                const bool open = operation.contains(u"security"_s) &&
                                  operation[u"security"_s].toArray().isEmpty();
                QByteArray target = path.key().toLatin1();
                target.replace("{id}", QUuid::createUuid().toByteArray(QUuid::WithoutBraces));
                const Head head = send(HttpTestClient::request(
                    method, target, m_rest.host(), QByteArray(), bodies(operation).first()));
                if (open) {
                    QVERIFY2(head.status != 401, target.constData());
                } else {
                    QCOMPARE(head.status, 401);
                    expectListed(operation, head, method + ' ' + target + " without a token");
                }
            }
        }
        qInfo("%d requests built from the document", sent);
        QVERIFY(sent > 30);
    }
};

QTEST_MAIN(TestOpenApi)
#include "tst_openapi.moc"
