// SPDX-License-Identifier: GPL-3.0-or-later
#include "sessionspanel.h"

#include "engine/engine.h"
#include "sessionlistdelegate.h"
#include "sessionlistmodel.h"
#include "storage/sessionstore.h"
#include "storage/storeworker.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Crosstalk {

SessionsPanel::SessionsPanel(Engine *engine, SessionListModel *sessions, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_sessions(sessions)
{
    setAccessibleName(tr("Session list"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    m_search = new QLineEdit(this);
    m_search->setObjectName(u"sessionSearch"_s);
    m_search->setAccessibleName(tr("Search sessions"));
    m_search->setPlaceholderText(tr("Search titles, topics and messages…"));
    m_search->setClearButtonEnabled(true);
    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(250);
    connect(&m_searchDelay, &QTimer::timeout, this, &SessionsPanel::applyFilter);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchDelay.start(); });

    auto *filters = new QHBoxLayout;
    m_statusFilter = new QComboBox(this);
    m_statusFilter->setObjectName(u"statusFilter"_s);
    m_statusFilter->setAccessibleName(tr("Filter by status"));
    m_statusFilter->addItem(tr("All sessions"));
    const QList<std::pair<QString, SessionStatus>> statuses{
        {tr("Running"), SessionStatus::Running},
        {tr("Paused"), SessionStatus::Paused},
        {tr("Completed"), SessionStatus::Completed},
        {tr("Not started"), SessionStatus::Configured},
        {tr("Interrupted"), SessionStatus::Interrupted},
        {tr("Failed"), SessionStatus::Failed},
        {tr("Stopped"), SessionStatus::Cancelled}};
    for (const auto &[label, status] : statuses)
        m_statusFilter->addItem(label, QVariant::fromValue(status));
    m_sort = new QComboBox(this);
    m_sort->setObjectName(u"sessionSort"_s);
    m_sort->setAccessibleName(tr("Sort sessions"));
    m_sort->addItem(tr("Newest first"), QVariant::fromValue(SessionSort::UpdatedDescending));
    m_sort->addItem(tr("Oldest first"), QVariant::fromValue(SessionSort::UpdatedAscending));
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, &SessionsPanel::applyFilter);
    connect(m_sort, &QComboBox::currentIndexChanged, this, &SessionsPanel::applyFilter);
    filters->addWidget(m_statusFilter, 1);
    filters->addWidget(m_sort, 1);

    m_list = new QListView(this);
    m_list->setObjectName(u"sessionList"_s);
    m_list->setAccessibleName(tr("Sessions"));
    m_list->setModel(m_sessions);
    m_list->setItemDelegate(new SessionListDelegate(m_list));
    m_list->setUniformItemSizes(false);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_list, &QWidget::customContextMenuRequested, this, &SessionsPanel::onContextMenu);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &SessionsPanel::onCurrentChanged);

    m_empty = new QLabel(this);
    m_empty->setObjectName(u"sessionsEmpty"_s);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setTextFormat(Qt::PlainText);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_empty->setMargin(24);
    connect(m_sessions, &QAbstractItemModel::modelReset, this, &SessionsPanel::updateEmptyState);
    connect(m_sessions, &QAbstractItemModel::rowsInserted, this, &SessionsPanel::updateEmptyState);
    updateEmptyState();

    layout->addWidget(m_search);
    layout->addLayout(filters);
    layout->addWidget(m_empty);
    layout->addWidget(m_list, 1);
}

void SessionsPanel::select(const QUuid &id)
{
    const int row = m_sessions->rowOf(id);
    if (row >= 0 && m_list->currentIndex().row() != row) {
        const QSignalBlocker blocker(m_list->selectionModel());
        m_list->setCurrentIndex(m_sessions->index(row));
    }
}

void SessionsPanel::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

void SessionsPanel::applyFilter()
{
    SessionFilter filter;
    filter.sort = m_sort->currentData().value<SessionSort>();
    if (m_statusFilter->currentIndex() > 0)
        filter.statuses = {m_statusFilter->currentData().value<SessionStatus>()};
    const QString text = m_search->text().trimmed();
    const int search = ++m_searches; // a search answered late gives way to a newer one
    StoreWorker *reader = m_engine->reader();
    if (text.isEmpty() || !reader) {
        m_hitSeq.clear();
        m_sessions->setOnly(std::nullopt);
        m_sessions->setFilter(filter);
        return;
    }
    struct Found
    {
        QList<QUuid> ids;
        QHash<QUuid, int> hitSeq;
        QHash<QUuid, QString> snippet;
    };
    reader->submit(
        this,
        [filter, text](SessionStore &store) -> StoreResult<Found> {
            SessionFilter byText = filter;
            byText.text = text;
            Found found;
            if (auto listed = store.listSessions(byText))
                for (const SessionSummary &s : std::as_const(listed->sessions))
                    found.ids.append(s.id);
            // Hits come newest first: a session opens at its newest hit.
            if (auto hits = store.search(text, 200))
                for (const SearchHit &hit : std::as_const(*hits)) {
                    if (!found.ids.contains(hit.sessionId))
                        found.ids.append(hit.sessionId);
                    if (!found.hitSeq.contains(hit.sessionId)) {
                        found.hitSeq.insert(hit.sessionId, hit.seq);
                        found.snippet.insert(hit.sessionId, hit.snippet);
                    }
                }
            return found;
        },
        [this, search, filter](const StoreResult<Found> &found) {
            if (search != m_searches)
                return;
            m_hitSeq = found ? found->hitSeq : QHash<QUuid, int>();
            m_sessions->setOnly(found ? found->ids : QList<QUuid>(),
                                found ? found->snippet : QHash<QUuid, QString>());
            m_sessions->setFilter(filter);
        });
}

std::optional<int> SessionsPanel::hitIn(const QUuid &id) const
{
    const auto it = m_hitSeq.constFind(id);
    return it == m_hitSeq.cend() ? std::nullopt : std::optional<int>(*it);
}

void SessionsPanel::updateEmptyState()
{
    const bool none = m_sessions->rowCount() == 0;
    m_empty->setVisible(none);
    m_empty->setText(none && (!m_search->text().isEmpty() || m_statusFilter->currentIndex() > 0)
                         ? tr("No session matches.")
                         : tr("No sessions yet.\nSessions you run are kept and listed here. "
                              "Try Session → New Demo Session."));
}

void SessionsPanel::onCurrentChanged()
{
    const QModelIndex current = m_list->currentIndex();
    if (current.isValid())
        Q_EMIT sessionChosen(current.data(SessionListModel::IdRole).toUuid());
}

void SessionsPanel::onContextMenu(const QPoint &position)
{
    // From the keyboard (the menu key) the position is not on a row: the current one counts.
    const QModelIndex index = m_list->indexAt(position);
    if (index.isValid())
        m_list->setCurrentIndex(index);
    if (m_list->currentIndex().isValid())
        Q_EMIT contextMenuRequested(m_list->viewport()->mapToGlobal(position));
}

} // namespace Crosstalk
