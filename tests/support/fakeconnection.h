// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "httprequestparser.h"
#include "responsebuilder.h"

#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace Crosstalk::Fake {

class FakeLlmServer;

// One client connection: reads requests one after another and replays each response plan's
// steps on time. Deletes itself when the socket closes.
class FakeConnection : public QObject
{
    Q_OBJECT

public:
    FakeConnection(QTcpSocket *socket, FakeLlmServer *server);

private:
    void readRequests();
    void runDueSteps();
    void endResponse(bool clientGone);
    void writeRepeated();
    void onDisconnected();

    QTcpSocket *m_socket;
    FakeLlmServer *m_server;
    QByteArray m_buffer;
    HttpRequestParser m_parser;
    QTimer m_timer;
    ResponsePlan m_plan;
    qsizetype m_next = -1; // the next step to run; -1 while no response is under way
    int m_recordId = 0;
    double m_arrivedMs = 0;
    bool m_closing = false;
    QByteArray m_repeated; // what a Repeat step writes again and again, while it runs
};

} // namespace Crosstalk::Fake
