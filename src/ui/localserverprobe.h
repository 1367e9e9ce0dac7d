// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <chrono>

class QNetworkAccessManager;

namespace Crosstalk {

// A model server on this machine that Crosstalk can talk to without a key.
struct LocalServer
{
    QString name;       // "Ollama"
    QString alias;      // the model alias suggested for it: "ollama"
    QUrl baseUrl;       // http://127.0.0.1:11434/v1
    QStringList models; // what its /models route lists
};

// Looks for local model servers: asks each candidate's Chat Completions `/v1/models` route on
// 127.0.0.1 at once, with a short timeout, and reports the ones that answered with a model
// list. Never blocks; emits finished() exactly once.
class LocalServerProbe : public QObject
{
    Q_OBJECT

public:
    struct Candidate
    {
        QString name;
        QString alias;
        quint16 port = 0;
    };
    // Ollama on 11434, LM Studio on 1234, llama.cpp on 8080, vLLM on 8000.
    static QList<Candidate> defaultCandidates();

    explicit LocalServerProbe(QObject *parent = nullptr);

    void start(const QList<Candidate> &candidates = defaultCandidates(),
               std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));
    bool isFinished() const { return m_pending == 0 && m_started; }
    QList<LocalServer> found() const { return m_found; }

Q_SIGNALS:
    void finished(const QList<Crosstalk::LocalServer> &servers);

private:
    QNetworkAccessManager *m_network;
    QList<LocalServer> m_found;
    QList<Candidate> m_order;
    int m_pending = 0;
    bool m_started = false;
};

} // namespace Crosstalk
