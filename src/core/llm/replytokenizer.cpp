// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/replytokenizer.h"

namespace Crosstalk::ReplyTokenizer {

namespace {

// Calls visit(begin, end) for each token of text.
template<typename Visit>
void forEachToken(QStringView text, Visit visit)
{
    qsizetype start = 0;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && text[i].isSpace())
            ++i;
        while (i < n && !text[i].isSpace())
            ++i;
        visit(start, i);
        start = i;
    }
}

} // namespace

QStringList split(QStringView text)
{
    QStringList tokens;
    forEachToken(text, [&](qsizetype begin, qsizetype end) {
        tokens.append(text.sliced(begin, end - begin).toString());
    });
    return tokens;
}

qsizetype count(QStringView text)
{
    qsizetype n = 0;
    forEachToken(text, [&](qsizetype, qsizetype) { ++n; });
    return n;
}

} // namespace Crosstalk::ReplyTokenizer
