// SPDX-License-Identifier: GPL-3.0-or-later
#include "syntheticstore.h"

#include "storage/sessionstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTextStream>
#include <QUuid>

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

namespace Crosstalk::Bench {

namespace {

constexpr int vocabularySize = 30000;

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
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
    for (double &c : cumulative)
        c /= sum;
    return cumulative;
}

void exec(QSqlQuery &query, const QString &sql)
{
    if (!query.exec(sql))
        fail(sql + u": "_s + query.lastError().text());
    query.finish();
}

// One message's text: sentences of Zipf words; as Markdown, every third message has a code
// block, some words are bold and some paragraphs are list items.
QString messageText(QRandomGenerator &random, const QStringList &words,
                    const std::vector<double> &cumulative, const StoreShape &shape, int index)
{
    QString content;
    content.reserve(shape.wordsPerMessage * 9);
    for (int w = 0; w < shape.wordsPerMessage; ++w) {
        const double u = random.generateDouble();
        const auto k =
            std::lower_bound(cumulative.cbegin(), cumulative.cend(), u) - cumulative.cbegin();
        const QString &word = words[std::min<qsizetype>(k, vocabularySize - 1)];
        if (w > 0) {
            if (shape.markdown && w % 60 == 0)
                content += (w / 60) % 2 ? u".\n\n- "_s : u".\n\n"_s;
            else
                content += w % 17 == 0 ? u". "_s : u" "_s;
        }
        if (shape.markdown && w % 23 == 5)
            content += u"**"_s + word + u"**"_s;
        else
            content += word;
    }
    if (shape.markdown && index % 3 == 0)
        content += u".\n\n```cpp\nint main()\n{\n    const auto words = load(\"corpus\");\n"
                   "    for (const auto &w : words)\n        std::cout << w << '\\n';\n"
                   "    return 0;\n}\n```\n"_s;
    return content;
}

// The request a participant's reply was asked with: its persona and the `recent` messages.
QString requestText(const QString &speaker, const QStringList &recent)
{
    QJsonArray messages{
        QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"Be %1."_s.arg(speaker)}}};
    for (const QString &text : recent)
        messages.append(QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, text}});
    const QJsonObject body{{u"model"_s, u"gpt-4o"_s},
                           {u"messages"_s, messages},
                           {u"max_completion_tokens"_s, 1024},
                           {u"stream"_s, true},
                           {u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}}}};
    return QString::fromUtf8(QJsonDocument(body).toJson(QJsonDocument::Compact));
}

} // namespace

[[noreturn]] void fail(const QString &what)
{
    err() << QCoreApplication::applicationName() << ": " << what << Qt::endl;
    std::exit(1);
}

QStringList vocabulary()
{
    // Pronounceable, distinct words: a syllable per base-of-syllables digit of the index.
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

void generateStore(const QString &path, const StoreShape &shape)
{
    QFile::remove(path);
    {
        SessionStore store;
        if (auto opened = store.open(path); !opened)
            fail(opened.error().message);
    }
    const QStringList words = vocabulary();
    const std::vector<double> cumulative = zipfCumulative();
    QRandomGenerator random(42);
    QElapsedTimer timer;
    timer.start();
    const qint64 total = qint64(shape.sessions) * shape.messagesPerSession;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"generate"_s);
        db.setDatabaseName(path);
        if (!db.open())
            fail(db.lastError().text());
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
                        "(?, ?, ?, ?, 'memory', ?, '{\"answer_mode\":false,\"schedule\":"
                        "\"parallel\",\"context_window\":10,\"summarise_dropped\":false,"
                        "\"summariser_model\":\"\",\"moderator_model\":\"\"}', "
                        "'[{\"name\":\"A\",\"model\":\"big\",\"persona\":\"Be A.\"},"
                        "{\"name\":\"B\",\"model\":\"big\",\"persona\":\"Be B.\"}]', "
                        "'completed', 0, 0, 0, 0, ?, ?, ?, ?)"_s);
        QSqlQuery message(db);
        message.prepare(u"INSERT INTO messages (id, session_id, seq, round, speaker, recipients, "
                        "type, content, model_alias, model_id, model_kind, tokens_in, tokens_out, "
                        "usage_estimated, cost, status, error, request, created_at) VALUES (?, ?, "
                        "?, ?, ?, '[]', 'exchange', ?, 'big', 'gpt-4o', 'openai', 0, ?, 0, 0, "
                        "'complete', '', ?, ?)"_s);
        QStringList recent; // the context window of the next request
        const qint64 start = QDateTime(QDate(2026, 1, 1), QTime(0, 0)).toMSecsSinceEpoch();
        QString sessionId;
        for (qint64 i = 0; i < total; ++i) {
            const int seq = int(i % shape.messagesPerSession);
            const int rounds = (shape.messagesPerSession + 1) / 2;
            if (seq == 0) {
                sessionId = QUuid::createUuid().toString(QUuid::WithoutBraces);
                const QString topic = u"Benchmark session %1"_s.arg(i / shape.messagesPerSession);
                session.addBindValue(sessionId);
                session.addBindValue(topic);
                session.addBindValue(topic);
                session.addBindValue(topic.toCaseFolded());
                session.addBindValue(rounds);
                session.addBindValue(shape.messagesPerSession);
                session.addBindValue(rounds);
                session.addBindValue(start + i * 1000);
                session.addBindValue(start + i * 1000);
                if (!session.exec())
                    fail(session.lastError().text());
            }
            message.addBindValue(QUuid::createUuid().toString(QUuid::WithoutBraces));
            message.addBindValue(sessionId);
            message.addBindValue(seq);
            message.addBindValue(seq / 2);
            const QString speaker = seq % 2 == 0 ? u"A"_s : u"B"_s;
            const QString text = messageText(random, words, cumulative, shape, int(i));
            if (seq == 0)
                recent.clear();
            message.addBindValue(speaker);
            message.addBindValue(text);
            message.addBindValue(shape.wordsPerMessage * 4 / 3);
            message.addBindValue(shape.requests ? requestText(speaker, recent) : u"{}"_s);
            message.addBindValue(start + i * 1000);
            recent.append(text);
            if (recent.size() > 10)
                recent.removeFirst();
            if (!message.exec())
                fail(message.lastError().text());
            if ((i + 1) % 100000 == 0) {
                exec(query, u"COMMIT"_s);
                exec(query, u"BEGIN"_s);
                err() << QCoreApplication::applicationName() << ": generated " << (i + 1)
                      << " messages in " << timer.elapsed() / 1000 << " s" << Qt::endl;
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
    err() << QCoreApplication::applicationName() << ": generated " << total << " messages in "
          << timer.elapsed() / 1000 << " s" << Qt::endl;
}

QString cachedStore(const QString &name, const StoreShape &shape)
{
    QString dir = qEnvironmentVariable("CROSSTALK_BENCH_CACHE");
    if (dir.isEmpty())
        dir = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
              u"/crosstalk-bench"_s;
    QDir().mkpath(dir);
    const QString path = dir + u"/%1-v%2.sqlite"_s.arg(name).arg(SessionStore::schemaVersion());
    if (!QFile::exists(path)) {
        const QString partial = path + u".partial"_s;
        generateStore(partial, shape);
        if (!QFile::rename(partial, path))
            fail(u"cannot rename %1"_s.arg(partial));
    }
    return path;
}

} // namespace Crosstalk::Bench
