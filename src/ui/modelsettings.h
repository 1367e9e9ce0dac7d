// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QProcessEnvironment>

#include <functional>
#include <memory>

namespace Crosstalk {

class Engine;
class Settings;
struct LocalServer;
struct ModelConfig;

// Writes model changes to the settings file (keys to the keychain) and gives the Engine the
// models as they now are, so the change takes effect at once everywhere in the process.
class ModelSettings : public QObject
{
    Q_OBJECT

public:
    explicit ModelSettings(Engine *engine, QObject *parent = nullptr);
    ~ModelSettings() override;

    // Stores a model. A slot (big, middle, small) keeps following the environment except in
    // the values that differ from it. `key`, when given, goes to the keychain first, and the
    // model is saved only once it is kept there; `done` gets the keychain's error (empty on
    // success). A model whose key reference is `run:` is kept for this run only.
    void store(const ModelConfig &model, const QString &key = {},
               std::function<void(QString error)> done = {});
    // Removes a user's model (and its keychain key), or a slot's overrides.
    void remove(const QString &alias);
    // Adds a model of a detected local server (its first when `modelId` is empty), without a
    // key; returns its alias.
    QString addLocalServer(const LocalServer &server, const QString &modelId = {});
    // Whether the settings file holds values for the alias.
    bool isStored(const QString &alias) const;

    Settings &settings() const { return *m_settings; }

Q_SIGNALS:
    void changed();

private:
    void reload();
    void writeAttributes(const ModelConfig &model);

    Engine *m_engine;
    std::unique_ptr<Settings> m_settings;
    QProcessEnvironment m_environment = QProcessEnvironment::systemEnvironment();
};

} // namespace Crosstalk
