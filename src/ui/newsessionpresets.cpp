// SPDX-License-Identifier: GPL-3.0-or-later
// New Session's presets: loaded and saved by the user, and the last setup started, remembered.
#include "newsessiondialog.h"

#include "config/settings.h"
#include "conversation/preset.h"
#include "engine/engine.h"
#include "persona/personalibrary.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>

using namespace Qt::StringLiterals;

namespace Crosstalk {

QString NewSessionDialog::lastSetupPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           u"/last-setup.yaml"_s;
}

void NewSessionDialog::restoreLastSetup()
{
    if (!QFileInfo::exists(lastSetupPath()))
        return;
    // Models not known any more are allowed here: those participants get the default.
    const Parsed<Preset> preset = Preset::load(lastSetupPath(), *m_library);
    if (!preset)
        return; // a damaged memory is no reason to refuse a new session
    applyPreset(*preset.value, false);
    for (int row = 0; row < m_participants->rowCount(); ++row) {
        QComboBox *model = modelCombo(row);
        const QString remembered = preset.value->participants.value(row).modelAlias;
        const bool usable = ModelChoice::mayDefaultTo(m_engine->registry(), remembered, m_health);
        model->setCurrentIndex(model->findData(usable ? remembered : defaultModel()));
        model->setProperty(chosenProperty, usable);
    }
}

void NewSessionDialog::rememberSetup(const Session &session)
{
    Preset preset;
    preset.participants = session.participants;
    for (int row = 0; row < preset.participants.size(); ++row) {
        Participant &p = preset.participants[row];
        // The default (or the slot's) persona is the absence of one: it follows the model.
        if (personaCombo(row)->currentIndex() == 0) {
            p.persona.clear();
            p.personaSource.clear();
        }
    }
    preset.paradigm = session.paradigm;
    preset.rounds = session.rounds;
    preset.options = session.options;
    preset.baseFolder = QFileInfo(lastSetupPath()).absolutePath();
    QDir().mkpath(preset.baseFolder);
    if (const std::optional<FieldError> error = preset.save(lastSetupPath()))
        qWarning("The setup could not be remembered: %s", qPrintable(error->toString()));
}

void NewSessionDialog::applyPreset(const Preset &preset, bool withTopic)
{
    if (withTopic)
        m_topic->setPlainText(preset.topic);
    m_paradigm->setCurrentIndex(m_paradigm->findData(enumToString(preset.paradigm)));
    m_rounds->setValue(preset.rounds);
    m_answerMode->setChecked(preset.options.answerMode);
    m_schedule->setCurrentIndex(m_schedule->findData(QVariant::fromValue(preset.options.schedule)));
    m_contextWindow->setValue(preset.options.contextWindow);
    m_summarise->setChecked(preset.options.summariseDropped);
    m_moderator->setCurrentIndex(std::max(0, m_moderator->findData(preset.options.moderatorModel)));
    m_summariser->setCurrentIndex(
        std::max(0, m_summariser->findData(preset.options.summariserModel)));
    m_budgetTokens->setValue(
        int(std::min<qint64>(preset.options.budgetTokens.value_or(0), m_budgetTokens->maximum())));
    m_budgetCost->setValue(preset.options.budgetCost.value_or(0));
    if (preset.participants.isEmpty())
        return;
    setParticipantCount(int(preset.participants.size()));
    for (int row = 0; row < preset.participants.size(); ++row) {
        const Participant &p = preset.participants.at(row);
        QComboBox *persona = personaCombo(row);
        // A library file stays a reference; anything else keeps the preset's text.
        QString source = p.personaSource;
        if (source.startsWith(u"path:"_s) && persona->findData(personaData(source.mid(5))) >= 0)
            source = source.mid(5); // the old tool's `path:alice.md` for a library file
        int index = persona->findData(personaData(source));
        if (p.personaSource.isEmpty() && p.persona.isEmpty())
            index = 0;
        if (index < 0) {
            persona->addItem(p.personaSource.isEmpty() ? tr("Text from the preset")
                                                       : p.personaSource,
                             personaData(p.personaSource, p.persona));
            index = persona->count() - 1;
        }
        persona->setCurrentIndex(index);
        QTableWidgetItem *name = m_participants->item(row, NameColumn);
        name->setText(p.name);
        name->setData(Qt::UserRole, QString());
        modelCombo(row)->setCurrentIndex(std::max(0, modelCombo(row)->findData(p.modelAlias)));
        modelCombo(row)->setProperty(chosenProperty, true);
        if (p.colour.isValid())
            setRowColour(row, p.colour);
    }
}

QStringList NewSessionDialog::loadPreset(const QString &path)
{
    const Parsed<Preset> preset = Preset::load(path, *m_library, m_engine->registry().aliases());
    if (!preset) {
        QList<FieldError> errors;
        for (const FieldError &e : preset.errors)
            errors.append({QString(), tr("%1: %2").arg(path, e.toString())});
        showProblems(errors);
        QStringList problems;
        for (const FieldError &e : preset.errors)
            problems << e.toString();
        return problems;
    }
    clearProblems();
    applyPreset(*preset.value);
    return {};
}

QString NewSessionDialog::savePreset(const QString &path)
{
    QList<FieldError> errors;
    const Session session = draft(&errors);
    Preset preset;
    preset.participants = session.participants;
    // The default persona is the absence of one in a preset.
    for (Participant &p : preset.participants)
        if (p.personaSource.isEmpty() && p.persona == Persona::defaultPrompt())
            p.persona.clear();
    preset.paradigm = session.paradigm;
    preset.rounds = session.rounds;
    preset.topic = session.topic;
    preset.options = session.options;
    // Library names stay names: relative to the preset's folder they resolve in the library.
    preset.baseFolder = QFileInfo(path).absolutePath();
    QString problem;
    if (!errors.isEmpty())
        problem = readable(errors.first());
    else if (const std::optional<FieldError> error = preset.save(path))
        problem = error->toString();
    if (!problem.isEmpty())
        showProblems({{QString(), problem}});
    return problem;
}

void NewSessionDialog::loadPresetInteractively()
{
    Settings settings;
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Load Preset"), settings.lastFolder(), tr("Presets (*.yaml *.yml)"));
    if (path.isEmpty())
        return;
    settings.rememberFolderOf(path);
    loadPreset(path);
}

void NewSessionDialog::savePresetInteractively()
{
    Settings settings;
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Preset"),
                                                      settings.lastFolder() + u"/preset.yaml"_s,
                                                      tr("Presets (*.yaml *.yml)"));
    if (path.isEmpty())
        return;
    settings.rememberFolderOf(path);
    savePreset(path);
}

} // namespace Crosstalk
