// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/error.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace Crosstalk {

Error Error::invalidInput(const QList<FieldError> &errors)
{
    QStringList problems;
    QJsonArray fields;
    for (const FieldError &error : errors) {
        problems.append(error.toString());
        fields.append(QJsonObject{{u"field"_s, error.path}, {u"problem"_s, error.problem}});
    }
    return {ErrorCode::InvalidArgument, problems.join(u"; "_s), {{u"fields"_s, fields}}};
}

QJsonObject Error::toJson() const
{
    return {{u"error"_s, QJsonObject{
                             {u"code"_s, enumToString(code)},
                             {u"message"_s, message},
                             {u"details"_s, details},
                         }}};
}

} // namespace Crosstalk
