// SPDX-License-Identifier: GPL-3.0-or-later
#include "httperror.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

using Status = QHttpServerResponder::StatusCode;

class TestHttpError : public QObject
{
    Q_OBJECT

private slots:
    void statusCode_data()
    {
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("legacyStatus");
        QTest::newRow("invalid_argument") << ErrorCode::InvalidArgument << 400 << 422;
        QTest::newRow("not_found") << ErrorCode::NotFound << 404 << 404;
        QTest::newRow("conflict") << ErrorCode::Conflict << 409 << 409;
        QTest::newRow("provider_error") << ErrorCode::ProviderError << 502 << 502;
        QTest::newRow("timeout") << ErrorCode::Timeout << 504 << 504;
        QTest::newRow("unauthorized") << ErrorCode::Unauthorized << 401 << 401;
        QTest::newRow("payload_too_large") << ErrorCode::PayloadTooLarge << 413 << 413;
        QTest::newRow("rate_limited") << ErrorCode::RateLimited << 429 << 429;
        QTest::newRow("storage_error") << ErrorCode::StorageError << 503 << 503;
        QTest::newRow("internal") << ErrorCode::Internal << 500 << 500;
    }

    void statusCode()
    {
        QFETCH(ErrorCode, code);
        QFETCH(int, status);
        QFETCH(int, legacyStatus);
        QCOMPARE(int(HttpError::statusCode(code)), status);
        QCOMPARE(int(HttpError::statusCode(code, HttpError::Dialect::Legacy)), legacyStatus);
    }

    void responseCarriesTheJsonBody()
    {
        const Error error{
            ErrorCode::Conflict, u"Session is already running"_s, {{u"status"_s, u"running"_s}}};
        const QHttpServerResponse response = HttpError::response(error);
        QCOMPARE(response.statusCode(), Status::Conflict);
        QCOMPARE(response.mimeType(), QByteArrayLiteral("application/json"));
        QCOMPARE(QJsonDocument::fromJson(response.data()).object(), error.toJson());
    }

    void legacyResponseUses422ForInvalidInput()
    {
        const Error error = Error::invalidInput({{u"iterations"_s, u"must be an integer"_s}});
        QCOMPARE(HttpError::response(error, HttpError::Dialect::Legacy).statusCode(),
                 Status::UnprocessableEntity);
        QCOMPARE(HttpError::response(error).statusCode(), Status::BadRequest);
    }
};

QTEST_GUILESS_MAIN(TestHttpError)
#include "tst_httperror.moc"
