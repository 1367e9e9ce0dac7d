// SPDX-License-Identifier: GPL-3.0-or-later
#include "personapanel.h"
#include "plaintextbox.h"

#include "persona/personalibrary.h"
#include "personaeditor.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

QString personaTemplate(const QString &name)
{
    return u"---\nname: %1\ndescription: \n---\nYou are {{name}}, taking part in a conversation "
           "with {{participants}} about {{topic}}.\n"_s.arg(name);
}

} // namespace

PersonaPanel::PersonaPanel(PersonaLibrary *library, QWidget *parent)
    : QWidget(parent)
    , m_library(library)
{
    setAccessibleName(tr("Persona editors"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);

    auto *buttons = new QHBoxLayout;
    const auto button = [this, buttons](const QString &icon, const QString &text,
                                        const QString &tip, const QString &name) {
        auto *b = new QToolButton(this);
        b->setIcon(QIcon::fromTheme(icon));
        b->setText(text);
        b->setToolTip(tip);
        b->setAccessibleName(tip);
        b->setObjectName(name);
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        buttons->addWidget(b);
        return b;
    };
    QToolButton *newButton =
        button(u"document-new"_s, tr("&New"), tr("New persona"), u"newPersona"_s);
    QToolButton *duplicate = button(u"edit-copy"_s, tr("D&uplicate"),
                                    tr("Duplicate the chosen persona"), u"duplicatePersona"_s);
    QToolButton *remove = button(u"edit-delete"_s, tr("&Delete"),
                                 tr("Delete the chosen persona file"), u"deletePersona"_s);
    buttons->addStretch(1);
    connect(newButton, &QToolButton::clicked, this, &PersonaPanel::newPersona);
    connect(duplicate, &QToolButton::clicked, this, &PersonaPanel::duplicatePersona);
    connect(remove, &QToolButton::clicked, this, &PersonaPanel::confirmDelete);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_files = new QListWidget(splitter);
    m_files->setObjectName(u"personaFiles"_s);
    m_files->setAccessibleName(tr("Persona files"));
    // Paths are shown as written, whatever the names hold (a tooltip may be rich text).
    m_files->setToolTip(
        Qt::convertFromPlainText(tr("Persona files in %1. Double-click or press Enter to edit.")
                                     .arg(QDir::toNativeSeparators(library->folder()))));
    connect(m_files, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { open(item->text()); });

    // The editors' place shows what goes there until a persona is opened.
    auto *editors = new QStackedWidget(splitter);
    auto *empty = new QLabel(tr("Persona prompts you open for editing appear here."), editors);
    empty->setForegroundRole(QPalette::PlaceholderText);
    empty->setWordWrap(true);
    empty->setAlignment(Qt::AlignCenter);
    m_tabs = new QTabWidget(editors);
    editors->addWidget(empty);
    editors->addWidget(m_tabs);
    m_tabs->setObjectName(u"personaTabs"_s);
    m_tabs->setAccessibleName(tr("Open personas"));
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &PersonaPanel::closeTab);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    // The editor gets most of the panel (the list's own size hint would take half of it);
    // the window keeps the split the user drags (splitState()).
    splitter->setSizes({1000, 3000});
    m_splitter = splitter;

    connect(m_tabs, &QTabWidget::currentChanged, editors, [this, editors] {
        editors->setCurrentWidget(m_tabs->count() == 0 ? editors->widget(0) : m_tabs);
    });

    auto *caption = new QLabel(tr("Persona &library:"), this);
    caption->setBuddy(m_files);
    layout->addWidget(caption);
    layout->addLayout(buttons);
    layout->addWidget(splitter, 1);

    connect(library, &PersonaLibrary::personaChanged, this, &PersonaPanel::refreshList);
    refreshList();
}

QByteArray PersonaPanel::splitState() const
{
    return m_splitter->saveState();
}

void PersonaPanel::restoreSplitState(const QByteArray &state)
{
    m_splitter->restoreState(state);
}

void PersonaPanel::refreshList()
{
    const QString selected = selectedFileName();
    m_files->clear();
    for (const QString &file : m_library->fileNames()) {
        auto *item = new QListWidgetItem(file, m_files);
        // A file that cannot be used says so here, not only when a session is started.
        const Parsed<Persona> persona = m_library->read(file);
        if (persona)
            continue;
        QStringList problems;
        for (const FieldError &error : persona.errors)
            problems << error.toString();
        item->setIcon(QIcon::fromTheme(u"data-error"_s, QIcon::fromTheme(u"dialog-error"_s)));
        item->setForeground(QColor(0xda, 0x44, 0x53));
        item->setToolTip(Qt::convertFromPlainText(
            tr("Cannot be used until fixed:\n%1").arg(problems.join(u'\n'))));
        item->setData(Qt::AccessibleDescriptionRole, tr("cannot be used"));
    }
    const auto matches = m_files->findItems(selected, Qt::MatchExactly);
    if (!matches.isEmpty())
        m_files->setCurrentItem(matches.first());
}

QString PersonaPanel::selectedFileName() const
{
    // The file chosen in the list, else the one being edited.
    if (const QListWidgetItem *item = m_files->currentItem())
        return item->text();
    const PersonaEditor *e = currentEditor();
    return e ? e->fileName() : QString();
}

PersonaEditor *PersonaPanel::editor(const QString &fileName) const
{
    for (int i = 0; i < m_tabs->count(); ++i)
        if (auto *e = qobject_cast<PersonaEditor *>(m_tabs->widget(i)); e->fileName() == fileName)
            return e;
    return nullptr;
}

PersonaEditor *PersonaPanel::currentEditor() const
{
    return qobject_cast<PersonaEditor *>(m_tabs->currentWidget());
}

PersonaEditor *PersonaPanel::open(const QString &fileName)
{
    if (PersonaEditor *existing = editor(fileName)) {
        m_tabs->setCurrentWidget(existing);
        return existing;
    }
    auto *e = new PersonaEditor(m_library->folder(), fileName, m_tabs);
    const int index = m_tabs->addTab(e, fileName);
    m_tabs->setTabToolTip(index, Qt::convertFromPlainText(QDir::toNativeSeparators(e->filePath())));
    connect(e, &PersonaEditor::dirtyChanged, this, [this, e] { updateTabTitle(e); });
    connect(e, &PersonaEditor::saved, this, &PersonaPanel::refreshList);
    m_tabs->setCurrentIndex(index);
    e->textEdit()->setFocus();
    return e;
}

void PersonaPanel::updateTabTitle(PersonaEditor *editor)
{
    const int index = m_tabs->indexOf(editor);
    if (index >= 0)
        m_tabs->setTabText(index,
                           editor->isDirty() ? editor->fileName() + u" ●"_s : editor->fileName());
}

bool PersonaPanel::closeTab(int index)
{
    auto *e = qobject_cast<PersonaEditor *>(m_tabs->widget(index));
    if (!e)
        return true;
    if (e->isDirty()) {
        m_tabs->setCurrentIndex(index);
        const auto answer = PlainTextBox::question(
            this, tr("Unsaved Persona"), tr("%1 has unsaved edits. Save them?").arg(e->fileName()),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        if (answer == QMessageBox::Cancel || (answer == QMessageBox::Save && !e->save()))
            return false;
    }
    m_tabs->removeTab(index);
    e->deleteLater();
    return true;
}

bool PersonaPanel::closeAll()
{
    for (int i = m_tabs->count() - 1; i >= 0; --i)
        if (qobject_cast<PersonaEditor *>(m_tabs->widget(i))->isDirty() && !closeTab(i))
            return false;
    return true;
}

QString PersonaPanel::askFileName(const QString &title, const QString &suggestion)
{
    const std::optional<QString> asked =
        PlainTextBox::askText(this, title, tr("File name in the persona library:"), suggestion);
    QString name = asked.value_or(QString()).trimmed();
    if (name.isEmpty())
        return {};
    if (!PersonaLibrary::isPersonaFileName(name))
        name += u".md"_s;
    return name;
}

QString PersonaPanel::createPersona(const QString &fileName, const QString &from)
{
    QString error;
    const QString path = QDir(m_library->folder()).filePath(fileName);
    // The library's own rules for names a client may write (no `..`, no absolute paths).
    if (!PersonaLibrary::isPersonaFileName(fileName) || QDir::isAbsolutePath(fileName) ||
        fileName.split(u'/').contains(u".."_s))
        error = tr("“%1” is not a persona file name: use a name ending in .md or .txt inside "
                   "the library.")
                    .arg(fileName);
    else if (QFileInfo::exists(path))
        error = tr("%1 already exists.").arg(fileName);
    if (error.isEmpty()) {
        QByteArray bytes;
        if (from.isEmpty()) {
            bytes = personaTemplate(QFileInfo(fileName).completeBaseName()).toUtf8();
        } else {
            QFile source(QDir(m_library->folder()).filePath(from));
            if (PersonaEditor *open = editor(from))
                bytes = open->text().toUtf8(); // what the user sees, edits included
            else if (source.open(QIODevice::ReadOnly))
                bytes = source.readAll();
            else
                error = tr("Cannot read %1: %2").arg(from, source.errorString());
        }
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile file(path);
        if (error.isEmpty() &&
            (!file.open(QIODevice::NewOnly) || file.write(bytes) != bytes.size()))
            error = tr("Cannot create %1: %2").arg(path, file.errorString());
    }
    if (!error.isEmpty()) {
        PlainTextBox::warning(this, tr("Persona"), error);
        return error;
    }
    refreshList();
    open(fileName);
    return {};
}

QString PersonaPanel::deletePersona(const QString &fileName)
{
    if (PersonaEditor *e = editor(fileName)) {
        m_tabs->removeTab(m_tabs->indexOf(e));
        e->deleteLater();
    }
    QFile file(QDir(m_library->folder()).filePath(fileName));
    if (!file.remove()) {
        const QString error = tr("Cannot delete %1: %2").arg(fileName, file.errorString());
        PlainTextBox::warning(this, tr("Persona"), error);
        return error;
    }
    refreshList();
    return {};
}

void PersonaPanel::newPersona()
{
    const QString name = askFileName(tr("New Persona"), u"persona.md"_s);
    if (!name.isEmpty())
        createPersona(name);
}

void PersonaPanel::duplicatePersona()
{
    const QString from = selectedFileName();
    if (from.isEmpty()) {
        PlainTextBox::information(this, tr("Duplicate Persona"),
                                  tr("Choose a persona in the list first."));
        return;
    }
    const QFileInfo info(from);
    const QString suggestion = (info.path() == u"."_s ? QString() : info.path() + u'/') +
                               info.completeBaseName() + u"-copy."_s + info.suffix();
    const QString name = askFileName(tr("Duplicate Persona"), suggestion);
    if (!name.isEmpty())
        createPersona(name, from);
}

void PersonaPanel::confirmDelete()
{
    const QString name = selectedFileName();
    if (name.isEmpty())
        return;
    const auto answer = PlainTextBox::question(
        this, tr("Delete Persona"),
        tr("Delete the persona file %1? Sessions that used it keep their copy of the text.")
            .arg(name),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        deletePersona(name);
}

} // namespace Crosstalk
