// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace Crosstalk {

// The one place where a provider's text loses every trace of the key it was sent (QUALITY.md
// R12). Servers echo keys whole ("Incorrect API key provided: sk-…") or in pieces
// ("sk-abc…xyz"), and a message cut to a length can end inside the key, so matching the whole
// key is not enough: every run of text made of pieces of the key at least kMinKeyPiece
// characters long becomes "[key removed]". Apply it to the provider's text before parsing,
// shortening or showing it anywhere.
namespace KeyRedaction {

inline constexpr qsizetype kMinKeyPiece = 8;
// Shorter keys are not real keys (tests, local servers); matching their pieces would eat
// ordinary words.
inline constexpr qsizetype kMinKeyLength = 4;

QString redact(QStringView text, QStringView key);
// For a raw body: the key's UTF-8 bytes are matched, so the result is redacted whatever the
// body's structure, before any parser or cut sees it.
QByteArray redact(QByteArrayView body, QStringView key);

// A base URL may carry a password (http://user:secret@host/v1), and Qt's network errors quote
// a URL whole: the password goes from `text`, as written in the URL and decoded (QUALITY.md
// R16).
QString withoutUrlPassword(QString text, const QUrl &url);

} // namespace KeyRedaction
} // namespace Crosstalk
