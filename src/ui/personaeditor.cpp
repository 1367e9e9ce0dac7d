// SPDX-License-Identifier: GPL-3.0-or-later
#include "personaeditor.h"

#include "persona/persona.h"
#include "persona/placeholders.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>

#include <QAction>
#include <QDir>
#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTextBlock>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

// Loading the syntax definitions takes a while; every editor shares one repository.
KSyntaxHighlighting::Repository &repository()
{
    static KSyntaxHighlighting::Repository instance;
    return instance;
}

// The text after the front matter, for the character count even while the persona is invalid.
QString promptPart(const QString &text)
{
    static const QRegularExpression frontMatter(
        u"\\A---[ \\t]*\\r?\\n.*?^(---|\\.\\.\\.)[ \\t]*$\\r?\\n?"_s,
        QRegularExpression::MultilineOption | QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch match = frontMatter.match(text);
    return match.hasMatch() ? text.mid(match.capturedLength()) : text;
}

// Breeze's "negative" colour: readable on light and dark backgrounds alike.
const QColor kProblemColour(0xda, 0x44, 0x53);
const QColor kWarningColour(0xf6, 0x74, 0x00); // Breeze neutral: saved and used, but look

} // namespace

PersonaEditor::PersonaEditor(const QString &libraryFolder, const QString &fileName, QWidget *parent)
    : QWidget(parent)
    , m_folder(libraryFolder)
    , m_fileName(fileName)
    , m_path(QDir(libraryFolder).filePath(fileName))
{
    setAccessibleName(tr("Persona %1").arg(fileName));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);

    m_conflictBar = new QWidget(this);
    m_conflictBar->setObjectName(u"conflictBar"_s);
    m_conflictBar->setAutoFillBackground(true);
    m_conflictBar->setBackgroundRole(QPalette::AlternateBase);
    auto *barLayout = new QHBoxLayout(m_conflictBar);
    m_conflictText = new QLabel(m_conflictBar);
    m_conflictText->setWordWrap(true);
    m_conflictText->setTextFormat(Qt::PlainText);
    auto *reloadButton = new QPushButton(tr("&Reload"), m_conflictBar);
    reloadButton->setObjectName(u"conflictReload"_s);
    reloadButton->setToolTip(tr("Discard your edits and show the file as it is on disk"));
    auto *keepButton = new QPushButton(tr("&Keep Mine"), m_conflictBar);
    keepButton->setObjectName(u"conflictKeep"_s);
    keepButton->setToolTip(tr("Keep your edits; saving replaces the file on disk"));
    connect(reloadButton, &QPushButton::clicked, this, &PersonaEditor::reload);
    connect(keepButton, &QPushButton::clicked, this, &PersonaEditor::hideConflict);
    barLayout->addWidget(m_conflictText, 1);
    barLayout->addWidget(reloadButton);
    barLayout->addWidget(keepButton);
    m_conflictBar->hide();

    m_edit = new QPlainTextEdit(this);
    m_edit->setObjectName(u"personaText"_s);
    m_edit->setAccessibleName(tr("Persona text of %1").arg(fileName));
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setTabChangesFocus(false);
    m_edit->installEventFilter(this);
    m_highlighter = new KSyntaxHighlighting::SyntaxHighlighter(m_edit->document());
    m_highlighter->setDefinition(repository().definitionForName(u"Crosstalk Persona"_s));
    applyTheme();

    auto *footer = new QHBoxLayout;
    m_count = new QLabel(this);
    m_count->setObjectName(u"characterCount"_s);
    m_count->setAccessibleName(tr("Character count"));
    m_saveButton = new QPushButton(QIcon::fromTheme(u"document-save"_s), tr("&Save"), this);
    m_saveButton->setObjectName(u"savePersona"_s);
    m_saveButton->setToolTip(tr("Save the persona (Ctrl+S)"));
    m_revertButton = new QPushButton(QIcon::fromTheme(u"document-revert"_s), tr("Re&vert"), this);
    m_revertButton->setObjectName(u"revertPersona"_s);
    m_revertButton->setToolTip(tr("Discard unsaved edits"));
    footer->addWidget(m_count, 1);
    footer->addWidget(m_revertButton);
    footer->addWidget(m_saveButton);

    m_status = new QLabel(this);
    m_status->setObjectName(u"personaProblems"_s);
    m_status->setAccessibleName(tr("Problems"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    QPalette problemPalette = m_status->palette();
    problemPalette.setColor(QPalette::WindowText, kProblemColour);
    m_status->setPalette(problemPalette);

    // What would still be sent as written: the file can be saved and used.
    m_warnings = new QLabel(this);
    m_warnings->setObjectName(u"personaWarnings"_s);
    m_warnings->setAccessibleName(tr("Warnings"));
    m_warnings->setWordWrap(true);
    m_warnings->setTextFormat(Qt::PlainText);
    QPalette warningPalette = m_warnings->palette();
    warningPalette.setColor(QPalette::WindowText, kWarningColour);
    m_warnings->setPalette(warningPalette);
    m_warnings->hide();

    layout->addWidget(m_conflictBar);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_warnings);
    layout->addLayout(footer);

    auto *saveShortcut = new QAction(this);
    saveShortcut->setShortcut(QKeySequence::Save);
    saveShortcut->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(saveShortcut, &QAction::triggered, this, &PersonaEditor::save);
    addAction(saveShortcut);
    connect(m_saveButton, &QPushButton::clicked, this, &PersonaEditor::save);
    connect(m_revertButton, &QPushButton::clicked, this, &PersonaEditor::reload);
    connect(m_edit, &QPlainTextEdit::textChanged, this, &PersonaEditor::validate);
    connect(m_edit->document(), &QTextDocument::modificationChanged, this, [this](bool dirty) {
        m_revertButton->setEnabled(dirty);
        Q_EMIT dirtyChanged(dirty);
    });
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &PersonaEditor::onFileChanged);

    reload();
}

QString PersonaEditor::text() const
{
    return m_edit->toPlainText();
}

bool PersonaEditor::isDirty() const
{
    return m_edit->document()->isModified();
}

bool PersonaEditor::hasConflict() const
{
    return !m_conflictBar->isHidden();
}

bool PersonaEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Tab || key->key() == Qt::Key_Backtab) &&
            (key->modifiers() & Qt::ControlModifier)) {
            const bool back =
                key->key() == Qt::Key_Backtab || (key->modifiers() & Qt::ShiftModifier);
            focusNextPrevChild(!back);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void PersonaEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
    QWidget::changeEvent(event);
}

void PersonaEditor::applyTheme()
{
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    const auto theme =
        repository().defaultTheme(dark ? KSyntaxHighlighting::Repository::DarkTheme
                                       : KSyntaxHighlighting::Repository::LightTheme);
    if (m_highlighter->theme().name() == theme.name())
        return;
    m_highlighter->setTheme(theme);
    m_highlighter->rehighlight();
}

bool PersonaEditor::reload()
{
    hideConflict();
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_status->setText(tr("Cannot read %1: %2").arg(m_path, file.errorString()));
        return false;
    }
    if (file.size() > Persona::maxFileBytes) {
        m_status->setText(tr("%1 is larger than a persona may be (%L2 bytes); it was not opened.")
                              .arg(m_fileName)
                              .arg(Persona::maxFileBytes));
        m_edit->setReadOnly(true);
        return false;
    }
    m_diskBytes = file.readAll();
    const int cursor = m_edit->textCursor().position();
    // A file that is not valid UTF-8 opens with replacement characters where the bad bytes
    // were; the warning stays until the text is saved (as UTF-8).
    m_edit->setPlainText(QString::fromUtf8(m_diskBytes));
    QTextCursor restored = m_edit->textCursor();
    restored.setPosition(std::min(cursor, m_edit->document()->characterCount() - 1));
    m_edit->setTextCursor(restored);
    m_edit->document()->setModified(false);
    m_revertButton->setEnabled(false);
    if (!m_watcher->files().contains(m_path))
        m_watcher->addPath(m_path);
    validate();
    return true;
}

void PersonaEditor::validate()
{
    const QString text = m_edit->toPlainText();
    const Parsed<Persona> parsed = Persona::fromFileBytes(text.toUtf8(), m_fileName);
    m_problems.clear();
    for (const FieldError &error : parsed.errors)
        m_problems << error.toString();
    if (!isDirty()) {
        if (const qsizetype offset = invalidUtf8Offset(m_diskBytes); offset >= 0)
            m_problems << tr("The file is not valid UTF-8 (first bad byte at offset %1); saving "
                             "writes it as UTF-8 with the bad bytes replaced.")
                              .arg(offset);
    }
    // Every problem of the file, then every warning.
    m_status->setText(m_problems.join(u'\n'));
    m_status->setVisible(!m_problems.isEmpty());
    QStringList warnings;
    if (parsed) {
        for (const QString &name : findUnknownPlaceholders(parsed.value->prompt))
            warnings << tr("{{%1}} is not a placeholder Crosstalk fills (known: %2); it is sent "
                           "as written.")
                            .arg(name, knownPlaceholders().join(u", "_s));
        warnings << parsed.value->warnings;
    }
    m_warnings->setText(warnings.join(u'\n'));
    m_warnings->setVisible(!warnings.isEmpty());

    // The limit counts the prompt without front matter, in code points, trimmed.
    const QString prompt = parsed ? parsed.value->prompt : promptPart(text);
    const qsizetype count = prompt.trimmed().toUcs4().size();
    m_count->setText(tr("%L1 / %L2 characters").arg(count).arg(Persona::maxLength));
    QPalette countPalette = palette();
    if (count > Persona::maxLength || count < Persona::minLength)
        countPalette.setColor(QPalette::WindowText, kProblemColour);
    m_count->setPalette(countPalette);
    m_saveButton->setEnabled(parsed.value.has_value());
}

bool PersonaEditor::save()
{
    validate();
    const QString text = m_edit->toPlainText();
    const Parsed<Persona> parsed = Persona::fromFileBytes(text.toUtf8(), m_fileName);
    if (!parsed) {
        m_status->setText(tr("Not saved: %1").arg(m_problems.join(u'\n')));
        m_status->show();
        return false;
    }
    const QByteArray bytes = text.toUtf8();
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        m_status->setText(tr("Cannot save %1: %2").arg(m_path, file.errorString()));
        m_status->show();
        return false;
    }
    m_diskBytes = bytes;
    hideConflict();
    m_edit->document()->setModified(false);
    // An atomic save replaces the file, which ends the watch on the old one.
    m_watcher->removePath(m_path);
    m_watcher->addPath(m_path);
    validate();
    Q_EMIT saved(m_fileName);
    return true;
}

void PersonaEditor::onFileChanged()
{
    QFile file(m_path);
    if (!file.exists()) {
        showConflict(tr("%1 was deleted on disk. Save to write it again.").arg(m_fileName));
        m_edit->document()->setModified(true);
        return;
    }
    // Editors that save by replacing the file end the watch; watch the new file.
    if (!m_watcher->files().contains(m_path))
        m_watcher->addPath(m_path);
    QByteArray bytes;
    if (file.open(QIODevice::ReadOnly))
        bytes = file.read(Persona::maxFileBytes + 1);
    if (bytes == m_diskBytes)
        return; // our own save, or a touch without a change
    if (!isDirty()) {
        reload();
        return;
    }
    showConflict(tr("%1 was changed on disk by another program while you have unsaved edits.")
                     .arg(m_fileName));
}

void PersonaEditor::showConflict(const QString &message)
{
    m_conflictText->setText(message);
    m_conflictBar->show();
}

void PersonaEditor::hideConflict()
{
    m_conflictBar->hide();
}

} // namespace Crosstalk
