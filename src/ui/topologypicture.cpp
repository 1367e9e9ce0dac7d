// SPDX-License-Identifier: GPL-3.0-or-later
#include "topologypicture.h"

#include "conversation/topology.h"

#include <QPainter>
#include <QPainterPath>

#include <cmath>
#include <numbers>

using namespace Qt::StringLiterals;

namespace Crosstalk {

TopologyPicture::TopologyPicture(QWidget *parent)
    : QWidget(parent)
{
    setAccessibleName(tr("Topology picture"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void TopologyPicture::setTopology(Paradigm paradigm, const QList<QColor> &participants)
{
    m_paradigm = paradigm;
    m_colours = participants;
    setAccessibleDescription(
        tr("How %n participant(s) hear each other in %1", nullptr, int(participants.size()))
            .arg(enumToString(paradigm)));
    update();
}

QList<QPointF> TopologyPicture::positions(const QRectF &area) const
{
    const int count = int(m_colours.size());
    QList<QPointF> points;
    const QPointF centre = area.center();
    const double radius = std::min(area.width(), area.height()) / 2;
    const bool hub = m_paradigm == Paradigm::Report && count >= 3;
    const bool judge = Topology::isJudge(m_paradigm, count, count - 1);
    // The ring holds everyone but the hub (centre) or the judge (below the debaters).
    const int ring = count - (hub || judge ? 1 : 0);
    const QPointF ringCentre = judge ? centre - QPointF(0, radius * 0.35) : centre;
    const double ringRadius = judge ? radius * 0.6 : radius;
    for (int i = 0; i < count; ++i) {
        if (hub && i == 0) {
            points << centre;
            continue;
        }
        if (judge && i == count - 1) {
            points << centre + QPointF(0, radius * 0.85);
            continue;
        }
        const int k = hub ? i - 1 : i;
        // Two debaters side by side rather than above each other.
        const double start = judge && ring == 2 ? std::numbers::pi : -std::numbers::pi / 2;
        const double angle = start + 2 * std::numbers::pi * k / std::max(1, ring);
        points << ringCentre + QPointF(std::cos(angle), std::sin(angle)) * ringRadius;
    }
    return points;
}

void TopologyPicture::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const int count = int(m_colours.size());
    if (count == 0)
        return;
    constexpr double dot = 9;
    const QRectF area = QRectF(rect()).adjusted(dot + 4, dot + 4, -dot - 4, -dot - 4);
    const QList<QPointF> points = positions(area);
    const QColor line = palette().color(QPalette::WindowText);

    // Arrows from speaker to hearer; a pair that hears each other gets one line, two heads.
    for (int speaker = 0; speaker < count; ++speaker) {
        for (int hearer : Topology::recipients(m_paradigm, count, speaker)) {
            const bool mutual = Topology::recipients(m_paradigm, count, hearer).contains(speaker);
            if (mutual && hearer < speaker)
                continue;
            QPointF from = points.at(speaker);
            QPointF to = points.at(hearer);
            const QPointF direction =
                (to - from) / std::hypot(to.x() - from.x(), to.y() - from.y());
            from += direction * (dot + 2);
            to -= direction * (dot + 2);
            QColor faded = line;
            faded.setAlphaF(0.55);
            painter.setPen(QPen(faded, 1.3));
            painter.drawLine(from, to);
            const auto head = [&](QPointF tip, QPointF along) {
                const QPointF normal(-along.y(), along.x());
                QPainterPath path;
                path.moveTo(tip);
                path.lineTo(tip - along * 7 + normal * 3.5);
                path.lineTo(tip - along * 7 - normal * 3.5);
                path.closeSubpath();
                painter.fillPath(path, faded);
            };
            head(to, direction);
            if (mutual)
                head(from, -direction);
        }
    }
    QFont font = painter.font();
    font.setPointSizeF(font.pointSizeF() * 0.8);
    font.setBold(true);
    painter.setFont(font);
    for (int i = 0; i < count; ++i) {
        const QColor colour = m_colours.at(i).isValid() ? m_colours.at(i) : line;
        painter.setPen(QPen(line, 1));
        painter.setBrush(colour);
        painter.drawEllipse(points.at(i), dot, dot);
        painter.setPen(colour.lightness() > 150 ? Qt::black : Qt::white);
        painter.drawText(QRectF(points.at(i) - QPointF(dot, dot), QSizeF(2 * dot, 2 * dot)),
                         Qt::AlignCenter, QString::number(i + 1));
    }
}

} // namespace Crosstalk
