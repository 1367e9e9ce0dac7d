// SPDX-License-Identifier: GPL-3.0-or-later
#include "testtls.h"

#include <QFile>
#include <QSslSocket>

using namespace Qt::StringLiterals;

namespace Crosstalk::Fake {

namespace {

QByteArray tlsFile(const QString &name)
{
    QFile file(QStringLiteral(CROSSTALK_FAKELLM_TLS_DIR) + u'/' + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

QSslCertificate testCertificate()
{
    return QSslCertificate(tlsFile(u"fakellm-test.crt"_s), QSsl::Pem);
}

QSslKey testPrivateKey()
{
    return QSslKey(tlsFile(u"fakellm-test.key"_s), QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
}

bool tlsAvailable()
{
    return QSslSocket::supportsSsl();
}

QString tlsBackendDescription()
{
    const QString available = QSslSocket::availableBackends().join(u", "_s);
    if (!tlsAvailable())
        return u"no TLS backend that supports TLS (available: %1)"_s.arg(
            available.isEmpty() ? u"none"_s : available);
    return u"%1 (%2)"_s.arg(QSslSocket::activeBackend(), QSslSocket::sslLibraryVersionString());
}

std::optional<QSslConfiguration> testServerTlsConfiguration(QString *error)
{
    if (!tlsAvailable()) {
        *error = tlsBackendDescription();
        return std::nullopt;
    }
    const QSslCertificate certificate = testCertificate();
    const QSslKey key = testPrivateKey();
    if (certificate.isNull() || key.isNull()) {
        *error = u"cannot read the test certificate and key in %1"_s.arg(
            QStringLiteral(CROSSTALK_FAKELLM_TLS_DIR));
        return std::nullopt;
    }
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(certificate);
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // no client certificates
    // The server speaks HTTP/1.1 only: a client offering h2 must not be told yes.
    configuration.setAllowedNextProtocols({QSslConfiguration::NextProtocolHttp1_1});
    return configuration;
}

bool trustTestCertificate()
{
    const QSslCertificate certificate = testCertificate();
    if (certificate.isNull())
        return false;
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.addCaCertificate(certificate);
    QSslConfiguration::setDefaultConfiguration(configuration);
    return true;
}

} // namespace Crosstalk::Fake
