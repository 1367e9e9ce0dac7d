// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserverprobe.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace Crosstalk {

class Engine;
class ModelSettings;

// The first-run welcome: it looks at what is there — keys in the environment, models in the
// settings, model servers on this computer — and leads to a running conversation in a few
// clicks: on those models when there are any, else on the labelled offline demo model.
class WelcomeDialog : public QDialog
{
    Q_OBJECT

public:
    WelcomeDialog(Engine *engine, const QList<LocalServerProbe::Candidate> &candidates,
                  QWidget *parent = nullptr);

    bool probeFinished() const { return m_probe->isFinished(); }
    // What the dialog suggests, for tests: "demo", "configured" or "local".
    QString suggestion() const { return m_suggestion; }

Q_SIGNALS:
    void demoRequested();
    void newSessionRequested();
    void settingsRequested();

private:
    void onProbed(const QList<LocalServer> &servers);
    QPushButton *addChoice(const QString &name, const QString &title, const QString &text,
                           const QString &button);

    Engine *m_engine;
    ModelSettings *m_models;
    LocalServerProbe *m_probe;
    QLabel *m_status = nullptr;
    QVBoxLayout *m_choices = nullptr;
    QString m_suggestion;
};

} // namespace Crosstalk
