// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QProgressDialog>

#include <optional>

namespace Crosstalk {

class AppContext;

// Updates an older session store before the window opens, on a thread of its own, while this
// dialog shows how far it got: a large store takes a while, and a bar that moves (and a window
// that repaints) says the program is working, not hung.
class StoreUpdateDialog : public QProgressDialog
{
    Q_OBJECT

public:
    explicit StoreUpdateDialog(QWidget *parent = nullptr);

    // Runs the update and returns when it is done; the error when it failed.
    std::optional<Error> run(const AppContext &context);
};

} // namespace Crosstalk
