// SPDX-License-Identifier: GPL-3.0-or-later
#include "apitoken.h"

#include "config/appidentity.h"
#include "config/secretstore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <array>

using namespace Qt::StringLiterals;

namespace Crosstalk::ApiToken {

namespace {

constexpr auto kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

QString readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    // A file someone made readable to others is tightened rather than replaced: the token in
    // it may already be in use by the user's scripts.
    constexpr auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                            QFileDevice::ReadOther | QFileDevice::WriteOther;
    if (file.permissions() & others)
        file.setPermissions(kOwnerOnly);
    return QString::fromUtf8(file.readAll()).trimmed();
}

// Creates the file with owner-only permissions in one step, so the token is never readable by
// others, not even for a moment.
QString writeFile(const QString &path, const QString &token)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return u"cannot create the folder of %1"_s.arg(path);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, kOwnerOnly))
        return u"cannot write %1: %2"_s.arg(path, file.errorString());
    const QByteArray bytes = token.toUtf8() + '\n';
    if (file.write(bytes) != bytes.size() || !file.flush())
        return u"cannot write %1: %2"_s.arg(path, file.errorString());
    return {};
}

void keepInFile(const QString &fallbackPath, const QString &token,
                const std::function<void(const Obtained &)> &done)
{
    if (const QString error = writeFile(fallbackPath, token); !error.isEmpty()) {
        // Another process may have created it first; then its token is the one.
        if (const QString existing = readFile(fallbackPath); !existing.isEmpty()) {
            done({existing, fallbackPath, {}});
            return;
        }
        done({{}, {}, error});
        return;
    }
    done({token, fallbackPath, {}});
}

} // namespace

QString secretName()
{
    return u"rest-api-token"_s;
}

QString defaultFallbackPath()
{
    return QFileInfo(AppIdentity::settingsFilePath()).dir().filePath(u"api-token"_s);
}

QString weakness(const QString &token, const QString &source)
{
    if (token.size() >= minimumLength)
        return {};
    return u"the token from %1 has %2 characters; it needs at least %3. Give none, and "
           "Crosstalk makes a strong one and keeps it ('crosstalk serve --print-token' shows "
           "it), or make one with 'openssl rand -base64 32'."_s.arg(source)
               .arg(token.size())
               .arg(minimumLength);
}

QString generate()
{
    std::array<quint32, 8> words;
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(words.data()), sizeof(words))
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool matches(QByteArrayView presented, QByteArrayView expected)
{
    // Digests have one length whatever was presented, and every byte is compared.
    const QByteArray a = QCryptographicHash::hash(presented, QCryptographicHash::Sha256);
    const QByteArray b = QCryptographicHash::hash(expected, QCryptographicHash::Sha256);
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0 && !expected.isEmpty();
}

void obtain(const QProcessEnvironment &environment, SecretStore *secrets,
            const QString &fallbackPath, QObject *context,
            std::function<void(const Obtained &)> done)
{
    const QString fromEnvironment =
        environment.value(QString::fromLatin1(environmentVariable)).trimmed();
    if (!fromEnvironment.isEmpty()) {
        const QString source = QString::fromLatin1(environmentVariable);
        if (const QString weak = weakness(fromEnvironment, source); !weak.isEmpty())
            done({{}, {}, weak});
        else
            done({fromEnvironment, source, {}});
        return;
    }
    if (!secrets) {
        if (const QString existing = readFile(fallbackPath); !existing.isEmpty())
            done({existing, fallbackPath, {}});
        else
            keepInFile(fallbackPath, generate(), done);
        return;
    }
    secrets->read(secretName(), context,
                  [secrets, fallbackPath, context, done](std::optional<QString> secret,
                                                         const QString &error) {
                      if (error.isEmpty() && secret && !secret->isEmpty()) {
                          done({*secret, u"the keychain"_s, {}});
                          return;
                      }
                      if (const QString existing = readFile(fallbackPath); !existing.isEmpty()) {
                          done({existing, fallbackPath, {}});
                          return;
                      }
                      const QString token = generate();
                      if (!error.isEmpty()) {
                          keepInFile(fallbackPath, token, done);
                          return;
                      }
                      secrets->write(secretName(), token, context,
                                     [token, fallbackPath, done](const QString &writeError) {
                                         if (writeError.isEmpty())
                                             done({token, u"the keychain"_s, {}});
                                         else
                                             keepInFile(fallbackPath, token, done);
                                     });
                  });
}

} // namespace Crosstalk::ApiToken
