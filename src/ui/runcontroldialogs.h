// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/participant.h"
#include "modelchoice.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QPlainTextEdit;

namespace Crosstalk {

class ModelRegistry;

// Asks for a message's new text; OK only while the text is not blank.
class EditMessageDialog : public QDialog
{
    Q_OBJECT

public:
    EditMessageDialog(const QString &speaker, const QString &content, bool forks,
                      QWidget *parent = nullptr);
    QString text() const;

private:
    QPlainTextEdit *m_text;
};

// A message from the person steering, to everyone or to the participants ticked.
class HumanMessageDialog : public QDialog
{
    Q_OBJECT

public:
    HumanMessageDialog(const QList<Participant> &participants, QWidget *parent = nullptr);
    QString text() const;
    // The participants ticked; empty when all are, which the engine reads as everyone.
    QStringList recipients() const;

private:
    void updateOk();

    QPlainTextEdit *m_text;
    // Each participant's box and name.
    QList<std::pair<QCheckBox *, QString>> m_recipients;
    QDialogButtonBox *m_buttons;
};

// Chooses the model each participant uses from now on, one or several at once, from the
// models as New Session offers them; `preselected` (a participant's name) gets the focus.
class ParticipantModelDialog : public QDialog
{
    Q_OBJECT

public:
    ParticipantModelDialog(const QList<Participant> &participants, const ModelRegistry &registry,
                           const ModelChoice::Health &health, const QString &preselected,
                           QWidget *parent = nullptr);
    // Participant name → new model alias, for each participant whose model was changed.
    QList<std::pair<QString, QString>> changes() const;
    QComboBox *modelCombo(const QString &participant) const;

private:
    void updateOk();

    struct Row
    {
        QString participant;
        QString was;
        QComboBox *model;
    };
    QList<Row> m_rows;
    QDialogButtonBox *m_box;
};

} // namespace Crosstalk
