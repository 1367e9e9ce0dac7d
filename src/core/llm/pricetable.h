// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "llm/modelconfig.h"

#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

namespace Crosstalk {

// The list prices shipped with Crosstalk (resources/prices.json): each is its maker's price at
// its own API, matched by the model id exactly as the maker names it. Anything else (a proxy,
// Azure, a model not listed) has no list price.
class PriceTable
{
public:
    // The table compiled into the program.
    static const PriceTable &bundled();
    // A table from JSON text; problems (each naming its place) go to `problems`.
    static PriceTable fromJson(const QByteArray &json, QStringList *problems);

    std::optional<ListPrice> find(ApiKind kind, const QUrl &baseUrl, const QString &modelId) const;
    qsizetype size() const { return m_entries.size(); }

private:
    struct Entry
    {
        QString host; // the maker's API host
        QStringList ids;
        ListPrice price;
    };
    QList<Entry> m_entries;
};

// A server on this machine or its own network (localhost, private and link-local addresses,
// *.local): one the user runs, which costs nothing per token.
bool isLocalServer(const QUrl &baseUrl);

// Fills in where a model's price comes from (ModelConfig::priceOrigin): the user's own prices
// when Settings set any, nothing for the demo model and local servers, otherwise the list
// price when the table has one; unpriced otherwise.
void applyPrice(ModelConfig &model, const PriceTable &table = PriceTable::bundled());

} // namespace Crosstalk
