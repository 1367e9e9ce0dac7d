// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/keyredaction.h"

#include <QList>

#include <algorithm>
#include <bitset>
#include <string_view>
#include <unordered_set>

using namespace Qt::StringLiterals;

namespace Crosstalk::KeyRedaction {

namespace {

// The ranges [begin, end) of `text` covered by pieces of `key` of `piece` characters or more,
// merged where they touch or overlap. Every such piece is a chain of overlapping windows of
// `piece` characters of the key, so finding those windows finds every piece: one hash lookup
// per position, and positions whose last character is not in the key skip a whole window.
template<typename Char>
QList<std::pair<qsizetype, qsizetype>> keyPieces(std::basic_string_view<Char> text,
                                                 std::basic_string_view<Char> key)
{
    QList<std::pair<qsizetype, qsizetype>> ranges;
    const auto piece = qsizetype(std::min<size_t>(size_t(kMinKeyPiece), key.size()));
    if (qsizetype(text.size()) < piece)
        return ranges;
    std::unordered_set<std::basic_string_view<Char>> windows;
    std::bitset<256> inKey; // by the low byte of each character: a filter, not a test
    for (size_t i = 0; i + size_t(piece) <= key.size(); ++i)
        windows.insert(key.substr(i, size_t(piece)));
    for (const Char c : key)
        inKey.set(size_t(c) & 0xFF);

    const auto size = qsizetype(text.size());
    qsizetype i = 0;
    while (i + piece <= size) {
        if (!inKey.test(size_t(text[size_t(i + piece - 1)]) & 0xFF)) {
            i += piece;
            continue;
        }
        if (windows.contains(text.substr(size_t(i), size_t(piece)))) {
            if (!ranges.isEmpty() && ranges.last().second >= i)
                ranges.last().second = i + piece;
            else
                ranges.append({i, i + piece});
        }
        ++i;
    }
    return ranges;
}

} // namespace

QString redact(QStringView text, QStringView key)
{
    if (key.size() < kMinKeyLength)
        return text.toString();
    const std::u16string_view textView(text.utf16(), size_t(text.size()));
    const std::u16string_view keyView(key.utf16(), size_t(key.size()));
    const auto ranges = keyPieces(textView, keyView);
    if (ranges.isEmpty())
        return text.toString();
    QString result;
    result.reserve(text.size());
    qsizetype done = 0;
    for (const auto &[begin, end] : ranges) {
        result.append(text.sliced(done, begin - done));
        result.append(u"[key removed]"_s);
        done = end;
    }
    result.append(text.sliced(done));
    return result;
}

QByteArray redact(QByteArrayView body, QStringView key)
{
    if (key.size() < kMinKeyLength)
        return body.toByteArray();
    const QByteArray keyBytes = key.toUtf8();
    const std::string_view bodyView(body.data(), size_t(body.size()));
    const auto ranges = keyPieces(bodyView, std::string_view(keyBytes.data(), keyBytes.size()));
    if (ranges.isEmpty())
        return body.toByteArray();
    QByteArray result;
    result.reserve(body.size());
    qsizetype done = 0;
    for (const auto &[begin, end] : ranges) {
        result.append(body.sliced(done, begin - done));
        result.append("[key removed]");
        done = end;
    }
    result.append(body.sliced(done));
    return result;
}

QString withoutUrlPassword(QString text, const QUrl &url)
{
    for (const QUrl::ComponentFormattingOption form : {QUrl::FullyEncoded, QUrl::FullyDecoded}) {
        const QString password = url.password(form);
        if (password.isEmpty())
            continue;
        // "user:secret@host" becomes "user@host", as QUrl::RemovePassword writes it.
        text.replace(u':' + password + u'@', u"@"_s);
        text.replace(password, u"[password removed]"_s);
    }
    return text;
}

} // namespace Crosstalk::KeyRedaction
