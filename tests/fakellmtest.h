// SPDX-License-Identifier: GPL-3.0-or-later
// Request builders shared by the fake LLM server's tests.
#pragma once

#include "rawhttpclient.h"
#include "requestinference.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

namespace Crosstalk::Fake::Test {

inline QJsonObject chatBody(Api api, bool stream, const QString &userText = QStringLiteral("Hi"))
{
    using namespace Qt::StringLiterals;
    QJsonObject body{{u"model"_s, u"fake-model"_s}, {u"stream"_s, stream}};
    QJsonArray messages;
    if (api == Api::Anthropic) {
        body.insert(u"max_tokens"_s, 1024);
        body.insert(u"system"_s, u"You are Alice."_s);
    } else {
        messages.append(QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"You are Alice."_s}});
    }
    messages.append(QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, userText}});
    body.insert(u"messages"_s, messages);
    return body;
}

inline QByteArray chatRequest(Api api, const QJsonObject &body,
                              QList<std::pair<QByteArray, QByteArray>> headers = {})
{
    using namespace Qt::StringLiterals;
    if (api == Api::Anthropic)
        headers.append({"anthropic-version"_ba, "2023-06-01"_ba});
    return RawHttpClient::request(
        "POST", api == Api::Anthropic ? "/v1/messages" : "/v1/chat/completions", body, headers);
}

// Sends a request and waits until the server has closed the connection.
#define FAKE_EXCHANGE(client, port, request)                                                       \
    (client).send((port), (request));                                                              \
    QTRY_VERIFY_WITH_TIMEOUT((client).isDone(), 10000)

} // namespace Crosstalk::Fake::Test
