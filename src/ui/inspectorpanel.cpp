// SPDX-License-Identifier: GPL-3.0-or-later
#include "inspectorpanel.h"

#include "transcriptmodel.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Crosstalk {

InspectorPanel::InspectorPanel(QWidget *parent)
    : QWidget(parent)
{
    setAccessibleName(tr("Message inspector"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto *caption = new QLabel(tr("The request stored for the chosen message:"), this);
    caption->setWordWrap(true);
    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(u"inspectorText"_s);
    m_text->setAccessibleName(tr("Stored request"));
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_text->setPlaceholderText(tr("Choose a message in the transcript."));
    auto *copy = new QPushButton(QIcon::fromTheme(u"edit-copy"_s), tr("&Copy Request"), this);
    copy->setObjectName(u"copyRequest"_s);
    copy->setAccessibleName(tr("Copy the request"));
    connect(copy, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_text->toPlainText()); });
    connect(m_text, &QPlainTextEdit::textChanged, copy,
            [this, copy] { copy->setEnabled(!m_text->document()->isEmpty()); });
    copy->setEnabled(false);
    layout->addWidget(caption);
    layout->addWidget(m_text, 1);
    layout->addWidget(copy, 0, Qt::AlignRight);
}

void InspectorPanel::showRequestOf(const QModelIndex &index)
{
    const QJsonObject request = index.data(TranscriptModel::RequestRole).toJsonObject();
    m_text->setPlainText(request.isEmpty() ? QString()
                                           : QString::fromUtf8(QJsonDocument(request).toJson(
                                                 QJsonDocument::Indented)));
}

} // namespace Crosstalk
