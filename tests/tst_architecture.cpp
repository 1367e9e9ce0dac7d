// SPDX-License-Identifier: GPL-3.0-or-later
// The layering of docs/architecture.md, read from the sources: a change that breaks a rule fails
// here and names the include that broke it. Each rule is one test function over the tree of
// src/ read once.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;

namespace {

// One #include line of a source file.
struct Include
{
    QString file; // relative to the checkout, e.g. src/core/engine/engine.cpp
    int line = 0;
    QString target; // as written between the quotes or the angle brackets
    bool quoted = true;

    QString describe() const
    {
        const QString written = quoted ? u'"' + target + u'"' : u'<' + target + u'>';
        return file + u':' + QString::number(line) + u" includes " + written;
    }
};

// Every .h and .cpp under src/, with its includes.
class SourceTree
{
public:
    bool read(const QString &checkout)
    {
        static const QRegularExpression include(uR"(^\s*#\s*include\s*([<"])([^">]+)[">])"_s);
        QDirIterator it(checkout + u"/src"_s, {u"*.h"_s, u"*.cpp"_s}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            if (!file.open(QIODevice::ReadOnly))
                return false;
            const QString path = file.fileName().mid(checkout.size() + 1);
            m_files.insert(path);
            const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
            m_lines.insert(path, lines);
            for (int i = 0; i < lines.size(); ++i)
                if (const QRegularExpressionMatch match = include.match(lines.at(i));
                    match.hasMatch())
                    m_includes.append({path, i + 1, match.captured(2), match.captured(1) == u"\""});
        }
        return !m_files.isEmpty();
    }

    bool contains(const QString &path) const { return m_files.contains(path); }

    // Every file with its lines, by path relative to the checkout.
    const QHash<QString, QStringList> &lines() const { return m_lines; }

    // The includes of the files under `folder` (e.g. src/ui/).
    QList<Include> includesUnder(const QString &folder) const
    {
        QList<Include> result;
        for (const Include &include : m_includes)
            if (include.file.startsWith(folder))
                result.append(include);
        return result;
    }

    // The folders right under `folder` that hold sources, e.g. llm for src/core/.
    QStringList foldersUnder(const QString &folder) const
    {
        QSet<QString> names;
        for (const QString &path : m_files)
            if (path.startsWith(folder) && path.indexOf(u'/', folder.size()) > 0)
                names.insert(path.mid(folder.size()).section(u'/', 0, 0));
        QStringList sorted(names.cbegin(), names.cend());
        sorted.sort();
        return sorted;
    }

private:
    QSet<QString> m_files;
    QHash<QString, QStringList> m_lines;
    QList<Include> m_includes;
};

// Folder → folder it includes → the first include that makes the arrow.
using FolderGraph = QMap<QString, QMap<QString, Include>>;

// A cycle in `graph`: the folders along it, the first repeated at the end; empty if none.
QStringList findCycle(const FolderGraph &graph)
{
    enum class Mark
    {
        Unseen,
        OnPath,
        Done
    };
    QHash<QString, Mark> marks;
    QStringList path;
    std::function<QStringList(const QString &)> visit = [&](const QString &folder) -> QStringList {
        marks.insert(folder, Mark::OnPath);
        path.append(folder);
        const QMap<QString, Include> arrows = graph.value(folder);
        for (auto it = arrows.cbegin(); it != arrows.cend(); ++it) {
            const Mark mark = marks.value(it.key(), Mark::Unseen);
            if (mark == Mark::OnPath)
                return path.mid(path.indexOf(it.key())) << it.key();
            if (mark == Mark::Unseen)
                if (QStringList cycle = visit(it.key()); !cycle.isEmpty())
                    return cycle;
        }
        path.removeLast();
        marks.insert(folder, Mark::Done);
        return {};
    };
    for (auto it = graph.cbegin(); it != graph.cend(); ++it)
        if (marks.value(it.key(), Mark::Unseen) == Mark::Unseen)
            if (QStringList cycle = visit(it.key()); !cycle.isEmpty())
                return cycle;
    return {};
}

} // namespace

class TestArchitecture : public QObject
{
    Q_OBJECT

    SourceTree m_tree;

private slots:
    void initTestCase()
    {
        QVERIFY2(m_tree.read(QStringLiteral(CROSSTALK_SOURCE_DIR)),
                 "cannot read the sources under " CROSSTALK_SOURCE_DIR "/src");
    }

    // The folders of src/core are layers: each includes only folders below it, so any one of
    // them can be read, tested and changed knowing only what lies beneath.
    void coreFoldersIncludeEachOtherOneWay()
    {
        const QString core = u"src/core/"_s;
        const QStringList folders = m_tree.foldersUnder(core);
        FolderGraph graph;
        for (const Include &include : m_tree.includesUnder(core)) {
            const QString from = include.file.mid(core.size()).section(u'/', 0, 0);
            const QString to = include.target.section(u'/', 0, 0);
            if (include.quoted && include.target.contains(u'/') && to != from &&
                folders.contains(to) && !graph[from].contains(to))
                graph[from].insert(to, include);
        }
        QVERIFY2(graph.size() > 1, "found no includes between the folders of src/core");

        const QStringList cycle = findCycle(graph);
        QStringList report;
        for (qsizetype i = 0; i + 1 < cycle.size(); ++i)
            report << u"  "_s + graph[cycle.at(i)][cycle.at(i + 1)].describe();
        QVERIFY2(cycle.isEmpty(), qPrintable(u"src/core folders include each other in a cycle, "_s +
                                             cycle.join(u" → "_s) + u":\n"_s + report.join(u'\n')));
    }

    // The widgets never see the HTTP server: the app hands the window what it needs of it.
    void uiIncludesNoServerHeader()
    {
        const QList<Include> includes = m_tree.includesUnder(u"src/ui/"_s);
        QVERIFY2(!includes.isEmpty(), "found no includes in src/ui");
        QStringList offending;
        for (const Include &include : includes) {
            // As the compiler looks: beside the including file first (quotes only), then in the
            // include folders, of which src/server is one for whoever links crosstalk_server.
            const QString beside =
                QDir::cleanPath(include.file.section(u'/', 0, -2) + u'/' + include.target);
            const bool found = include.quoted && m_tree.contains(beside);
            if ((found && beside.startsWith(u"src/server/"_s)) ||
                (!found && m_tree.contains(u"src/server/"_s + include.target)))
                offending << u"  "_s + include.describe();
        }
        QVERIFY2(offending.isEmpty(),
                 qPrintable(u"src/ui includes headers of src/server:\n"_s + offending.join(u'\n')));
    }

    // One composition root: the application context builds the Engine (and what it runs on)
    // for the window, every command and the servers; nothing else in src/ wires one up.
    void onlyTheApplicationContextConstructsAnEngine()
    {
        static const QRegularExpression construction(
            uR"((make_unique<\s*(Crosstalk::)?Engine\s*>|\bnew\s+(Crosstalk::)?Engine\b\s*[({]|^\s*(Crosstalk::)?Engine\s+\w+\s*[({]))"_s);
        const QString home = u"src/core/context/appcontext.cpp"_s;
        QStringList offending;
        bool foundHome = false;
        const QHash<QString, QStringList> &files = m_tree.lines();
        for (auto it = files.cbegin(); it != files.cend(); ++it)
            for (qsizetype i = 0; i < it->size(); ++i)
                if (construction.match(it->at(i)).hasMatch()) {
                    if (it.key() == home)
                        foundHome = true;
                    else
                        offending << u"  %1:%2: %3"_s.arg(it.key()).arg(i + 1).arg(
                            it->at(i).trimmed());
                }
        QVERIFY2(foundHome, qPrintable(u"no Engine is constructed in "_s + home));
        QVERIFY2(offending.isEmpty(),
                 qPrintable(u"an Engine is constructed outside the application context:\n"_s +
                            offending.join(u'\n')));
    }

    // The window, the engine and the servers reach the store through its worker threads
    // (Engine::reader(), the persister), never through a connection of the main thread: no
    // SessionStore pointer is asked for and no Qt SQL is used there.
    void noSqlOnTheMainThreadOfTheWindowEngineOrServers()
    {
        static const QRegularExpression direct(
            uR"((store\(\)\s*(->|\.)|QSql(Query|Database)|<QtSql|<QSql))"_s);
        QStringList offending;
        const QHash<QString, QStringList> &files = m_tree.lines();
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            if (!it.key().startsWith(u"src/ui/"_s) && !it.key().startsWith(u"src/server/"_s) &&
                !it.key().startsWith(u"src/core/engine/"_s))
                continue;
            for (qsizetype i = 0; i < it->size(); ++i)
                if (direct.match(it->at(i)).hasMatch())
                    offending << u"  %1:%2: %3"_s.arg(it.key()).arg(i + 1).arg(it->at(i).trimmed());
        }
        QVERIFY2(offending.isEmpty(), qPrintable(u"the store used outside its worker threads:\n"_s +
                                                 offending.join(u'\n')));
    }

    // A file a reader can hold in mind: past this, split it along its seams.
    void noFileIsOverSevenHundredLines()
    {
        constexpr qsizetype limit = 700;
        QStringList offending;
        const QHash<QString, QStringList> &files = m_tree.lines();
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            // A file ending in a newline splits into one empty string more than it has lines.
            const qsizetype count = it->size() - (it->isEmpty() || !it->last().isEmpty() ? 0 : 1);
            if (count > limit)
                offending << u"  %1: %2 lines"_s.arg(it.key()).arg(count);
        }
        offending.sort();
        QVERIFY2(offending.isEmpty(), qPrintable(u"files in src/ over %1 lines:\n"_s.arg(limit) +
                                                 offending.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestArchitecture)
#include "tst_architecture.moc"
