// SPDX-License-Identifier: GPL-3.0-or-later
#include "persona/persona.h"

#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <yaml-cpp/yaml.h>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

constexpr qsizetype maxNameLength = 64;

// The text of a persona file split at its front matter. Line numbers are 1-based, for errors.
struct Sections
{
    bool hasFrontMatter = false;
    bool closed = false;
    QString frontMatter;
    QString body;
};

bool isFenceLine(QStringView line, bool closing)
{
    const QStringView trimmed = line.trimmed();
    return trimmed == u"---"_s || (closing && trimmed == u"..."_s);
}

Sections split(const QString &text)
{
    Sections sections;
    const qsizetype firstEnd = text.indexOf(u'\n');
    const QStringView firstLine = QStringView(text).left(firstEnd < 0 ? text.size() : firstEnd);
    if (!isFenceLine(firstLine, false) || !firstLine.startsWith(u"---"_s)) {
        sections.body = text;
        return sections;
    }
    sections.hasFrontMatter = true;
    qsizetype start = firstEnd < 0 ? text.size() : firstEnd + 1;
    const qsizetype yamlStart = start;
    while (start < text.size()) {
        qsizetype end = text.indexOf(u'\n', start);
        if (end < 0) {
            end = text.size();
        }
        if (isFenceLine(QStringView(text).mid(start, end - start), true)) {
            sections.closed = true;
            sections.frontMatter = text.mid(yamlStart, start - yamlStart);
            sections.body = text.mid(end + 1);
            return sections;
        }
        start = end + 1;
    }
    return sections;
}

QString lineText(int line)
{
    return u"line "_s + QString::number(line);
}

QString countText(qsizetype count)
{
    return QString::number(count);
}

std::string toStd(const QString &text)
{
    return text.toStdString();
}

void readFrontMatter(const QString &yaml, Persona &persona, const QString &where,
                     QList<FieldError> &errors)
{
    // Line 1 is the opening `---`, so YAML line 0 is the file's line 2.
    constexpr int firstLine = 2;
    YAML::Node root;
    try {
        root = YAML::Load(toStd(yaml));
    } catch (const YAML::Exception &e) {
        errors.append({where, lineText(e.mark.line + firstLine) +
                                  u": the front matter is not valid YAML: "_s +
                                  QString::fromStdString(e.msg)});
        return;
    }
    if (root.IsNull()) {
        return;
    }
    if (!root.IsMap()) {
        errors.append({where, lineText(root.Mark().line + firstLine) +
                                  u": the front matter must be a mapping of keys to values"_s});
        return;
    }
    QSet<QString> seen;
    for (auto it = root.begin(); it != root.end(); ++it) {
        const QString key = QString::fromStdString(it->first.as<std::string>(std::string()));
        const YAML::Node value = it->second;
        const QString at =
            lineText(it->first.Mark().line + firstLine) + u": front matter key `"_s + key + u"` "_s;
        if (seen.contains(key)) {
            errors.append({where, at + u"appears twice"_s});
            continue;
        }
        seen.insert(key);
        static const QStringList known{u"name"_s, u"colour"_s, u"model"_s, u"description"_s};
        if (!known.contains(key)) {
            persona.warnings.append(
                where + u": "_s + at +
                u"is not used (known keys: name, colour, model, description)"_s);
            continue;
        }
        if (value.IsNull()) {
            continue;
        }
        if (!value.IsScalar()) {
            errors.append({where, at + u"must be text"_s});
            continue;
        }
        const QString text = QString::fromStdString(value.Scalar()).trimmed();
        if (key == u"name"_s) {
            if (text.isEmpty() || text.size() > maxNameLength) {
                errors.append({where, at + u"must be 1 to "_s + QString::number(maxNameLength) +
                                          u" characters long"_s});
            } else {
                persona.name = text;
            }
        } else if (key == u"colour"_s) {
            const QColor colour = QColor::fromString(text);
            if (!colour.isValid()) {
                errors.append({where, at + u"is not a colour: `"_s + text +
                                          u"` (use #rrggbb or a colour name such as teal)"_s});
            } else {
                persona.colour = colour;
            }
        } else if (key == u"model"_s) {
            persona.model = text;
        } else {
            persona.description = text;
        }
    }
}

Parsed<Persona> finish(Persona persona, const QString &body, const QString &where,
                       QList<FieldError> errors)
{
    persona.prompt = body.trimmed();
    const qsizetype length = QStringView(persona.prompt).toUcs4().size();
    if (length < Persona::minLength) {
        errors.append({where, u"is too short: the prompt has "_s + countText(length) +
                                  u" characters, at least "_s + countText(Persona::minLength) +
                                  u" are needed"_s});
    } else if (length > Persona::maxLength) {
        errors.append({where, u"is too long: the prompt has "_s + countText(length) +
                                  u" characters, at most "_s + countText(Persona::maxLength) +
                                  u" are allowed"_s});
    }
    if (!errors.isEmpty()) {
        return {std::nullopt, errors};
    }
    return {std::move(persona), {}};
}

} // namespace

qsizetype invalidUtf8Offset(const QByteArray &bytes)
{
    const auto *data = reinterpret_cast<const unsigned char *>(bytes.constData());
    const qsizetype size = bytes.size();
    qsizetype i = 0;
    while (i < size) {
        const unsigned char lead = data[i];
        if (lead < 0x80) {
            ++i;
            continue;
        }
        int extra = 0;
        char32_t codePoint = 0;
        char32_t minimum = 0;
        if ((lead & 0xE0) == 0xC0) {
            extra = 1;
            codePoint = lead & 0x1F;
            minimum = 0x80;
        } else if ((lead & 0xF0) == 0xE0) {
            extra = 2;
            codePoint = lead & 0x0F;
            minimum = 0x800;
        } else if ((lead & 0xF8) == 0xF0) {
            extra = 3;
            codePoint = lead & 0x07;
            minimum = 0x10000;
        } else {
            return i;
        }
        if (size - i <= extra) {
            return i;
        }
        for (int k = 1; k <= extra; ++k) {
            const unsigned char next = data[i + k];
            if ((next & 0xC0) != 0x80) {
                return i;
            }
            codePoint = (codePoint << 6) | (next & 0x3F);
        }
        if (codePoint < minimum || codePoint > 0x10FFFF ||
            (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
            return i;
        }
        i += extra + 1;
    }
    return -1;
}

QString Persona::defaultPrompt()
{
    return u"You are {{name}}, taking part in a conversation with {{participants}}. Speak in "
           "your own voice: be concise and concrete, and engage with what the others say."_s;
}

bool Persona::hasFrontMatter() const
{
    return !name.isEmpty() || colour.isValid() || !model.isEmpty() || !description.isEmpty();
}

QString Persona::toFileText() const
{
    if (!hasFrontMatter()) {
        return prompt + u'\n';
    }
    YAML::Emitter out;
    out << YAML::BeginMap;
    const auto field = [&out](const char *key, const QString &value) {
        if (!value.isEmpty()) {
            out << YAML::Key << key << YAML::Value << toStd(value);
        }
    };
    field("name", name);
    field("colour", colour.isValid() ? colour.name() : QString());
    field("model", model);
    field("description", description);
    out << YAML::EndMap;
    return u"---\n"_s + QString::fromUtf8(out.c_str()) + u"\n---\n\n"_s + prompt + u'\n';
}

Parsed<Persona> Persona::fromFileBytes(const QByteArray &bytes, const QString &where)
{
    const qsizetype bad = invalidUtf8Offset(bytes);
    if (bad >= 0) {
        return {std::nullopt,
                {{where, u"is not UTF-8 text: invalid byte 0x"_s +
                             QString::number(quint8(bytes.at(bad)), 16).toUpper() +
                             u" at byte offset "_s + QString::number(bad)}}};
    }
    QString text = QString::fromUtf8(bytes);
    if (text.startsWith(QChar(0xFEFF))) {
        text.remove(0, 1);
    }
    text.replace(u"\r\n"_s, u"\n"_s);

    Persona persona;
    QList<FieldError> errors;
    const Sections sections = split(text);
    if (sections.hasFrontMatter && !sections.closed) {
        errors.append(
            {where, u"line 1: the front matter is not closed: a line `---` must end it"_s});
        return {std::nullopt, errors};
    }
    if (sections.hasFrontMatter) {
        readFrontMatter(sections.frontMatter, persona, where, errors);
    }
    return finish(std::move(persona), sections.body, where, std::move(errors));
}

Parsed<Persona> Persona::fromInlineText(const QString &text, const QString &where)
{
    return finish(Persona(), text, where, {});
}

Parsed<Persona> Persona::readFile(const QString &path, const QString &where)
{
    const QString name = where.isEmpty() ? path : where;
    const QFileInfo info(path);
    if (!info.exists()) {
        return {std::nullopt, {{name, u"file not found: "_s + info.absoluteFilePath()}}};
    }
    if (info.isDir()) {
        return {std::nullopt, {{name, u"is a directory, not a persona file"_s}}};
    }
    if (info.size() > maxFileBytes) {
        return {std::nullopt,
                {{name, u"is too long: "_s + countText(info.size()) +
                            u" bytes, a persona file has at most "_s + countText(maxFileBytes)}}};
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {std::nullopt, {{name, u"cannot be read: "_s + file.errorString()}}};
    }
    // Read one byte past the limit, so that a file that grew since the check is still caught.
    const QByteArray bytes = file.read(maxFileBytes + 1);
    if (bytes.size() > maxFileBytes) {
        return {std::nullopt,
                {{name, u"is too long: more than "_s + countText(maxFileBytes) + u" bytes"_s}}};
    }
    Parsed<Persona> parsed = fromFileBytes(bytes, name);
    if (parsed.value) {
        parsed.value->filePath = info.absoluteFilePath();
    }
    return parsed;
}

} // namespace Crosstalk
