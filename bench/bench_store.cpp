// SPDX-License-Identifier: GPL-3.0-or-later
// P9: full-text search over 1,000,000 stored messages of about 200 words each, first page of
// hits, through SessionStore::search.
//
// The data set is generated once and cached outside the checkout, in
// $CROSSTALK_BENCH_CACHE or else ~/.cache/crosstalk-bench (CROSSTALK_BENCH_MESSAGES changes
// its size). Words follow a Zipf distribution over a synthetic vocabulary, as words in natural
// text do, so the queries below cover words found in nearly every message down to rare ones.
#include "storage/sessionstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

constexpr int vocabularySize = 30000;
constexpr int wordsPerMessage = 200;
constexpr int messagesPerSession = 100;
constexpr int pageSize = 20;
constexpr double targetMs = 50.0;

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

[[noreturn]] void fail(const QString &what)
{
    err() << "bench_store: " << what << Qt::endl;
    std::exit(1);
}

// Pronounceable, distinct words: a syllable per base-of-syllables digit of the index.
QStringList vocabulary()
{
    static const QStringList syllables{
        u"ka"_s,  u"lo"_s,  u"mi"_s,  u"ren"_s, u"tu"_s,  u"sa"_s,  u"vel"_s, u"do"_s,
        u"qui"_s, u"bar"_s, u"ne"_s,  u"fos"_s, u"gri"_s, u"ha"_s,  u"jun"_s, u"pe"_s,
        u"zor"_s, u"wi"_s,  u"xan"_s, u"yo"_s,  u"cla"_s, u"dre"_s, u"sto"_s, u"mun"_s,
    };
    QStringList words;
    words.reserve(vocabularySize);
    for (int i = 0; i < vocabularySize; ++i) {
        QString word;
        int n = i;
        do {
            word += syllables[n % syllables.size()];
            n /= int(syllables.size());
        } while (n > 0);
        words.append(word + syllables[(i * 7) % syllables.size()]);
    }
    return words;
}

// Cumulative Zipf weights (s = 1): word k is drawn with probability ∝ 1 / (k + 1).
std::vector<double> zipfCumulative()
{
    std::vector<double> cumulative(vocabularySize);
    double sum = 0;
    for (int k = 0; k < vocabularySize; ++k) {
        sum += 1.0 / (k + 1);
        cumulative[k] = sum;
    }
    for (double &c : cumulative) {
        c /= sum;
    }
    return cumulative;
}

void exec(QSqlQuery &query, const QString &sql)
{
    if (!query.exec(sql)) {
        fail(sql + u": "_s + query.lastError().text());
    }
    query.finish();
}

void generate(const QString &path, int messageCount)
{
    QFile::remove(path);
    {
        SessionStore store;
        if (auto opened = store.open(path); !opened) {
            fail(opened.error().message);
        }
    }
    const QStringList words = vocabulary();
    const std::vector<double> cumulative = zipfCumulative();
    QRandomGenerator random(42);
    QElapsedTimer timer;
    timer.start();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"generate"_s);
        db.setDatabaseName(path);
        if (!db.open()) {
            fail(db.lastError().text());
        }
        QSqlQuery query(db);
        // A throw-away file being filled once: no journal, no syncs, a large cache for the
        // full-text index's merges.
        exec(query, u"PRAGMA journal_mode = OFF"_s);
        exec(query, u"PRAGMA synchronous = OFF"_s);
        exec(query, u"PRAGMA cache_size = -1000000"_s);
        exec(query, u"BEGIN"_s);
        QSqlQuery session(db);
        session.prepare(u"INSERT INTO sessions (id, title, topic, search_text, paradigm, rounds, "
                        "options, participants, status, tokens_in, tokens_out, usage_estimated, "
                        "cost, message_count, completed_rounds, created_at, updated_at) VALUES "
                        "(?, ?, ?, ?, 'memory', 50, '{}', "
                        "'[{\"name\":\"A\"},{\"name\":\"B\"}]', 'completed', 0, 0, 0, 0, ?, 50, "
                        "?, ?)"_s);
        QSqlQuery message(db);
        message.prepare(u"INSERT INTO messages (id, session_id, seq, round, speaker, recipients, "
                        "type, content, tokens_in, tokens_out, usage_estimated, cost, status, "
                        "error, request, created_at) VALUES (?, ?, ?, ?, ?, '[]', 'exchange', ?, "
                        "0, 0, 0, 0, 'complete', '', '{}', ?)"_s);
        const qint64 start = QDateTime(QDate(2026, 1, 1), QTime(0, 0)).toMSecsSinceEpoch();
        QString sessionId;
        for (int i = 0; i < messageCount; ++i) {
            const int seq = i % messagesPerSession;
            if (seq == 0) {
                sessionId = QUuid::createUuid().toString(QUuid::WithoutBraces);
                const QString topic = u"Benchmark session %1"_s.arg(i / messagesPerSession);
                session.addBindValue(sessionId);
                session.addBindValue(topic);
                session.addBindValue(topic);
                session.addBindValue(topic.toCaseFolded());
                session.addBindValue(std::min(messagesPerSession, messageCount - i));
                session.addBindValue(start + i * 1000LL);
                session.addBindValue(start + i * 1000LL);
                if (!session.exec()) {
                    fail(session.lastError().text());
                }
            }
            QString content;
            content.reserve(wordsPerMessage * 8);
            for (int w = 0; w < wordsPerMessage; ++w) {
                const double u = random.generateDouble();
                const auto k = std::lower_bound(cumulative.cbegin(), cumulative.cend(), u) -
                               cumulative.cbegin();
                if (w > 0) {
                    content += w % 17 == 0 ? u". "_s : u" "_s;
                }
                content += words[std::min<qsizetype>(k, vocabularySize - 1)];
            }
            message.addBindValue(QUuid::createUuid().toString(QUuid::WithoutBraces));
            message.addBindValue(sessionId);
            message.addBindValue(seq);
            message.addBindValue(seq / 2);
            message.addBindValue(seq % 2 == 0 ? u"A"_s : u"B"_s);
            message.addBindValue(content);
            message.addBindValue(start + i * 1000LL);
            if (!message.exec()) {
                fail(message.lastError().text());
            }
            if ((i + 1) % 100000 == 0) {
                exec(query, u"COMMIT"_s);
                exec(query, u"BEGIN"_s);
                err() << "bench_store: generated " << (i + 1) << " messages in "
                      << timer.elapsed() / 1000 << " s" << Qt::endl;
            }
        }
        session.finish();
        message.finish();
        exec(query, u"COMMIT"_s);
        // One segment makes searches read one doclist per word, as a store settles to after
        // FTS5's automatic merges.
        exec(query, u"INSERT INTO message_fts (message_fts) VALUES ('optimize')"_s);
        exec(query, u"PRAGMA journal_mode = WAL"_s);
    }
    QSqlDatabase::removeDatabase(u"generate"_s);
    err() << "bench_store: generated " << messageCount << " messages in " << timer.elapsed() / 1000
          << " s" << Qt::endl;
}

QString cachePath(int messageCount)
{
    QString dir = qEnvironmentVariable("CROSSTALK_BENCH_CACHE");
    if (dir.isEmpty()) {
        dir = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
              u"/crosstalk-bench"_s;
    }
    QDir().mkpath(dir);
    return dir + u"/store-%1-messages.sqlite"_s.arg(messageCount);
}

double medianMs(SessionStore &store, const QString &query, qsizetype *hits)
{
    // The first run warms the page cache; a searched store is one a user has open.
    auto first = store.search(query, pageSize);
    if (!first) {
        fail(first.error().message);
    }
    *hits = first->size();
    std::vector<double> times;
    for (int run = 0; run < 7; ++run) {
        QElapsedTimer timer;
        timer.start();
        auto result = store.search(query, pageSize);
        times.push_back(timer.nsecsElapsed() / 1e6);
        if (!result) {
            fail(result.error().message);
        }
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (app.arguments().contains(u"--ids"_s)) {
        std::puts("P9");
        return 0;
    }
    bool sizeOk = false;
    int messageCount = qEnvironmentVariableIntValue("CROSSTALK_BENCH_MESSAGES", &sizeOk);
    if (!sizeOk || messageCount <= 0) {
        messageCount = 1000000;
    }
    const QString path = cachePath(messageCount);
    if (!QFile::exists(path)) {
        // Generated under another name and renamed when complete, so an interrupted run never
        // leaves a half-filled data set that later runs would measure.
        const QString partial = path + u".partial"_s;
        generate(partial, messageCount);
        if (!QFile::rename(partial, path)) {
            fail(u"cannot rename %1"_s.arg(partial));
        }
    }

    SessionStore store;
    if (auto opened = store.open(path); !opened) {
        fail(opened.error().message);
    }
    const QStringList words = vocabulary();
    struct Probe
    {
        QString label;
        QString query;
    };
    const QList<Probe> probes{
        {u"most common word"_s, words[0]},
        {u"word of rank 100"_s, words[100]},
        {u"word of rank 5000"_s, words[5000]},
        {u"rarest word"_s, words[vocabularySize - 1]},
        {u"two common words"_s, words[3] + u' ' + words[40]},
        {u"common and rare word"_s, words[1] + u' ' + words[20000]},
        {u"3-letter prefix"_s, words[200].left(3) + u'*'},
        {u"5-letter prefix"_s, words[200].left(5) + u'*'},
        {u"no match"_s, u"zzzzqqq"_s},
    };
    double worst = 0;
    QStringList parts;
    for (const Probe &probe : probes) {
        qsizetype hits = 0;
        const double ms = medianMs(store, probe.query, &hits);
        worst = std::max(worst, ms);
        parts.append(u"%1 %2 ms (%3 hits)"_s.arg(probe.label).arg(ms, 0, 'f', 2).arg(hits));
        err() << "bench_store: " << probe.label << " '" << probe.query << "': " << ms << " ms, "
              << hits << " hits" << Qt::endl;
    }
    const QJsonObject p9{
        {u"value"_s, std::round(worst * 100) / 100},
        {u"unit"_s, u"ms"_s},
        {u"target"_s, targetMs},
        {u"ok"_s, worst <= targetMs},
        {u"note"_s,
         QString(u"slowest median of 7 warm runs of SessionStore::search, first page of %1 "
                 "hits newest first, over %2 messages of %3 words (Zipf over %4 synthetic "
                 "words) in %5 sessions: "_s.arg(pageSize)
                     .arg(messageCount)
                     .arg(wordsPerMessage)
                     .arg(vocabularySize)
                     .arg((messageCount + messagesPerSession - 1) / messagesPerSession) +
                 parts.join(u"; "_s))},
    };
    std::puts(QJsonDocument(QJsonObject{{u"P9"_s, p9}}).toJson(QJsonDocument::Compact).constData());
    return 0;
}
