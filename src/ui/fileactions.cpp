// SPDX-License-Identifier: GPL-3.0-or-later
#include "fileactions.h"

#include "config/settings.h"
#include "conversation/sessiondocument.h"
#include "engine/engine.h"
#include "storage/sessionstore.h"
#include "storage/storeworker.h"
#include "transcriptmodel.h"

#include <QAction>
#include <QFile>
#include <QFileDialog>
#include <QMenu>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Crosstalk {

FileActions::FileActions(Engine *engine, TranscriptModel *transcript, QWidget *window)
    : QObject(window)
    , m_engine(engine)
    , m_transcript(transcript)
    , m_window(window)
{
    m_import = new QAction(QIcon::fromTheme(u"document-import"_s), tr("&Import Session…"), this);
    m_import->setShortcut(QKeySequence::Open);
    connect(m_import, &QAction::triggered, this, &FileActions::importSession);

    m_exportMenu = new QMenu(tr("&Export"), window);
    m_exportMenu->setIcon(QIcon::fromTheme(u"document-export"_s));
    const QList<std::pair<ExportFormat, QString>> formats = {
        {ExportFormat::Markdown, tr("&Markdown…")},
        {ExportFormat::Html, tr("&HTML…")},
        {ExportFormat::Pdf, tr("&PDF…")},
        {ExportFormat::Text, tr("Plain &Text…")},
        {ExportFormat::SessionDocument, tr("Session &Document (JSON)…")},
        {ExportFormat::LegacyJson, tr("&Old Tool's JSON…")},
    };
    for (const auto &[format, label] : formats) {
        QAction *action = m_exportMenu->addAction(label);
        if (format == ExportFormat::Markdown)
            action->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_E);
        connect(action, &QAction::triggered, this, [this, f = format] { exportSession(f); });
    }
}

void FileActions::setSessionOpen(bool open)
{
    m_exportMenu->setEnabled(open);
}

void FileActions::exportSession(ExportFormat format)
{
    const Session &shown = m_transcript->session();
    if (shown.id.isNull())
        return;
    QString name = shown.title;
    name.replace(QRegularExpression(u"[^\\p{L}\\p{N} _-]+"_s), u" "_s);
    name = name.simplified().left(60);
    const QString extension = Exporter::fileExtension(format);
    Settings settings;
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("Export Session"),
        settings.lastFolder() + u'/' + (name.isEmpty() ? u"crosstalk"_s : name) + u'.' + extension,
        tr("%1 files (*.%2)").arg(extension.toUpper(), extension));
    if (path.isEmpty())
        return;
    settings.rememberFolderOf(path);
    // The window may show only some pages of a stored session, without the stored requests;
    // the engine's copy is whole.
    m_engine->whenLoaded(
        shown.id, this, [this, id = shown.id, format, path](const std::optional<Error> &loaded) {
            const Session *session = loaded ? nullptr : m_engine->session(id);
            if (!session) {
                Q_EMIT errorOccurred(loaded ? loaded->message : tr("The session is gone."));
                return;
            }
            if (const auto error = Exporter::writeFile(*session, format, path))
                Q_EMIT errorOccurred(error->message);
            else
                Q_EMIT noteReady(tr("Exported to %1").arg(path));
        });
}

void FileActions::importSession()
{
    Settings settings;
    const QString path = QFileDialog::getOpenFileName(
        m_window, tr("Import Session"), settings.lastFolder(), tr("Session documents (*.json)"));
    if (path.isEmpty())
        return;
    settings.rememberFolderOf(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        Q_EMIT errorOccurred(tr("Cannot read %1: %2").arg(path, file.errorString()));
        return;
    }
    const Parsed<Session> parsed = SessionDocument::read(file.readAll());
    if (!parsed) {
        QStringList problems;
        for (const FieldError &e : parsed.errors.mid(0, 10))
            problems << e.toString();
        Q_EMIT errorOccurred(tr("%1 is not a session document Crosstalk can read:\n%2")
                                 .arg(path, problems.join(u'\n')));
        return;
    }
    StoreWorker *store = m_engine->reader();
    if (!store) {
        Q_EMIT errorOccurred(tr("Sessions cannot be kept: the session store is not open."));
        return;
    }
    // The user's own rare write goes through the reader thread: it answers by callback, and the
    // window shows the session once the store has it.
    store->submit(
        this, [session = *parsed.value](SessionStore &s) { return s.importSession(session); },
        [this, id = parsed.value->id](const StoreResult<SessionStore::Imported> &imported) {
            if (!imported) {
                Q_EMIT errorOccurred(imported.error().message);
                return;
            }
            Q_EMIT sessionOpened(id);
            if (*imported == SessionStore::Imported::AlreadyStored)
                Q_EMIT noteReady(tr("This session is already here."));
        });
}

} // namespace Crosstalk
