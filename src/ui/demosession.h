// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/session.h"

namespace Crosstalk {

// A session on the built-in offline demo model, so someone without a key or a server can
// watch a conversation at once: Alice and Bob debate, a judge gives the verdict.
Session demoSessionDraft();

} // namespace Crosstalk
