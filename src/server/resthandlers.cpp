// SPDX-License-Identifier: GPL-3.0-or-later
// RestServer's handlers that answer at once: health, setup, status, listing, deletion,
// transcripts, run control, messages, documents, models and paradigms.
#include "restparts.h"

using namespace Qt::StringLiterals;

namespace Crosstalk {

using namespace RestParts;

std::optional<QHttpServerResponse> RestServer::healthz(const Call &)
{
    return QHttpServerResponse(
        QJsonObject{{u"status"_s, u"ok"_s}, {u"version"_s, AppIdentity::version()}});
}

std::optional<QHttpServerResponse> RestServer::openApi(const Call &)
{
    // The committed document, as it is: tst_openapi checks it against the routes.
    static const QByteArray document = [] {
        QFile file(u":/crosstalk/openapi.json"_s);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }();
    if (document.isEmpty())
        return errorResponse(ErrorCode::Internal, u"The OpenAPI document is not built in."_s,
                             Status::InternalServerError);
    return QHttpServerResponse("application/json"_ba, document);
}

std::optional<QHttpServerResponse> RestServer::setup(const Call &call)
{
    QJsonObject body;
    if (auto refused = readObject(call.request.body(), kLegacy, &body))
        return refused;
    return reply(OldToolOperations::setup(*m_engine, *m_library, body));
}

std::optional<QHttpServerResponse> RestServer::status(const Call &call)
{
    return reply(OldToolOperations::status(*m_engine, call.id));
}

std::optional<QHttpServerResponse> RestServer::list(const Call &)
{
    return reply(OldToolOperations::list(*m_engine));
}

std::optional<QHttpServerResponse> RestServer::remove(const Call &call)
{
    return reply(OldToolOperations::remove(*m_engine, call.id));
}

std::optional<QHttpServerResponse> RestServer::transcript(const Call &call)
{
    const QString formatName = call.request.query().queryItemValue(u"format"_s);
    const std::optional<ExportFormat> format =
        formatName.isEmpty() ? ExportFormat::Markdown : Exporter::formatFromName(formatName);
    if (!format)
        return failure(Error::invalidInput(
            {{u"format"_s, u"must be one of md, html, txt, pdf, json, legacy-json"_s}}));
    std::optional<Session> stored;
    Error error;
    const Session *session = ApiLookups::find(*m_engine, call.id, stored, &error);
    if (!session)
        return failure(error);
    // PDF lays text out with the fonts of a QGuiApplication (crosstalk serve and the window
    // have one).
    if (*format == ExportFormat::Pdf &&
        !qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return failure(Error{ErrorCode::Internal,
                             u"This process cannot write PDF (it has no QGuiApplication)."_s,
                             {}});
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (const std::optional<Error> failed = Exporter::write(*session, *format, buffer))
        return failure(*failed);
    return QHttpServerResponse(Exporter::mimeType(*format).toLatin1(), bytes);
}

namespace {

// {session_id, status} in Crosstalk's status names, after a run control request.
QHttpServerResponse statusReply(const Session &session)
{
    return QHttpServerResponse(QJsonObject{{u"session_id"_s, idText(session.id)},
                                           {u"status"_s, enumToString(session.status)}});
}

} // namespace

std::optional<QHttpServerResponse> RestServer::pause(const Call &call)
{
    if (const std::optional<Error> error = m_engine->pause(call.id))
        return failure(*error);
    if (const std::optional<Error> unsaved = m_engine->storageFault(call.id))
        return failure(*unsaved);
    return statusReply(*m_engine->session(call.id));
}

std::optional<QHttpServerResponse> RestServer::resume(const Call &call)
{
    // An optional body gives a session paused by a cap new caps: {"budget": {tokens, cost}}.
    BudgetChange budget;
    if (!call.request.body().trimmed().isEmpty()) {
        QJsonObject body;
        if (auto refused = readObject(call.request.body(), HttpError::Dialect::Crosstalk, &body))
            return refused;
        QList<FieldError> problems;
        JsonFields fields(body, QString(), problems);
        if (const auto caps = fields.object("budget"_L1, Presence::Nullable))
            budget = BudgetChange::fromJson(*caps, u"budget"_s, problems);
        fields.rejectUnknownKeys();
        if (!problems.isEmpty())
            return failure(Error::invalidInput(problems));
    }
    std::optional<Error> loadError;
    const Session *session = m_engine->load(call.id, &loadError);
    if (!session)
        return failure(loadError ? *loadError : OldToolOperations::noSession(idText(call.id)));
    // What was paused, stopped or interrupted resumes; run starts a configured session, and a
    // completed one has nothing left to do.
    if (session->status == SessionStatus::Configured || session->status == SessionStatus::Completed)
        return failure(Error{ErrorCode::Conflict,
                             session->status == SessionStatus::Configured
                                 ? u"The session has not started; run it first."_s
                                 : u"The session is completed."_s,
                             {{u"status"_s, enumToString(session->status)}}});
    if (!isRunning(session->status))
        if (const std::optional<Error> limited =
                OldToolOperations::runningLimit(*m_engine, m_maxRunning))
            return failure(*limited);
    if (!budget.isEmpty())
        if (const std::optional<Error> refused = m_engine->setBudget(call.id, budget))
            return failure(*refused);
    if (const std::optional<Error> error = m_engine->start(call.id))
        return failure(*error);
    return statusReply(*m_engine->session(call.id));
}

std::optional<QHttpServerResponse> RestServer::stop(const Call &call)
{
    if (const std::optional<Error> error = m_engine->stop(call.id))
        return failure(*error);
    if (const std::optional<Error> unsaved = m_engine->storageFault(call.id))
        return failure(*unsaved);
    return statusReply(*m_engine->session(call.id));
}

std::optional<QHttpServerResponse> RestServer::postMessage(const Call &call)
{
    QJsonObject body;
    if (auto refused = readObject(call.request.body(), HttpError::Dialect::Crosstalk, &body))
        return refused;
    constexpr qsizetype maxText = 100000;
    QList<FieldError> problems;
    for (auto it = body.constBegin(); it != body.constEnd(); ++it)
        if (it.key() != u"text"_s && it.key() != u"to"_s)
            problems.append({it.key().left(64), u"is not a field of a message (text, to)"_s});
    const QJsonValue text = body.value(u"text"_s);
    if (!text.isString() || text.toString().trimmed().isEmpty())
        problems.append({u"text"_s, u"must be a non-empty string"_s});
    else if (text.toString().size() > maxText)
        problems.append({u"text"_s, u"must be at most %1 characters"_s.arg(maxText)});
    QStringList recipients;
    const QJsonValue to = body.value(u"to"_s);
    if (!to.isUndefined() && !to.isArray()) {
        problems.append({u"to"_s, u"must be a list of participant names"_s});
    } else {
        const QJsonArray names = to.toArray();
        for (qsizetype i = 0; i < names.size(); ++i) {
            if (!names[i].isString())
                problems.append({u"to[%1]"_s.arg(i), u"must be a participant's name"_s});
            else
                recipients.append(names[i].toString());
        }
    }
    if (!problems.isEmpty())
        return failure(Error::invalidInput(problems));
    std::optional<Error> loadError;
    if (!m_engine->load(call.id, &loadError))
        return failure(loadError ? *loadError : OldToolOperations::noSession(idText(call.id)));
    if (std::optional<Error> error =
            m_engine->addHumanMessage(call.id, text.toString(), recipients)) {
        if (error->code == ErrorCode::InvalidArgument && !recipients.isEmpty())
            error = Error::invalidInput({{u"to"_s, error->message}});
        return failure(*error);
    }
    if (const std::optional<Error> unsaved = m_engine->storageFault(call.id))
        return failure(*unsaved);
    const Session *session = m_engine->session(call.id);
    return QHttpServerResponse(
        QJsonObject{{u"message"_s, SessionDocument::messageToJson(session->messages.last())}},
        Status::Created);
}

std::optional<QHttpServerResponse> RestServer::document(const Call &call)
{
    std::optional<Session> stored;
    Error error;
    const Session *session = ApiLookups::find(*m_engine, call.id, stored, &error);
    if (!session)
        return failure(error);
    return QHttpServerResponse(SessionDocument::toJson(*session));
}

std::optional<QHttpServerResponse> RestServer::models(const Call &)
{
    return QHttpServerResponse(
        QJsonObject{{u"models"_s, ApiLookups::models(m_engine->registry())}});
}

std::optional<QHttpServerResponse> RestServer::paradigms(const Call &)
{
    return QHttpServerResponse(QJsonObject{{u"paradigms"_s, ApiLookups::paradigms()}});
}

} // namespace Crosstalk
