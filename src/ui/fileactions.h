// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "export/exporter.h"

#include <QObject>
#include <QUuid>

class QAction;
class QMenu;
class QWidget;

namespace Crosstalk {

class Engine;
class TranscriptModel;

// File → Import Session… and File → Export, as Kate's KateFileActions keeps a document's file
// commands out of its window: the file dialogs and what follows them. Import reads a session
// document into the store; export writes the session shown in the transcript in one of the
// export formats.
class FileActions : public QObject
{
    Q_OBJECT

public:
    FileActions(Engine *engine, TranscriptModel *transcript, QWidget *window);

    QAction *importAction() const { return m_import; }
    // One action per export format; disabled while no session is open.
    QMenu *exportMenu() const { return m_exportMenu; }
    void setSessionOpen(bool open);

    void importSession();
    void exportSession(ExportFormat format);

Q_SIGNALS:
    // An imported session, or one already in the store, to show.
    void sessionOpened(const QUuid &id);
    void errorOccurred(const QString &message);
    // What was done, for the status bar.
    void noteReady(const QString &message);

private:
    Engine *m_engine;
    TranscriptModel *m_transcript;
    QWidget *m_window;
    QAction *m_import;
    QMenu *m_exportMenu;
};

} // namespace Crosstalk
