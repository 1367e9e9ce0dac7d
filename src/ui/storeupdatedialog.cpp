// SPDX-License-Identifier: GPL-3.0-or-later
#include "storeupdatedialog.h"

#include "config/appidentity.h"
#include "context/appcontext.h"
#include "storage/progresssteps.h"

#include <QEventLoop>
#include <QPointer>
#include <QThread>

#include <memory>

namespace Crosstalk {

StoreUpdateDialog::StoreUpdateDialog(QWidget *parent)
    : QProgressDialog(parent)
{
    setWindowTitle(AppIdentity::displayName());
    setLabelText(tr("Updating your sessions for this version of Crosstalk. This happens once; "
                    "a large store takes a minute."));
    // The update cannot be stopped halfway: it is one transaction, and the window needs it.
    setCancelButton(nullptr);
    setRange(0, 100);
    setMinimumDuration(0);
    setAutoClose(false);
    setAutoReset(false);
}

std::optional<Error> StoreUpdateDialog::run(const AppContext &context)
{
    setValue(0);
    show();
    std::optional<Error> error;
    const QPointer<StoreUpdateDialog> dialog(this);
    const auto progress = progressInSteps(1, [dialog](int percent) {
        QMetaObject::invokeMethod(
            dialog, [dialog, percent] { dialog->setValue(percent); }, Qt::QueuedConnection);
    });
    std::unique_ptr<QThread> thread(
        QThread::create([&context, &error, progress] { error = context.updateStore(progress); }));
    QEventLoop loop;
    connect(thread.get(), &QThread::finished, &loop, &QEventLoop::quit);
    thread->start();
    loop.exec();
    thread->wait();
    return error;
}

} // namespace Crosstalk
