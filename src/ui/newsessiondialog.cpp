// SPDX-License-Identifier: GPL-3.0-or-later
#include "newsessiondialog.h"
#include "budgetdialog.h"

#include "config/settings.h"
#include "conversation/preset.h"
#include "engine/engine.h"
#include "modelsettings.h"
#include "persona/personalibrary.h"
#include "persona/placeholders.h"
#include "storage/storeworker.h"
#include "topologypicture.h"

#include <QCheckBox>
#include <QColorDialog>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

QIcon swatch(const QColor &colour)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(Qt::gray, 1));
    painter.setBrush(colour);
    painter.drawRoundedRect(QRectF(0.5, 0.5, 15, 15), 3, 3);
    return QIcon(pixmap);
}

QString fieldOf(const QString &path)
{
    if (path == u"topic"_s || path == u"title"_s)
        return u"topic"_s;
    if (path.startsWith(u"participants"_s))
        return u"participants"_s;
    if (path == u"rounds"_s)
        return u"rounds"_s;
    if (path == u"options.moderator_model"_s)
        return u"moderator"_s;
    if (path == u"options.summariser_model"_s)
        return u"summariser"_s;
    if (path.startsWith(u"options"_s))
        return u"options"_s;
    return u"general"_s;
}

} // namespace

// Persona combo data: {source, text}. A library file has its name and no text (read when the
// session is made, so the latest saved version is used); text from a preset has both.
QStringList NewSessionDialog::personaData(const QString &source, const QString &text)
{
    return {source, text};
}

// "participants[1].name: …" as people read it: "Participant 2, name: …".
QString NewSessionDialog::readable(const FieldError &error)
{
    static const QRegularExpression participant(u"^participants\\[(\\d+)\\]\\.?"_s);
    QString path = error.path;
    const QRegularExpressionMatch match = participant.match(path);
    if (match.hasMatch()) {
        const QString rest = path.mid(match.capturedLength());
        path = NewSessionDialog::tr("Participant %1").arg(match.captured(1).toInt() + 1) +
               (rest.isEmpty() ? QString() : u", "_s + rest);
    } else if (path.startsWith(u"options."_s)) {
        path = path.mid(8).replace(u'_', u' ');
    }
    return path.isEmpty() ? error.problem : path + u": "_s + error.problem;
}

NewSessionDialog::NewSessionDialog(Engine *engine, const PersonaLibrary *library, QWidget *parent)
    : QDialog(parent)
    , m_engine(engine)
    , m_library(library)
{
    setWindowTitle(tr("New Session"));
    setObjectName(u"NewSessionDialog"_s);
    // The slots' personas chosen with load_system_prompt, for participants given none.
    if (StoreWorker *reader = engine->reader())
        reader->submit(this, &SlotPersonas::readFrom,
                       [this](const StoreResult<SlotPersonas::Stored> &stored) {
                           if (stored) {
                               m_storedSlotPersonas = *stored;
                               nameDefaultPersonas();
                           }
                       });
    auto *layout = new QVBoxLayout(this);

    // Topic.
    auto *topicLabel = new QLabel(tr("&Topic:"), this);
    m_topic = new QPlainTextEdit(this);
    m_topic->setObjectName(u"topic"_s);
    m_topic->setAccessibleName(tr("Topic"));
    m_topic->setTabChangesFocus(true);
    m_topic->setPlaceholderText(tr("What should the participants talk about?"));
    m_topic->setFixedHeight(m_topic->fontMetrics().lineSpacing() * 3 + 16);
    topicLabel->setBuddy(m_topic);
    layout->addWidget(topicLabel);
    layout->addWidget(m_topic);
    layout->addWidget(problemLabel(u"topic"_s));

    // Participants.
    auto *participantsLabel = new QLabel(tr("&Participants:"), this);
    m_participants = new QTableWidget(0, 4, this);
    m_participants->setObjectName(u"participants"_s);
    m_participants->setAccessibleName(tr("Participants"));
    m_participants->setHorizontalHeaderLabels(
        {tr("Name"), tr("Model"), tr("Persona"), tr("Colour")});
    m_participants->verticalHeader()->hide();
    m_participants->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_participants->setSelectionMode(QAbstractItemView::SingleSelection);
    QHeaderView *header = m_participants->horizontalHeader();
    header->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(ModelColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(PersonaColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(ColourColumn, QHeaderView::ResizeToContents);
    m_participants->verticalHeader()->setDefaultSectionSize(
        m_participants->verticalHeader()->defaultSectionSize() + 6);
    m_participants->setMinimumHeight(m_participants->verticalHeader()->defaultSectionSize() * 4 +
                                     header->sizeHint().height() + 4);
    participantsLabel->setBuddy(m_participants);
    auto *rowButtons = new QHBoxLayout;
    auto *add = new QPushButton(QIcon::fromTheme(u"list-add"_s), tr("&Add"), this);
    add->setObjectName(u"addParticipant"_s);
    add->setToolTip(tr("Add a participant (up to %1)").arg(Session::maxParticipants));
    auto *remove = new QPushButton(QIcon::fromTheme(u"list-remove"_s), tr("&Remove"), this);
    remove->setObjectName(u"removeParticipant"_s);
    remove->setToolTip(tr("Remove the chosen participant"));
    connect(add, &QPushButton::clicked, this, &NewSessionDialog::addRow);
    connect(remove, &QPushButton::clicked, this, &NewSessionDialog::removeRow);
    rowButtons->addWidget(participantsLabel);
    rowButtons->addStretch(1);
    rowButtons->addWidget(add);
    rowButtons->addWidget(remove);
    layout->addLayout(rowButtons);
    layout->addWidget(m_participants, 1);
    layout->addWidget(problemLabel(u"participants"_s));
    // What a chosen persona would send as written (a misspelt placeholder), before Start.
    m_personaNotes = new QLabel(this);
    m_personaNotes->setObjectName(u"personaNotes"_s);
    m_personaNotes->setWordWrap(true);
    m_personaNotes->setTextFormat(Qt::PlainText);
    QPalette notePalette = m_personaNotes->palette();
    notePalette.setColor(QPalette::WindowText, QColor(0xf6, 0x74, 0x00)); // Breeze neutral
    m_personaNotes->setPalette(notePalette);
    m_personaNotes->hide();
    layout->addWidget(m_personaNotes);

    // Paradigm and options, side by side.
    auto *middle = new QHBoxLayout;
    auto *paradigmBox = new QGroupBox(tr("Paradigm"), this);
    auto *paradigmLayout = new QVBoxLayout(paradigmBox);
    m_paradigm = new QComboBox(paradigmBox);
    m_paradigm->setObjectName(u"paradigm"_s);
    m_paradigm->setAccessibleName(tr("Paradigm"));
    for (const ParadigmInfo &paradigm : paradigmTable)
        m_paradigm->addItem(paradigm.label.translated(), QString(paradigm.name));
    m_paradigmDescription = new QLabel(paradigmBox);
    m_paradigmDescription->setObjectName(u"paradigmDescription"_s);
    m_paradigmDescription->setWordWrap(true);
    m_picture = new TopologyPicture(paradigmBox);
    paradigmLayout->addWidget(m_paradigm);
    paradigmLayout->addWidget(m_paradigmDescription);
    paradigmLayout->addWidget(m_picture, 0, Qt::AlignHCenter);
    paradigmLayout->addStretch(1);

    auto *optionsBox = new QGroupBox(tr("Options"), this);
    auto *form = new QFormLayout(optionsBox);
    m_rounds = new QSpinBox(optionsBox);
    m_rounds->setObjectName(u"rounds"_s);
    m_rounds->setRange(Session::minRounds, Session::maxRounds);
    m_rounds->setValue(5);
    m_rounds->setToolTip(tr("Round 0, the openings, counts as one"));
    form->addRow(tr("&Rounds:"), m_rounds);
    form->addRow(QString(), problemLabel(u"rounds"_s));
    m_answerMode = new QCheckBox(tr("Ask for a final &answer and vote"), optionsBox);
    m_answerMode->setObjectName(u"answerMode"_s);
    form->addRow(tr("Answer mode:"), m_answerMode);
    m_schedule = new QComboBox(optionsBox);
    m_schedule->setObjectName(u"schedule"_s);
    m_schedule->addItem(tr("Parallel: all at once"), QVariant::fromValue(Schedule::Parallel));
    m_schedule->addItem(tr("Sequential: in turns"), QVariant::fromValue(Schedule::Sequential));
    form->addRow(tr("&Schedule:"), m_schedule);
    m_contextWindow = new QSpinBox(optionsBox);
    m_contextWindow->setObjectName(u"contextWindow"_s);
    m_contextWindow->setRange(1, 1000);
    m_contextWindow->setValue(SessionOptions::defaultContextWindow);
    m_contextWindow->setSuffix(tr(" messages"));
    form->addRow(tr("&Context window:"), m_contextWindow);
    m_summarise = new QCheckBox(tr("Summarise messages that drop out"), optionsBox);
    m_summarise->setObjectName(u"summariseDropped"_s);
    form->addRow(tr("Summaries:"), m_summarise);
    m_summariser = new QComboBox(optionsBox);
    m_summariser->setObjectName(u"summariserModel"_s);
    m_summariser->setToolTip(tr("Writes the summaries of what the context window drops"));
    m_summariser->setEnabled(false);
    connect(m_summarise, &QCheckBox::toggled, m_summariser, &QWidget::setEnabled);
    form->addRow(tr("Summa&riser:"), m_summariser);
    form->addRow(QString(), problemLabel(u"summariser"_s));
    m_moderator = new QComboBox(optionsBox);
    m_moderator->setObjectName(u"moderatorModel"_s);
    m_moderator->setToolTip(tr("Chooses who speaks next in the moderated paradigm"));
    form->addRow(tr("&Moderator:"), m_moderator);
    form->addRow(QString(), problemLabel(u"moderator"_s));
    auto *budget = new QHBoxLayout;
    m_budgetTokens = new QSpinBox(optionsBox);
    m_budgetTokens->setObjectName(u"budgetTokens"_s);
    m_budgetTokens->setAccessibleName(tr("Token budget"));
    m_budgetTokens->setRange(0, 100'000'000);
    m_budgetTokens->setSingleStep(10'000);
    m_budgetTokens->setSpecialValueText(tr("no token cap"));
    m_budgetTokens->setSuffix(tr(" tokens"));
    m_budgetCost = new QDoubleSpinBox(optionsBox);
    m_budgetCost->setObjectName(u"budgetCost"_s);
    m_budgetCost->setAccessibleName(tr("Cost budget in dollars"));
    m_budgetCost->setRange(0, 10'000);
    m_budgetCost->setDecimals(2);
    m_budgetCost->setPrefix(u"$"_s);
    m_budgetCost->setSpecialValueText(tr("no cost cap"));
    budget->addWidget(m_budgetTokens);
    budget->addWidget(m_budgetCost);
    auto *budgetLabel = new QLabel(tr("&Budget:"), optionsBox);
    budgetLabel->setBuddy(m_budgetTokens);
    form->addRow(budgetLabel, budget);
    form->addRow(QString(), problemLabel(u"options"_s));
    middle->addWidget(paradigmBox, 1);
    middle->addWidget(optionsBox, 1);
    layout->addLayout(middle);
    layout->addWidget(problemLabel(u"general"_s));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *start = buttons->addButton(tr("&Start"), QDialogButtonBox::AcceptRole);
    start->setObjectName(u"startSession"_s);
    start->setIcon(QIcon::fromTheme(u"media-playback-start"_s));
    start->setDefault(true);
    // Presets on the left, away from Start and Cancel.
    auto *load = new QPushButton(QIcon::fromTheme(u"document-open"_s), tr("&Load Preset…"), this);
    auto *save = new QPushButton(QIcon::fromTheme(u"document-save"_s), tr("Sa&ve Preset…"), this);
    load->setAutoDefault(false);
    save->setAutoDefault(false);
    connect(load, &QPushButton::clicked, this, &NewSessionDialog::loadPresetInteractively);
    connect(save, &QPushButton::clicked, this, &NewSessionDialog::savePresetInteractively);
    connect(buttons, &QDialogButtonBox::accepted, this, &NewSessionDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &NewSessionDialog::reject);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(load);
    bottom->addWidget(save);
    bottom->addStretch(1);
    bottom->addWidget(buttons);
    layout->addLayout(bottom);

    m_health = ModelChoice::Health::fromSettings(Settings());
    // Each library file read once: what keeps it from being used, or what it sends as written.
    for (const QString &file : library->fileNames()) {
        const Parsed<Persona> persona = library->read(file);
        QStringList &notes = persona ? m_personaWarnings[file] : m_personaProblems[file];
        if (!persona)
            for (const FieldError &e : persona.errors)
                notes << e.toString();
        else
            for (const QString &name : findUnknownPlaceholders(persona.value->prompt))
                notes << tr("{{%1}} is not a placeholder Crosstalk fills (known: %2); it is sent "
                            "as written")
                             .arg(name, knownPlaceholders().join(u", "_s));
    }
    ModelChoice::fill(m_moderator, engine->registry(), m_health, false,
                      tr("First participant's model"));
    ModelChoice::fill(m_summariser, engine->registry(), m_health, false,
                      tr("Each speaker's own model"));
    connect(m_paradigm, &QComboBox::currentIndexChanged, this, &NewSessionDialog::updateParadigm);
    m_paradigm->setCurrentIndex(m_paradigm->findData(enumToString(Paradigm::Debate)));

    // The last setup started; else two participants, Alice and Bob when the library has them.
    setParticipantCount(2);
    const QStringList files = library->fileNames();
    const QStringList suggested = {u"alice.md"_s, u"bob.md"_s};
    for (int row = 0; row < 2; ++row)
        if (files.contains(suggested.at(row)))
            personaCombo(row)->setCurrentIndex(personaCombo(row)->findText(suggested.at(row)));
    restoreLastSetup();
    updateParadigm();
    resize(780, 660);
}

QString NewSessionDialog::defaultModel() const
{
    // A server found here answers now: its models come first, configured or not.
    const ModelRegistry &registry = m_engine->registry();
    const QString preferred = ModelChoice::preferred(registry, m_health);
    const QList<ModelChoice::FoundModel> unconfigured =
        ModelChoice::unconfiguredFound(registry, m_health);
    if (ModelChoice::standing(registry, *registry.model(preferred), m_health) !=
            ModelChoice::Standing::FoundHere &&
        !unconfigured.isEmpty())
        return unconfigured.first().data();
    return preferred;
}

void NewSessionDialog::fillModels(int row)
{
    QComboBox *combo = modelCombo(row);
    const QSignalBlocker blocker(combo);
    ModelChoice::fill(combo, m_engine->registry(), m_health, true);
    if (!combo->property(chosenProperty).toBool() || combo->currentIndex() < 0)
        combo->setCurrentIndex(std::max(0, combo->findData(defaultModel())));
}

void NewSessionDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    if (m_probe)
        return;
    m_probe = new LocalServerProbe(this);
    connect(m_probe, &LocalServerProbe::finished, this, &NewSessionDialog::onLocalServers);
    m_probe->start(m_candidates);
}

void NewSessionDialog::onLocalServers(const QList<LocalServer> &servers)
{
    m_health.found = servers;
    for (int row = 0; row < m_participants->rowCount(); ++row)
        fillModels(row);
}

void NewSessionDialog::configureFoundModels()
{
    // What the rows show is what starts: a new model must not re-choose a row's default.
    for (int row = 0; row < m_participants->rowCount(); ++row)
        modelCombo(row)->setProperty(chosenProperty, true);
    for (int row = 0; row < m_participants->rowCount(); ++row) {
        QComboBox *combo = modelCombo(row);
        const std::optional<ModelChoice::FoundModel> found =
            ModelChoice::foundModel(combo->currentData().toString(), m_health);
        if (!found)
            continue;
        ModelSettings settings(m_engine);
        const QString alias = settings.addLocalServer(found->server, found->modelId);
        // Every row offering the same found model now offers the configured one.
        for (int r = 0; r < m_participants->rowCount(); ++r) {
            QComboBox *other = modelCombo(r);
            const bool same = other->currentData().toString() == found->data();
            fillModels(r);
            if (same)
                other->setCurrentIndex(other->findData(alias));
        }
    }
}

QLabel *NewSessionDialog::problemLabel(const QString &field)
{
    auto *label = new QLabel(this);
    label->setObjectName(u"problem_"_s + field);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, QColor(0xda, 0x44, 0x53)); // Breeze negative
    label->setPalette(palette);
    label->hide();
    m_problemLabels.insert(field, label);
    return label;
}

QString NewSessionDialog::problemText(const QString &field) const
{
    const QLabel *label = m_problemLabels.value(field);
    return label && !label->isHidden() ? label->text() : QString();
}

QComboBox *NewSessionDialog::modelCombo(int row) const
{
    return qobject_cast<QComboBox *>(m_participants->cellWidget(row, ModelColumn));
}

QComboBox *NewSessionDialog::personaCombo(int row) const
{
    return qobject_cast<QComboBox *>(m_participants->cellWidget(row, PersonaColumn));
}

void NewSessionDialog::addRow()
{
    const int row = m_participants->rowCount();
    if (row >= Session::maxParticipants)
        return;
    m_participants->insertRow(row);
    auto *name = new QTableWidgetItem(tr("Participant %1").arg(row + 1));
    name->setData(Qt::UserRole, name->text()); // a name we chose, replaced by a persona's
    m_participants->setItem(row, NameColumn, name);

    auto *model = new QComboBox(m_participants);
    model->setAccessibleName(tr("Model of participant %1").arg(row + 1));
    connect(model, &QComboBox::activated, this,
            [model] { model->setProperty(chosenProperty, true); });
    connect(model, &QComboBox::currentIndexChanged, this, &NewSessionDialog::nameDefaultPersonas);
    m_participants->setCellWidget(row, ModelColumn, model);
    fillModels(row);

    auto *persona = new QComboBox(m_participants);
    persona->setAccessibleName(tr("Persona of participant %1").arg(row + 1));
    persona->addItem(tr("Default persona"), personaData({}));
    for (const QString &file : m_library->fileNames()) {
        persona->addItem(file, personaData(file));
        // A broken file is listed, with why, but cannot be chosen.
        if (const QStringList problems = m_personaProblems.value(file); !problems.isEmpty()) {
            const int index = persona->count() - 1;
            persona->setItemText(index, tr("%1 — cannot be used").arg(file));
            persona->setItemData(index, Qt::convertFromPlainText(problems.join(u'\n')),
                                 Qt::ToolTipRole);
            if (auto *items = qobject_cast<QStandardItemModel *>(persona->model()))
                items->item(index)->setEnabled(false);
        }
    }
    m_participants->setCellWidget(row, PersonaColumn, persona);
    nameDefaultPersonas();
    connect(persona, &QComboBox::currentIndexChanged, this, [this, persona] {
        for (int r = 0; r < m_participants->rowCount(); ++r)
            if (personaCombo(r) == persona)
                onPersonaChosen(r);
    });

    auto *colour = new QPushButton(m_participants);
    colour->setAccessibleName(tr("Colour of participant %1").arg(row + 1));
    colour->setFlat(true);
    m_participants->setCellWidget(row, ColourColumn, colour);
    setRowColour(row, Participant::defaultColour(row));
    connect(colour, &QPushButton::clicked, this, [this, colour] {
        for (int r = 0; r < m_participants->rowCount(); ++r)
            if (m_participants->cellWidget(r, ColourColumn) == colour)
                chooseColour(r);
    });
    updateParadigm();
}

SlotPersonas::Choice NewSessionDialog::slotPersona(const QString &alias) const
{
    return SlotPersonas::resolve(alias, m_storedSlotPersonas, m_engine->registry(), *m_library);
}

void NewSessionDialog::nameDefaultPersonas()
{
    for (int row = 0; row < m_participants->rowCount(); ++row) {
        QComboBox *persona = personaCombo(row);
        QComboBox *model = modelCombo(row);
        if (!persona || !model)
            continue;
        // What "no persona" gives this row's model: its slot's, and where that comes from.
        const SlotPersonas::Choice choice = slotPersona(model->currentData().toString());
        QString text = tr("Default persona");
        QString tip = tr("A neutral persona: the model is told only its name and the topic");
        if (!choice.origin.isEmpty()) {
            const QString source = choice.persona ? choice.persona.value->source : QString();
            text = source.isEmpty() ? tr("Slot's persona (%1)").arg(choice.origin)
                                    : tr("Slot's persona: %1 (%2)").arg(source, choice.origin);
            tip = choice.persona ? choice.persona.value->prompt.left(400)
                                 : choice.persona.errors.value(0).toString();
        }
        persona->setItemText(0, text);
        persona->setItemData(0, tip, Qt::ToolTipRole);
    }
}

void NewSessionDialog::removeRow()
{
    const auto notes = qScopeGuard([this] { updatePersonaNotes(); });
    int row = m_participants->currentRow();
    if (row < 0)
        row = m_participants->rowCount() - 1;
    if (row < 0)
        return;
    m_participants->removeRow(row);
    updateParadigm();
}

void NewSessionDialog::setParticipantCount(int count)
{
    while (m_participants->rowCount() > count)
        m_participants->removeRow(m_participants->rowCount() - 1);
    while (m_participants->rowCount() < count &&
           m_participants->rowCount() < Session::maxParticipants)
        addRow();
    updateParadigm();
}

void NewSessionDialog::setParticipant(int row, const QString &name, const QString &modelAlias,
                                      const QString &personaFile)
{
    if (row < 0 || row >= m_participants->rowCount())
        return;
    personaCombo(row)->setCurrentIndex(
        personaFile.isEmpty() ? 0 : personaCombo(row)->findData(personaData(personaFile)));
    m_participants->item(row, NameColumn)->setText(name);
    modelCombo(row)->setCurrentIndex(modelCombo(row)->findData(modelAlias));
    modelCombo(row)->setProperty(chosenProperty, true);
}

void NewSessionDialog::updatePersonaNotes()
{
    QStringList notes;
    for (int row = 0; row < m_participants->rowCount(); ++row) {
        const QString file = personaCombo(row)->currentData().toStringList().value(0);
        for (const QString &warning : m_personaWarnings.value(file))
            notes << tr("Participant %1 (%2): %3.").arg(row + 1).arg(file, warning);
    }
    m_personaNotes->setText(notes.join(u'\n'));
    m_personaNotes->setVisible(!notes.isEmpty());
}

void NewSessionDialog::onPersonaChosen(int row)
{
    updatePersonaNotes();
    const QStringList data = personaCombo(row)->currentData().toStringList();
    if (data.value(0).isEmpty() || !data.value(1).isEmpty())
        return;
    const Parsed<Persona> persona = m_library->read(data.value(0));
    if (!persona)
        return; // reported when the session is made
    QTableWidgetItem *name = m_participants->item(row, NameColumn);
    // Replace only a name the dialog chose, never one the user typed.
    if (!persona.value->name.isEmpty() &&
        (name->text().isEmpty() || name->text() == name->data(Qt::UserRole).toString())) {
        name->setText(persona.value->name);
        name->setData(Qt::UserRole, persona.value->name);
    }
    if (persona.value->colour.isValid())
        setRowColour(row, persona.value->colour);
    if (!persona.value->model.isEmpty())
        if (const int index = modelCombo(row)->findData(persona.value->model); index >= 0)
            modelCombo(row)->setCurrentIndex(index);
}

void NewSessionDialog::setRowColour(int row, const QColor &colour)
{
    auto *button = qobject_cast<QPushButton *>(m_participants->cellWidget(row, ColourColumn));
    button->setIcon(swatch(colour));
    button->setProperty("colour", colour);
    button->setToolTip(tr("Colour %1; click to change").arg(colour.name()));
    updateParadigm();
}

void NewSessionDialog::chooseColour(int row)
{
    auto *button = m_participants->cellWidget(row, ColourColumn);
    const QColor chosen = QColorDialog::getColor(button->property("colour").value<QColor>(), this,
                                                 tr("Colour of participant %1").arg(row + 1));
    if (chosen.isValid())
        setRowColour(row, chosen);
}

void NewSessionDialog::updateParadigm()
{
    const Paradigm paradigm =
        enumFromString<Paradigm>(m_paradigm->currentData().toString()).value_or(Paradigm::Memory);
    m_paradigmDescription->setText(paradigmInfo(paradigm).description.translated());
    QList<QColor> colours;
    for (int row = 0; row < m_participants->rowCount(); ++row)
        if (QWidget *button = m_participants->cellWidget(row, ColourColumn))
            colours << button->property("colour").value<QColor>();
    m_picture->setTopology(paradigm, colours);
    m_moderator->setEnabled(paradigm == Paradigm::Moderated);
}

Session NewSessionDialog::draft(QList<FieldError> *errors) const
{
    Session s;
    s.topic = m_topic->toPlainText().trimmed();
    s.paradigm =
        enumFromString<Paradigm>(m_paradigm->currentData().toString()).value_or(Paradigm::Memory);
    s.rounds = m_rounds->value();
    s.options.answerMode = m_answerMode->isChecked();
    s.options.schedule = m_schedule->currentData().value<Schedule>();
    s.options.contextWindow = m_contextWindow->value();
    s.options.summariseDropped = m_summarise->isChecked();
    if (s.options.summariseDropped)
        s.options.summariserModel = m_summariser->currentData().toString();
    if (s.paradigm == Paradigm::Moderated)
        s.options.moderatorModel = m_moderator->currentData().toString();
    if (m_budgetTokens->value() > 0)
        s.options.budgetTokens = m_budgetTokens->value();
    if (m_budgetCost->value() > 0)
        s.options.budgetCost = m_budgetCost->value();
    for (int row = 0; row < m_participants->rowCount(); ++row) {
        Participant p;
        p.name = m_participants->item(row, NameColumn)->text().trimmed();
        p.modelAlias = modelCombo(row)->currentData().toString();
        p.colour =
            m_participants->cellWidget(row, ColourColumn)->property("colour").value<QColor>();
        const QStringList data = personaCombo(row)->currentData().toStringList();
        p.personaSource = data.value(0);
        p.persona = data.value(1);
        if (p.personaSource.isEmpty() && p.persona.isEmpty()) {
            // No persona chosen: the slot's, as every surface gives it (SlotPersonas).
            const Parsed<Persona> persona = slotPersona(p.modelAlias).persona;
            if (persona) {
                p.persona = persona.value->prompt;
                p.personaSource = persona.value->source;
            } else if (errors) {
                for (const FieldError &e : persona.errors)
                    errors->append({u"participants[%1].persona"_s.arg(row), e.toString()});
            }
        } else if (p.persona.isEmpty()) {
            const Parsed<Persona> persona = m_library->read(p.personaSource);
            if (persona)
                p.persona = persona.value->prompt;
            else if (errors)
                for (const FieldError &e : persona.errors)
                    errors->append({u"participants[%1].persona"_s.arg(row), e.toString()});
        }
        s.participants << p;
    }
    return s;
}

void NewSessionDialog::clearProblems()
{
    for (QLabel *label : std::as_const(m_problemLabels)) {
        label->clear();
        label->hide();
    }
}

void NewSessionDialog::showProblems(const QList<FieldError> &errors)
{
    clearProblems();
    QHash<QString, QStringList> byField;
    for (const FieldError &error : errors)
        byField[fieldOf(error.path)] << readable(error);
    for (auto it = byField.cbegin(); it != byField.cend(); ++it) {
        QLabel *label = m_problemLabels.value(it.key());
        label->setText(it.value().join(u'\n'));
        label->show();
    }
    // Focus the first field with a problem, in the order of the form.
    for (const auto &[field, widget] : {std::pair<QString, QWidget *>{u"topic"_s, m_topic},
                                        {u"participants"_s, m_participants},
                                        {u"rounds"_s, m_rounds},
                                        {u"summariser"_s, m_summariser},
                                        {u"moderator"_s, m_moderator}}) {
        if (byField.contains(field)) {
            widget->setFocus();
            break;
        }
    }
}

void NewSessionDialog::accept()
{
    configureFoundModels();
    QList<FieldError> errors;
    const Session session = draft(&errors);
    if (session.topic.isEmpty())
        errors.prepend({u"topic"_s, tr("Say what the participants should talk about.")});
    if (const QStringList unpriced = m_engine->unpricedModels(session);
        errors.isEmpty() && !unpriced.isEmpty() && !BudgetDialog::acceptUnpriced(this, unpriced))
        return;
    if (errors.isEmpty()) {
        const Parsed<QUuid> created = m_engine->createSession(
            session, Engine::StoreAnswer::Immediate, Engine::UnpricedModels::Accept);
        if (created) {
            m_created = *created.value;
            rememberSetup(session);
            clearProblems();
            QDialog::accept();
            return;
        }
        errors = created.errors;
    }
    showProblems(errors);
}

} // namespace Crosstalk
