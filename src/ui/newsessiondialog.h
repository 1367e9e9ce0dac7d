// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/parsed.h"
#include "conversation/session.h"
#include "engine/slotpersonas.h"
#include "localserverprobe.h"
#include "modelchoice.h"

#include <QDialog>
#include <QHash>
#include <QUuid>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QSpinBox;
class QTableWidget;

namespace Crosstalk {

class Engine;
class PersonaLibrary;
class TopologyPicture;
struct Preset;

// File → New Session: the topic, the participants (name, model, persona, colour; a persona's
// front matter gives the defaults), the paradigm with a description and a picture of its
// topology, rounds and options, presets to load and save. Start checks everything through the
// Engine, shows each problem next to its field, and creates the session only when there are
// none; the caller then shows and starts it.
//
// It starts from the last setup started (remembered in lastSetupPath()); a participant whose
// model is gone or failed its last test, or a new one, gets the best model that is expected
// to answer (ModelChoice), and every model a server on this computer lists is offered.
class NewSessionDialog : public QDialog
{
    Q_OBJECT

public:
    NewSessionDialog(Engine *engine, const PersonaLibrary *library, QWidget *parent = nullptr);

    // The session the fields describe (not yet checked). Persona files that cannot be read
    // are reported through `errors`.
    Session draft(QList<FieldError> *errors = nullptr) const;
    // The session Start created; null until then.
    QUuid createdSession() const { return m_created; }

    // Fills the fields from a preset file; returns the problems (also shown), none on success.
    QStringList loadPreset(const QString &path);
    // Saves the fields as a preset file; returns the problem, empty on success.
    QString savePreset(const QString &path);

    // Where to look for model servers on this computer; before the dialog is shown.
    void setLocalServerCandidates(const QList<LocalServerProbe::Candidate> &candidates)
    {
        m_candidates = candidates;
    }
    bool probeFinished() const { return m_probe && m_probe->isFinished(); }
    // The model a participant gets when nothing else chose one (combo data).
    QString defaultModel() const;
    // The last setup started: participants, paradigm, rounds and options, not the topic.
    static QString lastSetupPath();

    void setParticipantCount(int count);
    // Chooses a row's model alias and persona file ("" for the default persona).
    void setParticipant(int row, const QString &name, const QString &modelAlias,
                        const QString &personaFile);

    // The text shown next to a field ("topic", "participants", "rounds", "options",
    // "moderator", "general"); empty when it has no problem.
    QString problemText(const QString &field) const;

    void accept() override;

protected:
    void showEvent(QShowEvent *event) override;

private:
    void onLocalServers(const QList<LocalServer> &servers);
    void fillModels(int row);
    // Turns the found models chosen into configured ones; false when one could not be.
    void configureFoundModels();
    void restoreLastSetup();
    void rememberSetup(const Session &session);
    void addRow();
    void removeRow();
    // What a participant on `alias` given no persona gets (SlotPersonas).
    SlotPersonas::Choice slotPersona(const QString &alias) const;
    // Names each row's "no persona" entry after what it gives for the row's model.
    void nameDefaultPersonas();
    void onPersonaChosen(int row);
    void updatePersonaNotes();
    void chooseColour(int row);
    void setRowColour(int row, const QColor &colour);
    void updateParadigm();
    void showProblems(const QList<FieldError> &errors);
    void clearProblems();
    void applyPreset(const Preset &preset, bool withTopic = true);
    void loadPresetInteractively();
    void savePresetInteractively();
    QLabel *problemLabel(const QString &field);
    QComboBox *modelCombo(int row) const;
    enum Column
    {
        NameColumn,
        ModelColumn,
        PersonaColumn,
        ColourColumn
    };
    // Persona combo data: {source, text}. A library file has its name and no text (read when
    // the session is made, so the latest saved version is used); text from a preset has both.
    static QStringList personaData(const QString &source, const QString &text = {});
    // "participants[1].name: …" as people read it: "Participant 2, name: …".
    static QString readable(const FieldError &error);
    // Set on a model combo the user (or the remembered setup) chose from: not re-chosen.
    static constexpr char chosenProperty[] = "chosenModel";
    QComboBox *personaCombo(int row) const;

    Engine *m_engine;
    const PersonaLibrary *m_library;
    QUuid m_created;
    ModelChoice::Health m_health;
    QList<LocalServerProbe::Candidate> m_candidates = LocalServerProbe::defaultCandidates();
    LocalServerProbe *m_probe = nullptr;

    QPlainTextEdit *m_topic = nullptr;
    QTableWidget *m_participants = nullptr;
    QComboBox *m_paradigm = nullptr;
    QLabel *m_paradigmDescription = nullptr;
    TopologyPicture *m_picture = nullptr;
    QSpinBox *m_rounds = nullptr;
    QCheckBox *m_answerMode = nullptr;
    QComboBox *m_schedule = nullptr;
    QSpinBox *m_contextWindow = nullptr;
    QCheckBox *m_summarise = nullptr;
    QComboBox *m_moderator = nullptr;
    QComboBox *m_summariser = nullptr;
    SlotPersonas::Stored m_storedSlotPersonas;
    QSpinBox *m_budgetTokens = nullptr;
    QDoubleSpinBox *m_budgetCost = nullptr;
    QHash<QString, QLabel *> m_problemLabels;
    QLabel *m_personaNotes = nullptr;
    // By library file: why it cannot be used; what it would send as written.
    QHash<QString, QStringList> m_personaProblems;
    QHash<QString, QStringList> m_personaWarnings;
};

} // namespace Crosstalk
