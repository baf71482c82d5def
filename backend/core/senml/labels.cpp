#include "labels.h"

#include <array>

using namespace Qt::StringLiterals;

namespace mf::senml::detail {

namespace {

// RFC 8428 Table 1 order.
constexpr std::array<LabelInfo, LabelCount> kLabels{{
    {Label::BaseName, "bn"_L1, -2, Kind::Text},
    {Label::BaseTime, "bt"_L1, -3, Kind::Number},
    {Label::BaseUnit, "bu"_L1, -4, Kind::Text},
    {Label::BaseValue, "bv"_L1, -5, Kind::Number},
    {Label::BaseSum, "bs"_L1, -6, Kind::Number},
    {Label::BaseVersion, "bver"_L1, -1, Kind::Version},
    {Label::Name, "n"_L1, 0, Kind::Text},
    {Label::Unit, "u"_L1, 1, Kind::Text},
    {Label::Value, "v"_L1, 2, Kind::Number},
    {Label::StringValue, "vs"_L1, 3, Kind::Text},
    {Label::BoolValue, "vb"_L1, 4, Kind::Boolean},
    {Label::Sum, "s"_L1, 5, Kind::Number},
    {Label::Time, "t"_L1, 6, Kind::Number},
    {Label::UpdateTime, "ut"_L1, 7, Kind::Number},
    {Label::DataValue, "vd"_L1, 8, Kind::Data},
}};

} // namespace

const LabelInfo *labelForText(QStringView text)
{
    for (const LabelInfo &info : kLabels) {
        if (text == info.text) return &info;
    }
    return nullptr;
}

const LabelInfo *labelForCborKey(qint64 key)
{
    for (const LabelInfo &info : kLabels) {
        if (key == info.cborKey) return &info;
    }
    return nullptr;
}

std::span<const LabelInfo> allLabels()
{
    return kLabels;
}

} // namespace mf::senml::detail
