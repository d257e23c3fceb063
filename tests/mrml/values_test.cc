// SPDX-License-Identifier: BSD-3-Clause
#include "mrml/values.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace mrmlguard::internal::mrml {
namespace {

// vtkMRMLVolumePropertyNode::DataFromString: "count v1 .. vcount", new double[count].
TEST(ValuesTest, CountedLists) {
  EXPECT_EQ(ParseCountedList("4 0 0 255 1", 100).status, CountedList::kOk);
  EXPECT_EQ(ParseCountedList("4 0 0 255 1", 100).count, 4u);
  EXPECT_EQ(ParseCountedList("", 100).status, CountedList::kOk);
  EXPECT_EQ(ParseCountedList("0", 100).status, CountedList::kOk);
  EXPECT_EQ(ParseCountedList("-2 0 0", 100).status, CountedList::kNegative);
  EXPECT_EQ(ParseCountedList("-99999999999999999999", 100).status, CountedList::kBadCount);
  EXPECT_EQ(ParseCountedList("101", 100).status, CountedList::kTooMany);
  EXPECT_EQ(ParseCountedList("99999999999999999999 1", 100).status, CountedList::kTooMany);
  EXPECT_EQ(ParseCountedList("2.5 0 0", 100).status, CountedList::kBadCount);
  EXPECT_EQ(ParseCountedList("+2 0 0", 100).status, CountedList::kOk);
  CountedList bad = ParseCountedList("3 0 nan 1", 100);
  EXPECT_EQ(bad.status, CountedList::kBadValue);
  EXPECT_EQ(bad.bad_index, 2u);
  CountedList few = ParseCountedList("4 0 0", 100);
  EXPECT_EQ(few.status, CountedList::kMismatch);
  EXPECT_EQ(few.found, 2u);
  // Extra values stop the count one past the declared one: bounded work.
  CountedList many = ParseCountedList("1 0 1 2 3 4 5", 100);
  EXPECT_EQ(many.status, CountedList::kMismatch);
  EXPECT_EQ(many.found, 2u);
}

// slicer.parameterNodeWrapper AnySerializer: "<name>.type" / "<name>.type.0" name the module to import.
TEST(ValuesTest, ScriptedTypeImports) {
  EXPECT_TRUE(ScriptedTypeImports("v.type", "evil.module"));
  EXPECT_FALSE(ScriptedTypeImports("v.type", "int"));
  EXPECT_TRUE(ScriptedTypeImports("v.type.0", "antigravity"));
  EXPECT_TRUE(ScriptedTypeImports("a.2.type.0", "os.path"));
  EXPECT_TRUE(ScriptedTypeImports("v.type.0", "vtk.evil"));
  EXPECT_TRUE(ScriptedTypeImports("v.type.0", "vtk_evil"));
  for (const char* safe : {"builtins", "typing", "pathlib", "slicer", "vtkSlicerMRMLCorePython", "vtkmodules"}) {
    EXPECT_FALSE(ScriptedTypeImports("v.type.0", safe)) << safe;
  }
  EXPECT_FALSE(ScriptedTypeImports("v.type.1", "os"));  // the class half: getattr only
  EXPECT_FALSE(ScriptedTypeImports("v.type.0", ""));
  EXPECT_FALSE(ScriptedTypeImports("typed", "os.path"));
}

TEST(ValuesTest, StrictIntegers) {
  int64_t v = 0;
  EXPECT_EQ(ParseStrictInt("42", &v), NumberStatus::kOk);
  EXPECT_EQ(v, 42);
  EXPECT_EQ(ParseStrictInt("-7", &v), NumberStatus::kOk);
  EXPECT_EQ(v, -7);
  EXPECT_EQ(ParseStrictInt("+3", &v), NumberStatus::kOk);
  for (const char* bad : {"", "-", "1e3", "0x10", " 1", "1 ", "12a", "1.0", "1234567890123456789"}) {
    EXPECT_EQ(ParseStrictInt(bad, &v), NumberStatus::kSyntax) << bad;
  }
}

TEST(ValuesTest, StrictReals) {
  double v = 0;
  for (const char* ok : {"0", "-0", "1.5", ".5", "5.", "1e3", "-1.25E-2", "+2"}) {
    EXPECT_EQ(ParseStrictReal(ok, &v), NumberStatus::kOk) << ok;
  }
  EXPECT_EQ(ParseStrictReal("1e-400", &v), NumberStatus::kOk);  // underflow: harmless
  for (const char* inf : {"nan", "NaN", "-inf", "Infinity", "nan(0x1)", "1e999", "-1e400", "123456789e301"}) {
    EXPECT_EQ(ParseStrictReal(inf, &v), NumberStatus::kNonFinite) << inf;
  }
  for (const char* bad : {"", ".", "e5", "1e", "1.2.3", "0x1p3", "1,5", "- 1"}) {
    EXPECT_EQ(ParseStrictReal(bad, &v), NumberStatus::kSyntax) << bad;
  }
}

TEST(ValuesTest, UrlDecodeFollowsSlicersOrder) {
  EXPECT_EQ(SlicerUrlDecode("a%20b"), "a b");
  EXPECT_EQ(SlicerUrlDecode("%2520"), "%20");              // %25 last: no double decoding
  EXPECT_EQ(SlicerUrlDecode("%2E%2E%2Fx"), "%2E%2E%2Fx");  // not decoded by Slicer
  EXPECT_EQ(SlicerUrlDecode("%22%3C%3E%27"), "\"<>'");
  EXPECT_EQ(SlicerUrlDecode("%3c"), "%3c");  // case-sensitive
}

TEST(ValuesTest, ReferencesGrammar) {
  std::vector<ReferenceRole> roles;
  EXPECT_EQ(ParseReferences("display:d1 d2;storage:s1;", &roles), "");
  ASSERT_EQ(roles.size(), 2u);
  EXPECT_EQ(roles[0].role, "display");
  EXPECT_EQ(roles[0].ids.size(), 2u);
  roles.clear();
  EXPECT_EQ(ParseReferences("", &roles), "");
  EXPECT_EQ(ParseReferences("a:b", &roles), "");
  roles.clear();
  EXPECT_EQ(ParseReferences("unit/length:u1 {x=1,y=2}", &roles), "");
  for (const char* bad :
       {"a:b;;c:d", ";a:b", "a", "a:b;c", ":b", "a:b;a:c", "a:{x=1}", "a:b {x}", "a:b{x=1}", "a:b {x=1", "a:b }"}) {
    roles.clear();
    EXPECT_NE(ParseReferences(bad, &roles), "") << bad;
  }
}

TEST(ValuesTest, MarkupsLabelFormat) {
  for (const char* ok : {"%N-%d", "%S_%03d", "P%-5d%%", "", "plain", "%N"}) {
    EXPECT_EQ(CheckMarkupsLabelFormat(ok), "") << ok;
  }
  for (const char* bad : {"%s", "%d%d", "%n", "%1234d", "%5$d", "%", "%%N", "%.2d", "%ld", "%5N"}) {
    EXPECT_NE(CheckMarkupsLabelFormat(bad), "") << bad;
  }
}

TEST(ValuesTest, SingleConversionFormat) {
  for (const char* ok : {"%.1f", "%s", "%-5.2f mm", "%% %g", "%+e", "%12.2f"}) {
    EXPECT_EQ(CheckSingleConversionFormat(ok), "") << ok;
  }
  for (const char* bad : {"", "%5$s", "%n", "%s %s", "%d", "%.1sf%s", "%1234f", "%.123f", "abc", "%-+5f", "%ls"}) {
    EXPECT_NE(CheckSingleConversionFormat(bad), "") << bad;
  }
}

TEST(ValuesTest, AttributeValueDecodeLikeSlicer) {
  EXPECT_EQ(SlicerAttributeValueDecode("Evil%3BModule"), "Evil;Module");
  EXPECT_EQ(SlicerAttributeValueDecode("a%253Bb"), "a%3Bb");  // %3B first, then %25: not decoded twice
  EXPECT_EQ(SlicerAttributeValueDecode("%2%3B%25"), "%2;%");
  EXPECT_EQ(SlicerAttributeValueDecode(""), "");
}

TEST(ValuesTest, ListItemsKeepEmptyOnesAndSpaces) {
  std::vector<std::string> items;
  ForEachListItem(" a;;b ;", ';', [&](std::string_view item) { items.emplace_back(item); });
  EXPECT_EQ(items, (std::vector<std::string>{" a", "", "b ", ""}));
  items.clear();
  ForEachListItem("", ';', [&](std::string_view item) { items.emplace_back(item); });
  EXPECT_EQ(items, (std::vector<std::string>{""}));
}

}  // namespace
}  // namespace mrmlguard::internal::mrml
