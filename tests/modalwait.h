// SPDX-License-Identifier: GPL-3.0-or-later
// Answers a dialog the code under test opens with exec(), which blocks the test until closed.
#pragma once

#include <QApplication>
#include <QTimer>
#include <QWidget>

#include <functional>

namespace Crosstalk::Test {

// Once the next modal dialog of type T shows, hands it to `act`, which fills it in and accepts
// or rejects it.
template<typename T>
void whenModalShows(std::function<void(T *)> act)
{
    auto *poll = new QTimer;
    poll->setInterval(20);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, act] {
        if (auto *dialog = qobject_cast<T *>(QApplication::activeModalWidget())) {
            poll->stop();
            poll->deleteLater();
            act(dialog);
        }
    });
    poll->start();
}

} // namespace Crosstalk::Test
