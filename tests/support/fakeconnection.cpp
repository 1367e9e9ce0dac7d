// SPDX-License-Identifier: GPL-3.0-or-later
#include "fakeconnection.h"

#include "fakellmserver.h"

#include <QTcpSocket>

#include <cmath>
#include <sys/socket.h>

using namespace Qt::StringLiterals;

namespace Crosstalk::Fake {

FakeConnection::FakeConnection(QTcpSocket *socket, FakeLlmServer *server)
    : QObject(server)
    , m_socket(socket)
    , m_server(server)
{
    m_socket->setParent(this);
    // Small writes must leave at once, or Nagle's algorithm would merge the halves of a split
    // character and blur token timing.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &FakeConnection::runDueSteps);
    connect(m_socket, &QTcpSocket::readyRead, this, &FakeConnection::readRequests);
    connect(m_socket, &QTcpSocket::disconnected, this, &FakeConnection::onDisconnected);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &FakeConnection::writeRepeated);
    readRequests();
}

void FakeConnection::readRequests()
{
    m_buffer += m_socket->readAll();
    // One request at a time: a pipelined next request waits in the buffer for this response.
    while (m_next < 0 && !m_closing) {
        const HttpRequestParser::Status status = m_parser.parse(m_buffer);
        if (m_parser.takeContinueRequest())
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        if (status == HttpRequestParser::Status::Incomplete)
            return;
        if (status == HttpRequestParser::Status::Failed) {
            m_plan = ResponseBuilder::error(Api::OpenAi, m_parser.errorStatus(),
                                            QString::fromLatin1(m_parser.errorMessage()), 0, false);
            m_recordId = 0;
            m_arrivedMs = m_server->nowMs();
        } else {
            m_plan = m_server->handle(m_parser.takeRequest(), &m_recordId, &m_arrivedMs);
        }
        m_next = 0;
        runDueSteps();
    }
}

void FakeConnection::runDueSteps()
{
    using Action = ResponseStep::Action;
    const double elapsed = m_server->nowMs() - m_arrivedMs;
    while (m_next >= 0 && m_next < m_plan.steps.size()) {
        const ResponseStep &step = m_plan.steps.at(m_next);
        if (step.dueMs > elapsed) {
            m_socket->flush();
            m_timer.start(int(std::ceil(step.dueMs - elapsed)));
            return;
        }
        switch (step.action) {
        case Action::Write:
            m_socket->write(step.bytes);
            if (step.isHead)
                m_server->noteHead(m_recordId);
            if (step.hasFirstToken)
                m_server->noteFirstToken(m_recordId);
            ++m_next;
            if (step.token > 0)
                m_server->noteToken(m_recordId, step.token, m_plan.tokens);
            break;
        case Action::Finish:
            m_socket->flush();
            endResponse(false);
            readRequests();
            return;
        case Action::Close:
            m_closing = true;
            endResponse(false);
            m_socket->disconnectFromHost();
            return;
        case Action::Reset: {
            // Qt discards unsent data on abort(); what came before the reset must reach the
            // client, so wait until the kernel has it all.
            m_socket->flush();
            if (m_socket->bytesToWrite() > 0) {
                m_timer.start(1);
                return;
            }
            m_closing = true;
            endResponse(false);
            // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
            const linger immediate{1, 0};
            ::setsockopt(int(m_socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &immediate,
                         sizeof immediate);
            m_socket->abort();
            return;
        }
        case Action::Stall:
            m_socket->flush();
            ++m_next;
            return;
        case Action::Repeat:
            m_repeated = step.bytes;
            ++m_next;
            writeRepeated();
            return;
        }
    }
    m_socket->flush();
}

void FakeConnection::writeRepeated()
{
    // A few writes ahead of the client, never more: the server's memory stays flat however
    // long the client keeps reading.
    if (m_repeated.isEmpty())
        return;
    while (m_socket->bytesToWrite() < 4 * m_repeated.size())
        m_socket->write(m_repeated);
}

void FakeConnection::endResponse(bool clientGone)
{
    m_repeated.clear();
    m_timer.stop();
    m_next = -1;
    if (m_recordId > 0)
        m_server->noteFinished(m_recordId, clientGone);
    m_recordId = 0;
}

void FakeConnection::onDisconnected()
{
    if (m_next >= 0)
        endResponse(true);
    m_closing = true;
    deleteLater();
}

} // namespace Crosstalk::Fake
