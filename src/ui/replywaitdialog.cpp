// SPDX-License-Identifier: GPL-3.0-or-later
#include "replywaitdialog.h"

#include "engine/engine.h"

using namespace Qt::StringLiterals;

namespace Crosstalk {

ReplyWaitDialog::ReplyWaitDialog(Engine *engine, const QList<QUuid> &sessions, QWidget *parent)
    : QProgressDialog(parent)
    , m_engine(engine)
    , m_sessions(sessions)
{
    setObjectName(u"quitWait"_s);
    setWindowTitle(tr("Quitting"));
    setWindowModality(Qt::WindowModal);
    setRange(0, 0);
    setMinimumDuration(0);
    setAutoReset(false);
    setCancelButtonText(tr("&Quit Now"));
    connect(engine, &Engine::event, this, &ReplyWaitDialog::update);
    connect(this, &QProgressDialog::canceled, this, [this] {
        m_done = true;
        Q_EMIT done();
    });
    update();
}

int ReplyWaitDialog::repliesInFlight(const Engine &engine, const QList<QUuid> &sessions)
{
    int count = 0;
    for (const QUuid &id : sessions)
        if (const Session *session = engine.session(id))
            count += int(std::count_if(
                session->messages.cbegin(), session->messages.cend(),
                [](const Message &m) { return m.status == MessageStatus::Streaming; }));
    return count;
}

void ReplyWaitDialog::update()
{
    if (m_done)
        return;
    const int left = repliesInFlight(*m_engine, m_sessions);
    if (left > 0) {
        setLabelText(
            tr("Waiting for the replies still coming in, so that none is cut short (%n left)…",
               nullptr, left));
        return;
    }
    m_done = true;
    Q_EMIT done();
}

} // namespace Crosstalk
