// SPDX-License-Identifier: GPL-3.0-or-later
#include "apilookups.h"

#include "conversation/paradigm.h"
#include "engine/engine.h"
#include "oldtooloperations.h"
#include "storage/sessionstore.h"
#include "storage/storeworker.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Crosstalk::ApiLookups {

const Session *find(Engine &engine, const QUuid &id, std::optional<Session> &stored, Error *error)
{
    if (const Session *session = engine.session(id))
        return session;
    if (StoreWorker *store = engine.reader()) {
        StoreResult<Session> loaded =
            store->fetch([id](SessionStore &s) { return s.loadSession(id); });
        if (loaded) {
            stored = std::move(*loaded);
            return &*stored;
        }
        if (loaded.error().code != ErrorCode::NotFound) {
            *error = loaded.error();
            return nullptr;
        }
    }
    *error = OldToolOperations::noSession(id.toString(QUuid::WithoutBraces));
    return nullptr;
}

namespace {

// What a cost cap counts for the model, and why (PriceTable's applyPrice()).
QJsonObject price(const ModelConfig &model)
{
    const bool known = model.isPriced();
    QJsonObject price{
        {u"origin"_s, enumToString(model.priceOrigin)},
        {u"input_per_million"_s, known ? QJsonValue(model.inputPricePerMillion) : QJsonValue()},
        {u"output_per_million"_s, known ? QJsonValue(model.outputPricePerMillion) : QJsonValue()},
        {u"note"_s, model.priceNote()},
    };
    if (model.priceOrigin == PriceOrigin::ListPrice)
        price.insert(u"source"_s, model.listPrice->url.toString());
    return price;
}

} // namespace

QJsonArray models(const ModelRegistry &registry)
{
    QJsonArray models;
    for (const QString &alias : registry.aliases()) {
        const std::optional<ModelConfig> model = registry.model(alias);
        if (!model)
            continue;
        models.append(QJsonObject{{u"alias"_s, alias},
                                  {u"display_name"_s, model->displayName()},
                                  {u"model_id"_s, model->modelId},
                                  {u"kind"_s, enumToString(model->kind)},
                                  {u"base_url"_s, model->baseUrl.toString(QUrl::RemovePassword)},
                                  {u"price"_s, price(*model)}});
    }
    return models;
}

QJsonArray paradigms()
{
    QJsonArray list;
    for (const ParadigmInfo &paradigm : paradigmTable)
        list.append(QJsonObject{{u"name"_s, QString(paradigm.name)},
                                {u"topology"_s, QString(paradigm.topology)},
                                {u"description"_s, paradigm.description.english()}});
    return list;
}

} // namespace Crosstalk::ApiLookups
