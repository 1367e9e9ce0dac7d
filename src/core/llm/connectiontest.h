// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "llm/modelconfig.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <chrono>

namespace Crosstalk {

class ChatCall;
class ChatClient;
struct CallError;

// Proves that a model answers before a session depends on it: asks the server for its model
// list, then sends the model a one-token request, without retries. A failure says what went
// wrong in a person's words: the key refused, the model unknown to the server, the server
// unreachable. Emits finished() exactly once, then deletes itself.
class ConnectionTest : public QObject
{
    Q_OBJECT

public:
    static ConnectionTest *start(ChatClient *client, const ModelConfig &model,
                                 const QString &apiKey, std::chrono::milliseconds timeout,
                                 QObject *parent);

    // What a failed one-token request means, given what the model list said (`listed` empty
    // when the server gave none).
    static QString explain(const CallError &error, const ModelConfig &model, bool keyGiven,
                           const QStringList &listed);

Q_SIGNALS:
    // `listed`: the ids the server lists (empty when it did not say).
    void finished(bool ok, const QString &message, const QStringList &listed);

private:
    explicit ConnectionTest(QObject *parent);
    void ask();
    void finish(bool ok, const QString &message);

    ChatClient *m_client = nullptr;
    ModelConfig m_model;
    QString m_apiKey;
    std::chrono::milliseconds m_timeout{0};
    QStringList m_listed;
    QPointer<ChatCall> m_call;
};

} // namespace Crosstalk
