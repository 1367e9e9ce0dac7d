// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>

#include <functional>

namespace Crosstalk {

class SecretStore;

// The bearer token of the REST API (PRODUCT.md §4, §6).
namespace ApiToken {

// The environment variable that overrides the stored token.
inline constexpr char environmentVariable[] = "CROSSTALK_API_TOKEN";
// The keychain entry that keeps it.
QString secretName();
// `api-token` in the folder of the settings file, for machines without a keychain.
QString defaultFallbackPath();

// Shorter tokens are refused wherever a person gives one (--token, CROSSTALK_API_TOKEN): they
// can be guessed (QUALITY.md R16). Those Crosstalk makes have 43.
inline constexpr qsizetype minimumLength = 32;
// Why `token`, given by `source` (e.g. "--token"), is refused, with how to get a good one;
// empty when it is long enough.
QString weakness(const QString &token, const QString &source);

// 32 random bytes from the system's secure source, base64url without padding.
QString generate();

// Compares in time independent of where the two differ (and of their lengths), so response
// times reveal nothing about the token.
bool matches(QByteArrayView presented, QByteArrayView expected);

struct Obtained
{
    QString token; // empty when `error` is set
    // Where it came from, for people: "CROSSTALK_API_TOKEN", "the keychain", or a file path.
    QString source;
    QString error;
};

// The token: CROSSTALK_API_TOKEN when set; else the one kept in the keychain; else the one in
// `fallbackPath`; else a new one, kept in the keychain or, when the keychain cannot be used,
// written to `fallbackPath` readable by the owner only. Answers once, in `context`'s thread.
void obtain(const QProcessEnvironment &environment, SecretStore *secrets,
            const QString &fallbackPath, QObject *context,
            std::function<void(const Obtained &)> done);

} // namespace ApiToken
} // namespace Crosstalk
