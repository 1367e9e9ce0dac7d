// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/pricetable.h"

#include "common/jsonfields.h"

#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

// The makers' own API hosts: a list price holds there, not at a proxy with its own prices.
const QHash<QString, QString> kProviderHosts = {
    {u"openai"_s, u"api.openai.com"_s},
    {u"anthropic"_s, u"api.anthropic.com"_s},
};

QString problemText(const QList<FieldError> &errors)
{
    QStringList lines;
    for (const FieldError &error : errors)
        lines << error.toString();
    return lines.join(u"; "_s);
}

} // namespace

const PriceTable &PriceTable::bundled()
{
    static const PriceTable table = [] {
        QFile file(u":/crosstalk/prices.json"_s);
        QStringList problems;
        PriceTable read =
            file.open(QIODevice::ReadOnly) ? fromJson(file.readAll(), &problems) : PriceTable();
        // The file is ours and checked by a test: a problem here is a build defect.
        Q_ASSERT_X(problems.isEmpty(), "PriceTable", qPrintable(problems.join(u'\n')));
        return read;
    }();
    return table;
}

PriceTable PriceTable::fromJson(const QByteArray &json, QStringList *problems)
{
    PriceTable table;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (!document.isObject()) {
        *problems << u"not a JSON object: %1"_s.arg(parseError.errorString());
        return table;
    }
    QList<FieldError> errors;
    JsonFields top(document.object(), QString(), errors);
    top.string("about"_L1);
    QHash<QString, ListPrice> sources;
    if (const auto sourceObjects = top.object("sources"_L1)) {
        for (auto it = sourceObjects->constBegin(); it != sourceObjects->constEnd(); ++it) {
            JsonFields fields(it.value().toObject(), u"sources."_s + it.key(), errors);
            ListPrice source;
            source.publisher = fields.string("publisher"_L1).value_or(QString());
            source.title = fields.string("title"_L1).value_or(QString());
            source.url = QUrl(fields.string("url"_L1).value_or(QString()));
            const QString published = fields.string("published"_L1).value_or(QString());
            source.published = QDate::fromString(published, Qt::ISODate);
            if (!source.published.isValid())
                fields.fail("published"_L1, u"must be a date (YYYY-MM-DD)"_s);
            fields.rejectUnknownKeys();
            sources.insert(it.key(), source);
        }
    }
    const QJsonArray models = top.array("models"_L1).value_or(QJsonArray());
    top.rejectUnknownKeys();
    for (qsizetype i = 0; i < models.size(); ++i) {
        JsonFields fields(models.at(i).toObject(), elementPath(u"models"_s, i), errors);
        const QString provider = fields.string("provider"_L1).value_or(QString());
        const QStringList ids = fields.stringList("ids"_L1).value_or(QStringList());
        const double input = fields.number("input"_L1, 0, 1e6).value_or(0);
        const double output = fields.number("output"_L1, 0, 1e6).value_or(0);
        const QString source = fields.string("source"_L1).value_or(QString());
        if (!kProviderHosts.contains(provider))
            fields.fail("provider"_L1, u"must be one of: openai, anthropic"_s);
        if (!sources.contains(source))
            fields.fail("source"_L1, u"names no entry of sources"_s);
        fields.rejectUnknownKeys();
        Entry entry{kProviderHosts.value(provider), ids, sources.value(source)};
        entry.price.inputPerMillion = input;
        entry.price.outputPerMillion = output;
        table.m_entries.append(entry);
    }
    if (!errors.isEmpty()) {
        *problems << problemText(errors);
        return PriceTable();
    }
    return table;
}

std::optional<ListPrice> PriceTable::find(ApiKind kind, const QUrl &baseUrl,
                                          const QString &modelId) const
{
    if (kind == ApiKind::Demo)
        return std::nullopt;
    const QString host = baseUrl.host().toLower();
    for (const Entry &entry : m_entries)
        if (entry.host == host && entry.ids.contains(modelId))
            return entry.price;
    return std::nullopt;
}

bool isLocalServer(const QUrl &baseUrl)
{
    const QString host = baseUrl.host().toLower();
    if (host.isEmpty())
        return false;
    if (host == u"localhost"_s || host.endsWith(u".localhost"_s) || host.endsWith(u".local"_s))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && (address.isLoopback() || address.isPrivateUse() ||
                                 address.isLinkLocal() || address.isUniqueLocalUnicast());
}

void applyPrice(ModelConfig &model, const PriceTable &table)
{
    model.listPrice.reset();
    if (model.sourceOf(u"input_price_per_million"_s) == ValueSource::Settings ||
        model.sourceOf(u"output_price_per_million"_s) == ValueSource::Settings) {
        model.priceOrigin = PriceOrigin::Settings;
        model.listPrice = table.find(model.kind, model.baseUrl, model.modelId);
        return;
    }
    model.inputPricePerMillion = 0;
    model.outputPricePerMillion = 0;
    if (model.kind == ApiKind::Demo || isLocalServer(model.baseUrl)) {
        model.priceOrigin = PriceOrigin::Free;
        return;
    }
    model.listPrice = table.find(model.kind, model.baseUrl, model.modelId);
    model.priceOrigin = model.listPrice ? PriceOrigin::ListPrice : PriceOrigin::Unpriced;
    if (model.listPrice) {
        model.inputPricePerMillion = model.listPrice->inputPerMillion;
        model.outputPricePerMillion = model.listPrice->outputPerMillion;
    }
}

} // namespace Crosstalk
