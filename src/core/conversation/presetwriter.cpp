// SPDX-License-Identifier: GPL-3.0-or-later
// Preset::toYaml and Preset::save: a setup written back as a preset file.
#include "conversation/preset.h"

#include "conversation/setupjson.h"
#include "persona/personalibrary.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QSaveFile>

#include <yaml-cpp/yaml.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

const auto kPathPrefix = u"path:"_s;

std::string toStd(const QString &text)
{
    return text.toStdString();
}

// Writes the scalars of SetupJson's form as YAML; the preset reader takes the same keys.
void emitScalar(YAML::Emitter &out, const QJsonValue &value)
{
    if (value.isBool()) {
        out << value.toBool();
    } else if (value.isString()) {
        out << toStd(value.toString());
    } else if (const double number = value.toDouble(); number == double(value.toInteger())) {
        out << value.toInteger();
    } else {
        out << number;
    }
}

// The members of `object` that are not null; a nested object becomes a nested mapping, left
// out when none of its members is set.
void emitMembers(YAML::Emitter &out, const QJsonObject &object)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it->isNull()) {
            continue;
        }
        if (it->isObject()) {
            const QJsonObject inner = it->toObject();
            if (std::all_of(inner.begin(), inner.end(),
                            [](const QJsonValueConstRef &value) { return value.isNull(); })) {
                continue;
            }
            out << YAML::Key << toStd(it.key()) << YAML::Value << YAML::BeginMap;
            emitMembers(out, inner);
            out << YAML::EndMap;
            continue;
        }
        out << YAML::Key << toStd(it.key()) << YAML::Value;
        emitScalar(out, *it);
    }
}

} // namespace

QByteArray Preset::toYaml(const QString &folder) const
{
    const bool moved = QDir::cleanPath(QDir(folder).absolutePath()) !=
                       QDir::cleanPath(QDir(baseFolder).absolutePath());
    YAML::Emitter out;
    out << YAML::BeginMap;
    if (!participants.isEmpty()) {
        out << YAML::Key << "participants" << YAML::Value << YAML::BeginSeq;
        for (const Participant &participant : participants) {
            // The persona is written as the reference it came from, or its text: below.
            QJsonObject fields = SetupJson::participantToJson(participant);
            fields.remove(u"persona"_s);
            fields.remove(u"persona_source"_s);
            out << YAML::BeginMap;
            emitMembers(out, fields);
            QString reference = participant.personaSource;
            const bool isPath = reference.startsWith(kPathPrefix);
            const QString file = isPath ? reference.mid(kPathPrefix.size()) : reference;
            const QString old = QDir(baseFolder).absoluteFilePath(file);
            // A file next to the old preset is named relative to the new one; anything else
            // (the library, absolute paths, `~/`) reads the same from there.
            if (moved && (isPath || PersonaLibrary::isPersonaFileName(file)) &&
                QDir::isRelativePath(file) && !file.startsWith(u'~') && QFileInfo::exists(old)) {
                reference = kPathPrefix + QDir(folder).relativeFilePath(old);
            }
            if (reference.isEmpty() && !participant.persona.isEmpty()) {
                out << YAML::Key << "persona" << YAML::Value << YAML::Literal
                    << toStd(participant.persona);
            } else if (!reference.isEmpty()) {
                out << YAML::Key << "persona" << YAML::Value << toStd(reference);
            }
            out << YAML::EndMap;
        }
        out << YAML::EndSeq;
    }
    out << YAML::Key << "paradigm" << YAML::Value << toStd(enumToString(paradigm));
    out << YAML::Key << "rounds" << YAML::Value << rounds;
    out << YAML::Key << "topic" << YAML::Value << toStd(topic);
    emitMembers(out, SetupJson::optionsToJson(options));
    out << YAML::EndMap;
    return QByteArray(out.c_str()) + '\n';
}

std::optional<FieldError> Preset::save(const QString &path) const
{
    const QByteArray bytes = toYaml(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        return FieldError{path, u"cannot be written: "_s + file.errorString()};
    }
    return std::nullopt;
}

} // namespace Crosstalk
