// SPDX-License-Identifier: BSD-3-Clause
// Values (checks 20-24): the grammar of every attribute the registry gives
// one (lib/mrml/registry: node-attributes.tsv, overlay.tsv, slicer-scan.tsv),
// markups label formats and ColorTable colors.

#include <string>

#include "findings/quote.h"
#include "mrml/rules/rules.h"

namespace mrmlguard::internal::mrml {
namespace {

using registry::AttrKind;
using registry::AttrSpec;

// One attribute being judged against its grammar.
struct ValueCheck {
  const NodeContext& node;
  const XmlAttribute& attr;
  SceneFindings& out;

  // "TAG attribute", built only when a finding is reported.
  std::string Where() const { return std::string(node.tag.substr(0, 64)) + " " + std::string(attr.name); }
  Location Here() const { return At(node.pos, node.id_label, attr.name); }
  void Report(Rule rule, std::string message) const { out.Add(rule, Here(), std::move(message)); }
  void Syntax(std::string_view why) const {
    Report(Rule::kMrmlValueSyntax, Where() + " " + Quote(attr.value, 80) + ": " + std::string(why));
  }
};

void CheckInt(const ValueCheck& c, const AttrSpec& spec) {
  int64_t v = 0;
  if (ParseStrictInt(c.attr.value, &v) != NumberStatus::kOk) {
    c.Syntax("not an integer (Slicer's stringstream leaves the value uninitialised)");
    return;
  }
  if (v < spec.a) {
    c.Report(Rule::kMrmlValueRange, c.Where() + " " + std::to_string(v) + " is below " + std::to_string(spec.a));
    return;
  }
  if (spec.kind == AttrKind::kIntLimit) {
    uint64_t limit = c.out.limits().*(spec.limit);
    if (static_cast<uint64_t>(v) > limit) {
      c.out.LimitReached(Rule::kMrmlLimitExceeded, spec.limit_name, limit, c.Here(),
                         "by " + c.Where() + " " + std::to_string(v));
    }
  } else if (v > spec.b) {
    c.Report(Rule::kMrmlValueRange, c.Where() + " " + std::to_string(v) + " is above " + std::to_string(spec.b));
  }
}

void CheckReal(const ValueCheck& c) {
  double v = 0;
  NumberStatus st = ParseStrictReal(c.attr.value, &v);
  if (st == NumberStatus::kNonFinite) {
    c.Report(Rule::kMrmlValueNonFinite, c.Where() + " " + Quote(c.attr.value, 40) + " is not finite");
  } else if (st != NumberStatus::kOk) {
    c.Syntax("not a number");
  }
}

// Vectors (exactly spec.a values) and lists (a multiple of spec.a values).
void CheckNumbers(const ValueCheck& c, const AttrSpec& spec) {
  const bool integers = spec.kind == AttrKind::kIntVector || spec.kind == AttrKind::kIntList;
  const bool list = spec.kind == AttrKind::kRealList || spec.kind == AttrKind::kIntList;
  // Legacy annotation point lists separate points with '|'.
  const bool bars = c.attr.name == "ctrlPtsCoord" || c.attr.name == "linePtsID";
  const uint64_t max_values = c.out.limits().max_list_values;
  uint64_t count = 0;
  bool stopped = false;
  ForEachToken(c.attr.value, bars, [&](std::string_view token) {
    ++count;
    if (count > max_values) {
      c.out.LimitReached(Rule::kMrmlLimitExceeded, "max_list_values", max_values, c.Here(), "by " + c.Where());
      stopped = true;
      return false;
    }
    int64_t i = 0;
    double d = 0;
    const NumberStatus st = integers ? ParseStrictInt(token, &i) : ParseStrictReal(token, &d);
    if (st == NumberStatus::kNonFinite) {
      c.Report(Rule::kMrmlValueNonFinite,
               c.Where() + " value " + std::to_string(count) + " " + Quote(token, 32) + " is not finite" +
                   (c.attr.name == "gradients" ? " (vtkMRMLDiffusionWeightedVolumeNode loops forever on it)" : ""));
      stopped = true;
    } else if (st != NumberStatus::kOk) {
      c.Syntax("value " + std::to_string(count) + " " + Quote(token, 32) + " is not " +
               (integers ? "an integer" : "a number"));
      stopped = true;
    }
    return !stopped;
  });
  if (stopped) return;
  const uint64_t n = static_cast<uint64_t>(spec.a);
  if (list ? (n > 0 && count % n != 0) : count != n) {
    c.Report(Rule::kMrmlValueCount,
             c.Where() + " has " + std::to_string(count) + " values; " +
                 (list ? "Slicer reads them in groups of " + std::to_string(n) + " and reads past the end"
                       : "Slicer reads exactly " + std::to_string(n) + " and leaves the rest uninitialised"));
  }
}

void CheckFormat(const ValueCheck& c, const AttrSpec& spec) {
  const std::string_view value = c.attr.value;
  if (spec.kind == AttrKind::kFormatNoPercent) {
    if (value.find('%') != std::string_view::npos) {
      c.Report(Rule::kMrmlFormatString, c.Where() + " " + Quote(value, 80) +
                                            " contains '%'; vtkMRMLUnitNode pastes it into the measurement print "
                                            "format");
    }
    return;
  }
  std::string why = spec.kind == AttrKind::kFormatMarkups ? CheckMarkupsLabelFormat(value)
                                                          : CheckSingleConversionFormat(value);
  if (!why.empty()) {
    c.Report(Rule::kMrmlFormatString, c.Where() + " " + Quote(value, 80) + " is passed to snprintf: " + why);
  }
}

// A finite real in spec.lo..spec.hi.
void CheckRealRange(const ValueCheck& c, const AttrSpec& spec) {
  double v = 0;
  const NumberStatus st = ParseStrictReal(c.attr.value, &v);
  if (st == NumberStatus::kNonFinite) {
    c.Report(Rule::kMrmlValueNonFinite, c.Where() + " " + Quote(c.attr.value, 40) + " is not finite");
  } else if (st != NumberStatus::kOk) {
    c.Syntax("not a number");
  } else if (v < spec.lo || v > spec.hi) {
    c.Report(Rule::kMrmlValueRange, c.Where() + " " + Quote(c.attr.value, 40) + " is outside " +
                                        FormatReal(spec.lo) + ".." + FormatReal(spec.hi));
  }
}

// "n v1 .. vn" (vtkMRMLVolumePropertyNode::DataFromString: new double[n],
// then n values), n a multiple of spec.a.
void CheckCountedList(const ValueCheck& c, const AttrSpec& spec) {
  const uint64_t max_values = c.out.limits().max_list_values;
  const CountedList list = ParseCountedList(c.attr.value, max_values);
  switch (list.status) {
    case CountedList::kOk:
      if (spec.a > 0 && list.count % static_cast<uint64_t>(spec.a) != 0) {
        c.Report(Rule::kMrmlValueCount, c.Where() + " count " + std::to_string(list.count) +
                                            " is not a multiple of " + std::to_string(spec.a) +
                                            " (Slicer allocates and fills it, then drops the function)");
      }
      return;
    case CountedList::kBadCount:
      c.Syntax("the leading count is not an integer (Slicer allocates new double[count] from it)");
      return;
    case CountedList::kNegative:
      c.Report(Rule::kMrmlValueRange, c.Where() + " count " +
                                          Quote(c.attr.value.substr(0, c.attr.value.find(' ')), 24) +
                                          " is negative: new double[count] aborts Slicer");
      return;
    case CountedList::kTooMany:
      c.out.LimitReached(Rule::kMrmlLimitExceeded, "max_list_values", max_values, c.Here(),
                         "by the count of " + c.Where() + " (new double[count])");
      return;
    case CountedList::kBadValue:
      c.Syntax("value " + std::to_string(list.bad_index) + " is not a finite number");
      return;
    case CountedList::kMismatch:
      c.Report(Rule::kMrmlValueCount, c.Where() + " declares " + std::to_string(list.count) + " values and has " +
                                          std::to_string(list.found) + " (Slicer reads exactly the declared count)");
      return;
  }
}

// Check 22 on the colors attribute: "index name r g b a" groups. Empty when consistent.
std::string ColorsProblem(std::string_view colors, int64_t numcolors) {
  uint64_t entries = 0;
  std::string problem;
  int64_t field = 0;
  ForEachToken(colors, false, [&](std::string_view token) {
    int64_t k = field % 6;
    if (k == 0) {
      int64_t index = 0;
      if (ParseStrictInt(token, &index) != NumberStatus::kOk) {
        problem = "color index " + Quote(token, 32) + " is not an integer";
        return false;
      }
      if (numcolors >= 0 && (index < 0 || index >= numcolors)) {
        problem = "color index " + std::to_string(index) + " is outside 0.." + std::to_string(numcolors - 1);
        return false;
      }
      ++entries;
    } else if (k >= 2) {
      double v = 0;
      if (ParseStrictReal(token, &v) != NumberStatus::kOk) {
        problem = "color component " + Quote(token, 32) + " is not a finite number";
        return false;
      }
    }
    ++field;
    return true;
  });
  if (problem.empty() && field % 6 != 0) {
    problem = std::to_string(field) + " fields, not a multiple of 6 (index name r g b a)";
  }
  if (problem.empty() && numcolors >= 0 && entries > static_cast<uint64_t>(numcolors)) {
    problem = std::to_string(entries) + " colors for numcolors " + std::to_string(numcolors);
  }
  if (problem.empty() && numcolors < 0 && entries > 0) problem = "colors without numcolors";
  return problem;
}

}  // namespace

void CheckValue(const NodeContext& node, const XmlAttribute& attribute, SceneFindings& out) {
  if (node.info == nullptr) return;
  const AttrSpec* spec = registry::FindAttrSpec(*node.info, attribute.name);
  if (spec == nullptr) return;
  const ValueCheck c{node, attribute, out};
  switch (spec->kind) {
    case AttrKind::kInt:
    case AttrKind::kIntLimit:
      CheckInt(c, *spec);
      return;
    case AttrKind::kReal:
      CheckReal(c);
      return;
    case AttrKind::kRealRange:
      CheckRealRange(c, *spec);
      return;
    case AttrKind::kCountedList:
      CheckCountedList(c, *spec);
      return;
    case AttrKind::kRealVector:
    case AttrKind::kIntVector:
    case AttrKind::kRealList:
    case AttrKind::kIntList:
      CheckNumbers(c, *spec);
      return;
    case AttrKind::kFormatMarkups:
    case AttrKind::kFormatNoPercent:
    case AttrKind::kFormatOne:
      CheckFormat(c, *spec);
      return;
    case AttrKind::kBool:
      // vtkMRMLReadXMLBooleanMacro: strcmp(value, "true") ? false : true.
      if (attribute.value != "true" && attribute.value != "false") {
        c.Report(Rule::kMrmlValueBoolean,
                 c.Where() + " " + Quote(attribute.value, 40) +
                     " is not true or false: Slicer compares it with \"true\" and reads anything else as false");
      }
      return;
  }
}

void CheckLabelFormat(const NodeContext& node, const NodeFacts& facts, SceneFindings& out) {
  // vtkMRMLMarkupsNode::GenerateControlPointLabel pastes the node name into the format (%N).
  if (!node.Has(registry::kFlagMarkups)) return;
  std::string_view effective = facts.has_label_format ? facts.label_format : std::string_view("%N-%d");
  bool uses_name = effective.find("%N") != std::string_view::npos || effective.find("%S") != std::string_view::npos;
  if (uses_name && facts.has_name && facts.name.find('%') != std::string_view::npos) {
    out.Add(Rule::kMrmlFormatString, At(node.pos, node.id_label, "name"),
            "markups node name " + Quote(facts.name, 80) + " contains '%' and the label format " +
                Quote(effective, 40) +
                " pastes it into a printf format (vtkMRMLMarkupsNode::"
                "GenerateControlPointLabel)");
  }
}

void CheckColorTable(const NodeContext& node, const NodeFacts& facts, SceneFindings& out) {
  // vtkMRMLColorTableNode::ReadXMLAttributes re-appends the attribute per color.
  if (!node.Has(registry::kFlagColorTable) || !facts.has_colors) return;
  const std::string problem = ColorsProblem(facts.colors, facts.numcolors);
  if (!problem.empty()) {
    out.Add(Rule::kMrmlColorTableInconsistent, At(node.pos, node.id_label, "colors"), "ColorTable colors: " + problem);
  }
  const int64_t numcolors = facts.numcolors;
  const Limits& limits = out.limits();
  if (numcolors > 0 && static_cast<uint64_t>(numcolors) <= limits.max_color_table_colors) {
    uint64_t product = 0;
    if (__builtin_mul_overflow(static_cast<uint64_t>(numcolors), uint64_t{facts.colors.size()}, &product) ||
        product > limits.max_color_table_text_bytes) {
      out.LimitReached(Rule::kMrmlLimitExceeded, "max_color_table_text_bytes", limits.max_color_table_text_bytes,
                       At(node.pos, node.id_label, "colors"),
                       "by numcolors " + std::to_string(numcolors) + " x " + std::to_string(facts.colors.size()) +
                           " bytes of colors");
    }
  }
}

}  // namespace mrmlguard::internal::mrml
