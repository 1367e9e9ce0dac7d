// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>

#include <optional>

// The fake LLM server's HTTPS: a self-signed test certificate and its key, committed in
// tests/support/tls/ (how they were made is in tests/support/README.md, "HTTPS"). The key is
// public and for tests only: the product never links this code, and trusts no such thing.
namespace Crosstalk::Fake {

// The certificate, for 127.0.0.1, ::1 and localhost; null when the file cannot be read.
QSslCertificate testCertificate();
QSslKey testPrivateKey();

// What FakeLlmServer::setTls() takes to serve with the test certificate (HTTP/1.1 only, no
// client certificates); empty, with `error` set, when the TLS backend or the files are missing.
std::optional<QSslConfiguration> testServerTlsConfiguration(QString *error);

// Adds the test certificate as a CA to this process's default TLS configuration, which every
// QNetworkRequest without a configuration of its own uses: the test's or benchmark's
// QNetworkAccessManager then trusts the fake server, and only it (no system roots are loaded
// on demand any more). For tests and benchmarks; returns false if the certificate is missing.
bool trustTestCertificate();

// Whether this process can speak TLS at all, and what it has, for messages: "openssl
// (OpenSSL 3.5.1 …)" or "no TLS backend (available: …)".
bool tlsAvailable();
QString tlsBackendDescription();

} // namespace Crosstalk::Fake
