// SPDX-License-Identifier: GPL-3.0-or-later
#include "runcontroldialogs.h"

#include "llm/modelregistry.h"
#include "modelchoice.h"

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
                                               const ModelChoice::Health &health,
                                               const QString &preselected, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Change Models"));
    setObjectName(u"participantModelDialog"_s);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(caption(tr("Each participant's next replies come from the model chosen "
                                 "here; what they said so far stays as it is."),
                              this));
    auto *form = new QFormLayout;
    m_box = buttons(tr("&Change"), this);
    // One row a participant, offering models as New Session does: working ones first, marked.
    for (const Participant &p : participants) {
        auto *model = new QComboBox(this);
        model->setObjectName(u"model_"_s + p.name);
        model->setAccessibleName(tr("Model of %1").arg(p.name));
        ModelChoice::fill(model, registry, health);
        if (model->findData(p.modelAlias) < 0) // a model no longer configured
            model->addItem(tr("%1 — not configured any more").arg(p.modelAlias), p.modelAlias);
        model->setCurrentIndex(model->findData(p.modelAlias));
        connect(model, &QComboBox::currentIndexChanged, this, &ParticipantModelDialog::updateOk);
        auto *label = new QLabel(p.name + u':', this);
        label->setTextFormat(Qt::PlainText);
        form->addRow(label, model);
        m_rows.append({p.name, p.modelAlias, model});
        if (p.name == preselected)
            model->setFocus();
    }
    layout->addLayout(form);
    layout->addWidget(m_box);
    updateOk();
    // Wide enough for the title and a model's full name.
    resize(std::max(sizeHint().width(), 480), sizeHint().height());
}

void ParticipantModelDialog::updateOk()
{
    m_box->button(QDialogButtonBox::Ok)->setEnabled(!changes().isEmpty());
}

QList<std::pair<QString, QString>> ParticipantModelDialog::changes() const
{
    QList<std::pair<QString, QString>> changed;
    for (const Row &row : m_rows)
        if (const QString alias = row.model->currentData().toString(); alias != row.was)
            changed.append({row.participant, alias});
    return changed;
}

QComboBox *ParticipantModelDialog::modelCombo(const QString &participant) const
{
    for (const Row &row : m_rows)
        if (row.participant == participant)
            return row.model;
    return nullptr;
}

} // namespace Crosstalk
