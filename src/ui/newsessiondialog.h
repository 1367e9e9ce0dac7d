// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/parsed.h"
#include "conversation/session.h"

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

    void setParticipantCount(int count);
    // Chooses a row's model alias and persona file ("" for the default persona).
    void setParticipant(int row, const QString &name, const QString &modelAlias,
                        const QString &personaFile);

    // The text shown next to a field ("topic", "participants", "rounds", "options",
    // "moderator", "general"); empty when it has no problem.
    QString problemText(const QString &field) const;

    void accept() override;

private:
    void addRow();
    void removeRow();
    void onPersonaChosen(int row);
    void chooseColour(int row);
    void setRowColour(int row, const QColor &colour);
    void updateParadigm();
    void showProblems(const QList<FieldError> &errors);
    void clearProblems();
    void applyPreset(const Preset &preset);
    void loadPresetInteractively();
    void savePresetInteractively();
    QLabel *problemLabel(const QString &field);
    QComboBox *modelCombo(int row) const;
    QComboBox *personaCombo(int row) const;

    Engine *m_engine;
    const PersonaLibrary *m_library;
    QUuid m_created;

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
    QSpinBox *m_budgetTokens = nullptr;
    QDoubleSpinBox *m_budgetCost = nullptr;
    QHash<QString, QLabel *> m_problemLabels;
};

} // namespace Crosstalk
