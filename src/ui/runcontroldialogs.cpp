// SPDX-License-Identifier: GPL-3.0-or-later
#include "runcontroldialogs.h"

#include "llm/modelregistry.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

QLabel *caption(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    return label;
}

QDialogButtonBox *buttons(const QString &okText, QDialog *dialog)
{
    auto *box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    box->button(QDialogButtonBox::Ok)->setText(okText);
    QObject::connect(box, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    QObject::connect(box, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    return box;
}

} // namespace

EditMessageDialog::EditMessageDialog(const QString &speaker, const QString &content, bool forks,
                                     QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Edit Message"));
    setObjectName(u"editMessageDialog"_s);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(caption(
        forks ? tr("Change what %1 said. Later messages build on it, so the session is forked "
                   "here: the original stays as it is and the fork, ending with your text, "
                   "opens paused.")
                    .arg(speaker)
              : tr("Change what %1 said. Resuming the session continues from your text.")
                    .arg(speaker),
        this));
    m_text = new QPlainTextEdit(content, this);
    m_text->setObjectName(u"messageText"_s);
    m_text->setAccessibleName(tr("Message text"));
    m_text->setTabChangesFocus(true);
    layout->addWidget(m_text, 1);
    QDialogButtonBox *box = buttons(forks ? tr("&Fork and Edit") : tr("&Save"), this);
    connect(m_text, &QPlainTextEdit::textChanged, this,
            [this, box] { box->button(QDialogButtonBox::Ok)->setEnabled(!text().isEmpty()); });
    layout->addWidget(box);
    resize(560, 360);
}

QString EditMessageDialog::text() const
{
    return m_text->toPlainText().trimmed();
}

HumanMessageDialog::HumanMessageDialog(const QList<Participant> &participants, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Add a Message"));
    setObjectName(u"humanMessageDialog"_s);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(caption(tr("Your message joins the transcript; the participants ticked "
                                 "see it in their next requests."),
                              this));
    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(u"messageText"_s);
    m_text->setAccessibleName(tr("Message text"));
    m_text->setPlaceholderText(tr("Steer the conversation, add a fact, ask a question…"));
    m_text->setTabChangesFocus(true);
    layout->addWidget(m_text, 1);
    auto *group = new QGroupBox(tr("Send to"), this);
    group->setAccessibleName(tr("Recipients"));
    auto *groupLayout = new QVBoxLayout(group);
    for (const Participant &p : participants) {
        auto *box = new QCheckBox(QString(p.name).replace(u'&', u"&&"_s), group);
        box->setObjectName(u"recipient:"_s + p.name);
        box->setAccessibleName(tr("Send to %1").arg(p.name));
        box->setChecked(true);
        connect(box, &QCheckBox::toggled, this, &HumanMessageDialog::updateOk);
        groupLayout->addWidget(box);
        m_recipients.append({box, p.name});
    }
    layout->addWidget(group);
    m_buttons = buttons(tr("&Send"), this);
    connect(m_text, &QPlainTextEdit::textChanged, this, &HumanMessageDialog::updateOk);
    layout->addWidget(m_buttons);
    updateOk();
    resize(520, 380);
}

QString HumanMessageDialog::text() const
{
    return m_text->toPlainText().trimmed();
}

QStringList HumanMessageDialog::recipients() const
{
    QStringList names;
    for (const auto &[box, name] : m_recipients)
        if (box->isChecked())
            names << name;
    return names.size() == m_recipients.size() ? QStringList() : names;
}

void HumanMessageDialog::updateOk()
{
    const bool anyone =
        std::any_of(m_recipients.cbegin(), m_recipients.cend(),
                    [](const std::pair<QCheckBox *, QString> &r) { return r.first->isChecked(); });
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(anyone && !text().isEmpty());
}

ParticipantModelDialog::ParticipantModelDialog(const QList<Participant> &participants,
                                               const ModelRegistry &registry,
                                               const QString &preselected, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Change Model"));
    setObjectName(u"participantModelDialog"_s);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(caption(tr("The participant's next replies come from the model chosen; "
                                 "what it said so far stays as it is."),
                              this));
    auto *form = new QFormLayout;
    m_participant = new QComboBox(this);
    m_participant->setObjectName(u"participant"_s);
    m_participant->setAccessibleName(tr("Participant"));
    for (const Participant &p : participants)
        m_participant->addItem(p.name, p.modelAlias);
    m_model = new QComboBox(this);
    m_model->setObjectName(u"model"_s);
    m_model->setAccessibleName(tr("Model"));
    for (const QString &alias : registry.aliases())
        if (const auto model = registry.model(alias))
            m_model->addItem(model->displayName(), alias);
    form->addRow(tr("&Participant:"), m_participant);
    form->addRow(tr("&Model:"), m_model);
    layout->addLayout(form);
    // The model shown is the participant's own until another is chosen.
    const auto showCurrent = [this] {
        const int at = m_model->findData(m_participant->currentData());
        if (at >= 0)
            m_model->setCurrentIndex(at);
    };
    connect(m_participant, &QComboBox::currentIndexChanged, this, showCurrent);
    m_participant->setCurrentIndex(std::max(0, m_participant->findText(preselected)));
    showCurrent();
    layout->addWidget(buttons(tr("&Change"), this));
}

QString ParticipantModelDialog::participant() const
{
    return m_participant->currentText();
}

QString ParticipantModelDialog::modelAlias() const
{
    return m_model->currentData().toString();
}

} // namespace Crosstalk
