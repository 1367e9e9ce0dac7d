// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/error.h"
#include "conversation/oldtooljson.h"
#include "conversation/sessiondocument.h"
#include "engine/engineevent.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

struct Example
{
    QString kind;
    int line = 0;
    QJsonObject json;
};

QString describe(const QList<FieldError> &errors)
{
    QStringList lines;
    for (const FieldError &error : errors) {
        lines.append(error.toString());
    }
    return lines.join(u"\n"_s);
}

} // namespace

// docs/contracts.md shows the formats by example; this keeps every example true to the code.
// Each ```json block follows a `<!-- example: KIND -->` line saying what it shows.
class TestContractsDoc : public QObject
{
    Q_OBJECT

private:
    QList<Example> m_examples;

    QList<Example> examplesOf(const QString &kind) const
    {
        QList<Example> result;
        for (const Example &example : m_examples) {
            if (example.kind == kind) {
                result.append(example);
            }
        }
        return result;
    }

    Session documentExample() const
    {
        return *SessionDocument::fromJson(examplesOf(u"session-document"_s).first().json).value;
    }

private slots:
    void initTestCase()
    {
        QFile file(QStringLiteral(CROSSTALK_SOURCE_DIR) + u"/docs/contracts.md"_s);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
        static const QRegularExpression marker(u"^<!-- example: ([a-z-]+) -->$"_s);
        QString pendingKind;
        for (int i = 0; i < lines.size(); ++i) {
            const QRegularExpressionMatch match = marker.match(lines.at(i));
            if (match.hasMatch()) {
                pendingKind = match.captured(1);
                continue;
            }
            if (lines.at(i) != u"```json"_s) {
                continue;
            }
            QVERIFY2(!pendingKind.isEmpty(),
                     qPrintable(u"line %1: a JSON example without an example marker"_s.arg(i + 1)));
            QStringList block;
            int end = i + 1;
            while (end < lines.size() && lines.at(end) != u"```"_s) {
                block.append(lines.at(end++));
            }
            QJsonParseError error;
            const QJsonDocument json = QJsonDocument::fromJson(block.join(u'\n').toUtf8(), &error);
            QVERIFY2(error.error == QJsonParseError::NoError && json.isObject(),
                     qPrintable(u"line %1: %2"_s.arg(i + 2).arg(error.errorString())));
            m_examples.append({pendingKind, i + 1, json.object()});
            pendingKind.clear();
            i = end;
        }
        const QStringList kinds{u"session-document"_s, u"legacy-file"_s, u"legacy-status"_s,
                                u"event"_s, u"error"_s};
        for (const Example &example : std::as_const(m_examples)) {
            QVERIFY2(kinds.contains(example.kind), qPrintable(example.kind));
        }
        for (const QString &kind : kinds) {
            QVERIFY2(!examplesOf(kind).isEmpty(), qPrintable(u"no example of "_s + kind));
        }
        QCOMPARE(examplesOf(u"session-document"_s).size(), 1);
    }

    void sessionDocumentReads()
    {
        const Example example = examplesOf(u"session-document"_s).first();
        const Parsed<Session> read = SessionDocument::fromJson(example.json);
        QVERIFY2(read, qPrintable(describe(read.errors)));
        // Written back it is the same document: the example shows the writer's exact form.
        QCOMPARE(SessionDocument::toJson(*read.value), example.json);
    }

    void legacyFileIsWhatTheWriterGives()
    {
        QCOMPARE(OldToolJson::file(documentExample()), examplesOf(u"legacy-file"_s).first().json);
    }

    void legacyStatusIsWhatTheWriterGives()
    {
        QCOMPARE(OldToolJson::status(documentExample()),
                 examplesOf(u"legacy-status"_s).first().json);
    }

    void eventsParse()
    {
        for (const Example &example : examplesOf(u"event"_s)) {
            const Parsed<EngineEvent> parsed = EngineEvent::fromJson(example.json);
            QVERIFY2(parsed,
                     qPrintable(u"line %1: %2"_s.arg(example.line).arg(describe(parsed.errors))));
            QCOMPARE(parsed.value->toJson(), example.json);
        }
    }

    void errorsAreWhatTheWriterGives()
    {
        for (const Example &example : examplesOf(u"error"_s)) {
            const QJsonObject body = example.json.value(u"error"_s).toObject();
            const std::optional<ErrorCode> code =
                enumFromString<ErrorCode>(body.value(u"code"_s).toString());
            QVERIFY2(code, qPrintable(u"line %1"_s.arg(example.line)));
            const QJsonObject details = body.value(u"details"_s).toObject();
            Error error{*code, body.value(u"message"_s).toString(), details};
            if (details.contains(u"fields"_s)) {
                QList<FieldError> fields;
                for (const QJsonValue &field : details.value(u"fields"_s).toArray()) {
                    fields.append({field[u"field"_s].toString(), field[u"problem"_s].toString()});
                }
                error = Error::invalidInput(fields);
            }
            QCOMPARE(error.toJson(), example.json);
        }
    }
};

QTEST_GUILESS_MAIN(TestContractsDoc)
#include "tst_contractsdoc.moc"
