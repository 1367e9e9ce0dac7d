// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/error.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

class TestError : public QObject
{
    Q_OBJECT

private slots:
    void jsonForm()
    {
        const Error error{ErrorCode::NotFound, u"No session 42"_s, {{u"id"_s, u"42"_s}}};
        QCOMPARE(error.toJson(),
                 (QJsonObject{
                     {u"error"_s, QJsonObject{{u"code"_s, u"not_found"_s},
                                              {u"message"_s, u"No session 42"_s},
                                              {u"details"_s, QJsonObject{{u"id"_s, u"42"_s}}}}}}));
    }

    void detailsAreAnObjectEvenWhenEmpty()
    {
        const Error error{ErrorCode::Internal, u"Oops"_s, {}};
        const QJsonValue details = error.toJson()[u"error"_s][u"details"_s];
        QVERIFY(details.isObject());
        QVERIFY(details.toObject().isEmpty());
    }

    void invalidInputListsEveryField()
    {
        const Error error =
            Error::invalidInput({{u"rounds"_s, u"must be an integer from 1 to 100"_s},
                                 {u"participants[2].name"_s, u"must be unique"_s}});
        QCOMPARE(error.code, ErrorCode::InvalidArgument);
        QCOMPARE(error.message, u"rounds: must be an integer from 1 to 100; "
                                "participants[2].name: must be unique"_s);
        QCOMPARE(error.details,
                 (QJsonObject{
                     {u"fields"_s,
                      QJsonArray{QJsonObject{{u"field"_s, u"rounds"_s},
                                             {u"problem"_s, u"must be an integer from 1 to 100"_s}},
                                 QJsonObject{{u"field"_s, u"participants[2].name"_s},
                                             {u"problem"_s, u"must be unique"_s}}}}}));
    }
};

QTEST_GUILESS_MAIN(TestError)
#include "tst_error.moc"
