// SPDX-License-Identifier: GPL-3.0-or-later
// A second process on the session store, for the tests that need one:
//   storetool persona DB SLOT TEXT    one write (the watcher sees another process)
//   storetool lease DB SESSION        takes a session's lease and exits without releasing it
//   storetool append DB COUNT         a session of COUNT messages, each in its own transaction
//   storetool stream DB               runs a session until killed: each message streams with
//                                     checkpoints, then completes; prints "committed ID"
//                                     once a completed message is stored
//   storetool fixture DB JSON         the sample sessions into DB, their documents into JSON
// Exits 1 with the store's error on stderr when a write fails.
#include "conversation/sessiondocument.h"
#include "samplesession.h"
#include "storage/sessionstore.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

template<typename T>
void check(const StoreResult<T> &result)
{
    if (!result) {
        QTextStream(stderr) << result.error().message << Qt::endl;
        std::exit(1);
    }
}

Session newSession(SessionStatus status)
{
    Session session;
    session.id = QUuid::createUuid();
    session.topic = u"Kill me softly"_s;
    session.title = Session::titleFromTopic(session.topic);
    session.participants = {Participant{u"A"_s, u"demo"_s, u"Be A."_s, {}, QColor(Qt::red), {}},
                            Participant{u"B"_s, u"demo"_s, u"Be B."_s, {}, QColor(Qt::blue), {}}};
    session.rounds = 100;
    session.status = status;
    session.createdAt = QDateTime::currentDateTimeUtc();
    session.updatedAt = session.createdAt;
    return session;
}

Message newMessage(const Session &session, int seq, MessageStatus status, const QString &content)
{
    Message message;
    message.id = QUuid::createUuid();
    message.sessionId = session.id;
    message.seq = seq;
    message.round = seq / 2;
    message.speaker = seq % 2 == 0 ? u"A"_s : u"B"_s;
    message.recipients = {seq % 2 == 0 ? u"B"_s : u"A"_s};
    message.type = seq < 2 ? MessageType::Opening : MessageType::Exchange;
    message.content = content;
    message.status = status;
    message.model = ModelRef{u"demo"_s, u"demo"_s, ApiKind::Demo};
    message.createdAt = QDateTime::currentDateTimeUtc();
    return message;
}

int stream(SessionStore &store)
{
    Session session = newSession(SessionStatus::Running);
    check(store.saveSession(session));
    check(store.acquireLease(session.id, u"storetool"_s));
    out() << "session " << session.id.toString(QUuid::WithoutBraces) << Qt::endl;
    for (int seq = 0;; ++seq) {
        Message message = newMessage(session, seq, MessageStatus::Streaming, QString());
        check(store.appendMessage(message));
        for (int part = 0; part < 5; ++part) {
            message.content += u"word%1 "_s.arg(part);
            check(store.checkpointStreaming(message.id, message.content));
        }
        message.status = MessageStatus::Complete;
        message.content += u"done"_s;
        check(store.updateMessage(message));
        check(store.renewLease(session.id));
        out() << "committed " << message.id.toString(QUuid::WithoutBraces) << Qt::endl;
    }
}

int fixture(SessionStore &store, const QString &jsonPath)
{
    QJsonArray documents;
    for (const Session &session :
         {Samples::session(SessionStatus::Completed, Samples::Optionals::Present),
          Samples::session(SessionStatus::Paused, Samples::Optionals::Absent)}) {
        check(store.saveSession(session, SessionStore::Messages::Replace));
        documents.append(SessionDocument::toJson(session));
    }
    check(store.setSlotPersona(u"big"_s, u"path:alice.md"_s));
    QFile file(jsonPath);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(QJsonDocument(documents).toJson(QJsonDocument::Indented)) < 0) {
        QTextStream(stderr) << "cannot write " << jsonPath << Qt::endl;
        return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    if (args.size() < 2) {
        QTextStream(stderr) << "usage: storetool persona|lease|append|stream|fixture DB ..."
                            << Qt::endl;
        return 2;
    }
    const QString command = args[0];
    SessionStore store;
    check(store.open(args[1]));
    if (command == u"persona"_s && args.size() == 4) {
        check(store.setSlotPersona(args[2], args[3]));
        return 0;
    }
    if (command == u"lease"_s && args.size() == 3) {
        check(store.acquireLease(QUuid(args[2]), u"storetool"_s));
        return 0;
    }
    if (command == u"append"_s && args.size() == 3) {
        const Session session = newSession(SessionStatus::Running);
        check(store.saveSession(session));
        const int count = args[2].toInt();
        for (int seq = 0; seq < count; ++seq) {
            check(store.appendMessage(
                newMessage(session, seq, MessageStatus::Complete, u"message %1"_s.arg(seq))));
        }
        out() << "session " << session.id.toString(QUuid::WithoutBraces) << Qt::endl;
        return 0;
    }
    if (command == u"stream"_s && args.size() == 2) {
        return stream(store);
    }
    if (command == u"fixture"_s && args.size() == 3) {
        return fixture(store, args[2]);
    }
    QTextStream(stderr) << "storetool: bad arguments" << Qt::endl;
    return 2;
}
