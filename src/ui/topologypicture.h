// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/session.h"

#include <QColor>
#include <QList>
#include <QWidget>

namespace Crosstalk {

// A small drawing of a paradigm's topology: the participants as dots in a circle (the report
// hub in the middle, the debate judge below), an arrow from each speaker to everyone who
// hears it, drawn from Topology::recipients so the picture is what the engine does.
class TopologyPicture : public QWidget
{
    Q_OBJECT

public:
    explicit TopologyPicture(QWidget *parent = nullptr);

    void setTopology(Paradigm paradigm, const QList<QColor> &participants);

    QSize sizeHint() const override { return {180, 150}; }
    QSize minimumSizeHint() const override { return {140, 120}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<QPointF> positions(const QRectF &area) const;

    Paradigm m_paradigm = Paradigm::Memory;
    QList<QColor> m_colours;
};

} // namespace Crosstalk
