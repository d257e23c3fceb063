// SPDX-License-Identifier: BSD-3-Clause
// Content disarm (include/mrmlguard/sanitize.h): one crafted scene per rule
// with a rewrite (the exact rule id must appear in the change report, and
// the output must be accepted by the strict profile without an error), the
// refusals (nothing written), the byte-for-byte guarantees, and every real
// scene the default profile accepts coming back unchanged.

#include "mrmlguard/sanitize.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "mrmlguard/validate.h"
#include "support/zip_builder.h"

namespace mrmlguard {
namespace {

namespace fs = std::filesystem;

std::string Scene(const std::string& body) { return "<MRML version=\"Slicer 5.8.1 33241\">" + body + "</MRML>"; }

constexpr char kLatin1Declaration[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n";

struct Case {
  const char* rule;    // the rule the scene breaks (the only error under the strict profile)
  const char* action;  // what sanitize must have done for it
  std::string body;
};

// One line per rule whose action rewrites a scene.
const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      {"mrml.tag.unknown", "drop-node", R"(<Frobnicator id="x1"></Frobnicator>)"},
      {"mrml.tag.alias", "drop-node", R"(<ScalarVolumeNode id="v1"></ScalarVolumeNode>)"},
      {"mrml.nesting", "drop-node", R"(<Volume id="a"><Volume id="b"></Volume></Volume>)"},
      {"mrml.sh-item.placement", "drop-node", R"(<Volume id="v1"><SubjectHierarchyItem id="1"></SubjectHierarchyItem></Volume>)"},
      {"mrml.sh-item.invalid", "drop-node",
       R"(<SubjectHierarchy id="sh" attributes="SubjectHierarchyVersion:2"><SubjectHierarchyItem id="x1" parent="0"></SubjectHierarchyItem></SubjectHierarchy>)"},
      {"mrml.id.missing", "drop-node", R"(<Volume name="v"></Volume>)"},
      {"mrml.id.duplicate", "drop-node", R"(<Volume id="v1"></Volume><Model id="v1"></Model>)"},
      {"mrml.id.charset", "drop-node", R"(<Volume id="v 1;{"></Volume>)"},
      {"mrml.singleton.duplicate", "drop-node",
       R"(<Selection id="s1" singletonTag="Singleton"></Selection><Selection id="s2" singletonTag="Singleton"></Selection>)"},
      {"mrml.references.syntax", "drop-attribute", R"(<Model id="m" references="display"></Model>)"},
      {"mrml.references.conflict", "drop-attribute",
       R"(<Model id="m" displayNodeRef="d1" references="display:d2;"></Model><ModelDisplay id="d1"></ModelDisplay><ModelDisplay id="d2"></ModelDisplay>)"},
      {"mrml.reference.dangling", "drop-reference", R"(<Model id="m" displayNodeRef="nowhere"></Model>)"},
      {"mrml.reference.dangling", "drop-reference",
       R"(<Model id="m" references="display:d1 gone;"></Model><ModelDisplay id="d1"></ModelDisplay>)"},
      {"mrml.reference.dangling", "drop-reference",
       R"(<SubjectHierarchy id="sh" attributes="SubjectHierarchyVersion:2"><SubjectHierarchyItem id="3" parent="0" dataNode="gone"></SubjectHierarchyItem></SubjectHierarchy>)"},
      {"mrml.parent-cycle", "drop-node",
       R"(<LinearTransform id="t1" transformNodeRef="t2"></LinearTransform><LinearTransform id="t2" transformNodeRef="t1"></LinearTransform>)"},
      {"mrml.value.syntax", "drop-attribute", R"(<Layout id="l" numberOfCompareViewRows="2x"></Layout>)"},
      {"mrml.value.non-finite", "drop-attribute", R"(<Volume id="v" spacing="1 1 1e999"></Volume>)"},
      {"mrml.value.count", "drop-attribute", R"(<Volume id="v" ijkToRASDirections="1 0 0 0 1 0 0 0"></Volume>)"},
      {"mrml.value.range", "clamp", R"(<ColorTable id="c" type="99"></ColorTable>)"},
      {"mrml.value.range", "clamp", R"(<MarkupsCurve id="c" numberOfPointsPerInterpolatingSegment="0"></MarkupsCurve>)"},
      {"mrml.value.range", "drop-attribute", R"(<VolumeProperty id="p" gradientOpacity="-2 0 0"></VolumeProperty>)"},
      {"mrml.value.boolean", "reset-attribute", R"(<ModelDisplay id="d" visibility="1"></ModelDisplay>)"},
      {"mrml.color-table.inconsistent", "drop-node",
       R"(<ColorTable id="c" type="13" numcolors="2" colors="0 'a' 0 0 0"></ColorTable>)"},
      {"mrml.format-string", "replace-format", R"(<MarkupsFiducial id="f" markupLabelFormat="%s%s%s"></MarkupsFiducial>)"},
      {"mrml.format-string", "replace-format", R"(<MarkupsFiducial id="f" name="%s%s%s%n"></MarkupsFiducial>)"},
      {"mrml.format-string", "replace-format", R"(<Unit id="u" name="Mine" Prefix="%s" Suffix=""></Unit>)"},
      {"mrml.format-string", "replace-format", R"(<ColorLegendDisplay id="c" labelFormat="%.1s%s"></ColorLegendDisplay>)"},
      {"mrml.format-string", "replace-format", R"(<SequenceBrowser id="b" indexDisplayFormat="%5$s"></SequenceBrowser>)"},
      {"mrml.storage.uri", "clear-attribute",
       R"(<Model id="m" storageNodeRef="s"></Model><ModelStorage id="s" fileName="m.vtk" uri="https://attacker/x"></ModelStorage>)"},
      {"mrml.storage.unc", "clear-attribute",
       R"(<Model id="m" storageNodeRef="s"></Model><ModelStorage id="s" fileName="//host/share/a.vtk"></ModelStorage>)"},
      {"mrml.storage.path-escapes", "clear-attribute",
       R"(<Model id="m" storageNodeRef="s"></Model><ModelStorage id="s" fileName="../../../etc/a.vtk"></ModelStorage>)"},
      {"mrml.storage.read-state", "reset-attribute",
       R"(<Model id="m" storageNodeRef="s"></Model><ModelStorage id="s" fileName="m.vtk" readState="1" writeState="x"></ModelStorage>)"},
      {"mrml.storage.extension", "drop-node",
       R"(<Model id="m" storageNodeRef="s"></Model><ModelStorage id="s" fileName="model.exe"></ModelStorage>)"},
      {"mrml.storage.unreferenced", "drop-node", R"(<ModelStorage id="s1" fileName="m.vtk"></ModelStorage>)"},
      {"mrml.storage.incompatible", "drop-reference",
       R"(<Model id="m" storageNodeRef="s"></Model><VolumeArchetypeStorage id="s" fileName="a.nrrd"></VolumeArchetypeStorage>)"},
      {"mrml.igtl-node", "drop-node", R"(<IGTLQuery id="q"></IGTLQuery>)"},
      {"mrml.code-node", "drop-node", R"(<ShaderProperty id="s"></ShaderProperty>)"},
      {"mrml.cli-node", "drop-node", R"(<CommandLineModule id="c" autorun="0"></CommandLineModule>)"},
      {"mrml.scripted-module.unknown", "drop-node", R"(<ScriptedModule id="p" ModuleName="EvilModule"></ScriptedModule>)"},
      {"mrml.legacy-node", "drop-node", R"(<AnnotationFiducials id="a"></AnnotationFiducials>)"},
      {"mrml.sequence.self-reference", "clear-attribute",
       R"(<Sequence id="q" storageNodeRef="s"></Sequence><SequenceStorage id="s" fileName="case.mrml"></SequenceStorage>)"},
      {"xml.comment", "drop-markup", R"(<!-- a --><Volume id="v"></Volume><!-- b -->)"},
      {"xml.cdata", "drop-markup", R"(<Volume id="v"><![CDATA[ ]]></Volume>)"},
      {"xml.processing-instruction", "drop-markup", R"(<?evil x?><Volume id="v"></Volume>)"},
      {"xml.latin1-declaration", "replace-declaration", kLatin1Declaration + Scene(R"(<Volume id="v"></Volume>)")},
  };
  return cases;
}

std::vector<std::string> ErrorRules(const Report& report) {
  std::vector<std::string> out;
  for (const Finding& f : report.findings) {
    if (f.severity == Severity::kError) out.emplace_back(f.rule_id);
  }
  return out;
}

std::string Sanitized(const std::string& doc, const Policy& policy, SanitizeResult* result) {
  std::string out;
  *result = SanitizeBytes(reinterpret_cast<const uint8_t*>(doc.data()), doc.size(), "case.mrml", policy, &out);
  return out;
}

Report ValidateString(const std::string& doc, const Policy& policy) {
  return ValidateBytes(reinterpret_cast<const uint8_t*>(doc.data()), doc.size(), "case.mrml", policy);
}

bool IsRewrite(SanitizeAction action) {
  return action != SanitizeAction::kRefuse && action != SanitizeAction::kNone && action != SanitizeAction::kDropEntry;
}

TEST(SanitizeTable, EveryRuleHasAnAction) {
  size_t count = 0;
  const RuleInfo* rules = AllRules(&count);
  std::map<std::string, size_t> by_action;
  for (size_t i = 0; i < count; ++i) ++by_action[std::string(SanitizeActionName(rules[i].sanitize_action))];
  // Structure attacks are refused; the scene rules mostly have a rewrite.
  EXPECT_EQ(FindRule("zip.entry.path-traversal")->sanitize_action, SanitizeAction::kRefuse);
  EXPECT_EQ(FindRule("xml.malformed")->sanitize_action, SanitizeAction::kRefuse);
  EXPECT_EQ(FindRule("mrml.storage.uri")->sanitize_action, SanitizeAction::kClearAttribute);
  EXPECT_EQ(FindRule("mrml.format-string")->sanitize_action, SanitizeAction::kReplaceFormat);
  EXPECT_EQ(FindRule("bundle.mac-metadata")->sanitize_action, SanitizeAction::kDropEntry);
  EXPECT_GE(by_action["drop-node"], 15u);
  EXPECT_GE(by_action["refuse"], 40u);
}

// Every rule whose action rewrites a scene has a case below (a rule given a
// rewrite without a test fails here).
TEST(SanitizeTable, EveryRewriteRuleHasACraftedCase) {
  std::set<std::string> covered;
  for (const Case& c : Cases()) covered.insert(c.rule);
  covered.insert("mrml.network-node");       // NetworkNodeIsReset (default profile)
  covered.insert("bundle.storage-outside");  // SanitizeBundles.RepackedWithoutWhatIsDangerous
  covered.insert("bundle.storage-outside-unused");  // SanitizeBundles.UnusedStorageNodeOutsideIsDropped
  size_t count = 0;
  const RuleInfo* rules = AllRules(&count);
  for (size_t i = 0; i < count; ++i) {
    if (IsRewrite(rules[i].sanitize_action)) {
      EXPECT_EQ(covered.count(std::string(rules[i].id)), 1u) << rules[i].id << " has a rewrite and no case";
    }
  }
}

TEST(SanitizeCases, EachRuleIsRewrittenAndTheOutputIsStrictClean) {
  const Policy strict = Policy::Strict();
  for (const Case& c : Cases()) {
    SCOPED_TRACE(std::string(c.rule) + ": " + c.body);
    const std::string doc = c.body.rfind("<?xml", 0) == 0 ? c.body : Scene(c.body);
    const std::vector<std::string> errors = ErrorRules(ValidateString(doc, strict));
    ASSERT_FALSE(errors.empty());
    ASSERT_TRUE(std::all_of(errors.begin(), errors.end(), [&](const std::string& e) { return e == c.rule; }))
        << "the case must break exactly its rule";
    SanitizeResult r;
    const std::string out = Sanitized(doc, strict, &r);
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    ASSERT_TRUE(r.written) << r.refusal;
    bool seen = false;
    for (const SanitizeChange& change : r.changes) {
      if (change.rule_id == c.rule) {
        seen = true;
        EXPECT_EQ(SanitizeActionName(change.action), c.action);
      }
    }
    EXPECT_TRUE(seen) << "rule not in the change report";
    EXPECT_NE(out, doc);
    const Report after = ValidateString(out, strict);
    EXPECT_TRUE(after.accepted());
    EXPECT_EQ(after.Count(Severity::kError), 0u);
    // Idempotent: the output is accepted as it is and comes back unchanged.
    SanitizeResult again;
    EXPECT_EQ(Sanitized(out, strict, &again), out);
    EXPECT_TRUE(again.written);
    EXPECT_TRUE(again.changes.empty());
  }
}

TEST(SanitizeCases, NetworkNodeIsReset) {
  // Under the strict profile the whole connector goes (mrml.igtl-node); the
  // default profile keeps it with persistent reset to 0.
  const std::string doc = Scene(
      R"(<IGTLConnector id="i" connectorType="SERVER" serverPort="18944" persistent="1" state="1"></IGTLConnector>)");
  SanitizeResult r;
  const std::string out = Sanitized(doc, Policy::Default(), &r);
  ASSERT_TRUE(r.written) << r.refusal;
  ASSERT_EQ(r.changes.size(), 1u);
  EXPECT_EQ(r.changes[0].rule_id, "mrml.network-node");
  EXPECT_EQ(r.changes[0].before, "1");
  EXPECT_EQ(r.changes[0].after, "0");
  EXPECT_EQ(out, Scene(R"(<IGTLConnector id="i" connectorType="SERVER" serverPort="18944" persistent="0" state="1"></IGTLConnector>)"));
}

TEST(SanitizeSplice, UntouchedBytesStayIdentical) {
  // Odd but valid quoting, spacing, entities and line ends around the change.
  const std::string before =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<MRML  version='Slicer 5.8.1 33241' >\r\n"
      "  <Model id=\"m\"\tname='a &amp; &quot;b&quot;' storageNodeRef=\"s\" ></Model>\r\n"
      "  <ModelStorage id='s'  fileName = \"m.vtk\" uri = 'http://x/&#x41;' useCompression=\"1\"/>\r\n"
      "  <Volume id=\"gone\" name=\"v\"><!-- never --></Volume>\r\n"
      "</MRML>\r\n";
  const std::string doc = before;
  SanitizeResult r;
  const std::string out = Sanitized(doc, Policy::Strict(), &r);
  ASSERT_TRUE(r.written) << r.refusal;
  EXPECT_EQ(out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<MRML  version='Slicer 5.8.1 33241' >\r\n"
            "  <Model id=\"m\"\tname='a &amp; &quot;b&quot;' storageNodeRef=\"s\" ></Model>\r\n"
            "  <ModelStorage id='s'  fileName = \"m.vtk\" uri = '' useCompression=\"1\"/>\r\n"
            "  <Volume id=\"gone\" name=\"v\"></Volume>\r\n"
            "</MRML>\r\n");
  ASSERT_EQ(r.changes.size(), 2u);
  EXPECT_EQ(r.changes[0].rule_id, "xml.comment");
  EXPECT_EQ(r.changes[1].rule_id, "mrml.storage.uri");
  EXPECT_EQ(r.changes[1].before, "http://x/A");  // decoded, as Slicer reads it
  EXPECT_EQ(r.changes[1].location.attribute, "uri");
  EXPECT_EQ(r.changes[1].location.node_id, "s");
  EXPECT_EQ(r.changes[1].location.line, 4u);
}

TEST(SanitizeRefusal, NoSafeRewriteWritesNothing) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"xml.malformed", Scene("<Volume id=\"v\"></Model>")},
      {"xml.doctype", "<!DOCTYPE MRML [<!ENTITY a \"b\">]>" + Scene("")},
      {"xml.text", Scene("<Volume id=\"v\">text</Volume>")},
      {"xml.root", "<Scene><Volume id=\"v\"></Volume></Scene>"},
      {"mrml.limit-exceeded", Scene(R"(<Layout id="l" numberOfCompareViewRows="17"></Layout>)")},
  };
  for (const auto& [rule, doc] : cases) {
    SCOPED_TRACE(rule);
    SanitizeResult r;
    const std::string out = Sanitized(doc, Policy::Strict(), &r);
    EXPECT_TRUE(r.status.ok());
    EXPECT_FALSE(r.written);
    EXPECT_TRUE(out.empty());
    EXPECT_FALSE(r.refusal.empty());
    bool named = false;
    for (const Finding& f : r.blocking) named = named || f.rule_id == rule;
    EXPECT_TRUE(named) << r.refusal;
  }
}

class SanitizeFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mrmlguard-sanitize-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    return (dir_ / name).string();
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  size_t FilesInDir() const { return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), {})); }
  fs::path dir_;
};

TEST_F(SanitizeFiles, WritesOutAtomicallyAndLeavesNothingElse) {
  const std::string in = Write("in.mrml", Scene(R"(<ShaderProperty id="s"></ShaderProperty><Volume id="v"></Volume>)"));
  const std::string out = (dir_ / "out.mrml").string();
  Write("out.mrml", "old");
  const SanitizeResult r = Sanitize(in, out, Policy::Strict());
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  ASSERT_TRUE(r.written) << r.refusal;
  EXPECT_EQ(Read(out), Scene(R"(<Volume id="v"></Volume>)"));
  EXPECT_EQ(FilesInDir(), 2u);  // in.mrml, out.mrml: no temporary file left
  EXPECT_TRUE(r.output_report.accepted());
}

TEST_F(SanitizeFiles, RefusalLeavesOutAlone) {
  const std::string in = Write("in.mrml", Scene("<Volume id=\"v\"></Model>"));
  const std::string out = (dir_ / "out.mrml").string();
  SanitizeResult r = Sanitize(in, out, Policy::Strict());
  EXPECT_TRUE(r.status.ok());
  EXPECT_FALSE(r.written);
  EXPECT_FALSE(fs::exists(out));
  Write("out.mrml", "old");
  r = Sanitize(in, out, Policy::Strict());
  EXPECT_FALSE(r.written);
  EXPECT_EQ(Read(out), "old");
  EXPECT_EQ(FilesInDir(), 2u);
}

TEST_F(SanitizeFiles, NeverOverwritesIn) {
  const std::string doc = Scene(R"(<ShaderProperty id="s"></ShaderProperty>)");
  const std::string in = Write("in.mrml", doc);
  SanitizeResult r = Sanitize(in, in, Policy::Strict());
  EXPECT_EQ(r.status.code(), StatusCode::kInvalidArgument);
  fs::create_hard_link(in, dir_ / "link.mrml");
  r = Sanitize(in, (dir_ / "link.mrml").string(), Policy::Strict());
  EXPECT_EQ(r.status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Read(in), doc);
  r = Sanitize(in, (dir_ / "no" / "such" / "out.mrml").string(), Policy::Strict());
  EXPECT_EQ(r.status.code(), StatusCode::kInvalidArgument);
  r = Sanitize((dir_ / "missing.mrml").string(), (dir_ / "out.mrml").string(), Policy::Strict());
  EXPECT_EQ(r.status.code(), StatusCode::kIoError);
}

TEST_F(SanitizeFiles, BundleStructureAttackIsRefused) {
  const std::string zip = test_support::ZipBuilder()
                              .Entry("Scene/Scene.mrml", Scene(R"(<Volume id="v"></Volume>)"))
                              .Entry("Scene/../../evil.py", "print(1)")
                              .BuildString();
  const std::string in = Write("in.mrb", zip);
  const std::string out = (dir_ / "out.mrb").string();
  const SanitizeResult r = Sanitize(in, out, Policy::Default());
  EXPECT_TRUE(r.status.ok());
  EXPECT_FALSE(r.written);
  EXPECT_FALSE(fs::exists(out));
  bool traversal = false;
  for (const Finding& f : r.blocking) traversal = traversal || f.rule_id == "zip.entry.path-traversal";
  EXPECT_TRUE(traversal) << r.refusal;
}

std::string Bundle(const std::string& scene_body, bool mac_metadata, const std::string& data_name = "",
                   const std::string& data = "") {
  test_support::ZipBuilder zip;
  test_support::EntryOptions deflate;
  deflate.method = 8;
  zip.Directory("Case/").Entry("Case/Case.mrml", Scene(scene_body), deflate);
  if (!data_name.empty()) zip.Entry("Case/Data/" + data_name, data);
  if (mac_metadata) zip.Entry("__MACOSX/Case/._Case.mrml", std::string("\0\5\26\7", 4));
  return zip.BuildString();
}

Report ValidateBundle(const std::string& bytes, const Policy& policy) {
  return ValidateBytes(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), "case.mrb", policy);
}

std::string SanitizedBundle(const std::string& bytes, const Policy& policy, SanitizeResult* result) {
  std::string out;
  *result = SanitizeBytes(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), "case.mrb", policy, &out);
  return out;
}

bool Changed(const SanitizeResult& r, std::string_view rule, SanitizeAction action) {
  return std::any_of(r.changes.begin(), r.changes.end(),
                     [&](const SanitizeChange& c) { return c.rule_id == rule && c.action == action; });
}

TEST(SanitizeBundles, RepackedWithoutWhatIsDangerous) {
  const Policy strict = Policy::Strict();
  // AppleDouble metadata, a remote uri and a storage path out of the bundle.
  const std::string in = Bundle(
      R"(<Model id="m" references="storage:s;"></Model><ModelStorage id="s" fileName="Data/m.vtk" uri="http://e/x"></ModelStorage>)"
      R"(<Model id="m2" storageNodeRef="s2"></Model><ModelStorage id="s2" fileName="../../../x.vtk"></ModelStorage>)",
      true, "m.vtk", "# vtk DataFile Version 3.0\nm\nASCII\nDATASET POLYDATA\nPOINTS 0 float\n");
  ASSERT_FALSE(ValidateBundle(in, strict).accepted());
  SanitizeResult r;
  const std::string out = SanitizedBundle(in, strict, &r);
  ASSERT_TRUE(r.written) << r.refusal << (r.blocking.empty() ? "" : " " + std::string(r.blocking[0].rule_id));
  EXPECT_EQ(r.kind, InputKind::kBundle);
  EXPECT_TRUE(Changed(r, "bundle.mac-metadata", SanitizeAction::kDropEntry));
  EXPECT_TRUE(Changed(r, "mrml.storage.uri", SanitizeAction::kClearAttribute));
  EXPECT_TRUE(Changed(r, "bundle.storage-outside", SanitizeAction::kDropNode));
  const Report after = ValidateBundle(out, strict);
  EXPECT_TRUE(after.accepted());
  EXPECT_EQ(after.Count(Severity::kError), 0u);
  EXPECT_EQ(after.main_scene, "Case/Case.mrml");
  EXPECT_EQ(out.find("__MACOSX"), std::string::npos);
  EXPECT_EQ(out.find("http://e/x"), std::string::npos);
  // Canonical: no data descriptor (flag bit 3) and no extra field in any local header.
  for (size_t at = out.find("PK\3\4"); at != std::string::npos; at = out.find("PK\3\4", at + 4)) {
    ASSERT_LE(at + 30, out.size());
    EXPECT_EQ(static_cast<uint8_t>(out[at + 6]) & 0x08, 0) << "data descriptor at " << at;
    EXPECT_EQ(out[at + 28], 0);
    EXPECT_EQ(out[at + 29], 0);
  }
  SanitizeResult again;
  EXPECT_EQ(SanitizedBundle(out, strict, &again), out);
  EXPECT_TRUE(again.changes.empty());
}

// A storage node no node uses, pointing out of the bundle: a warning by
// default (the bundle passes and comes back byte-identical), an error under
// strict, where the unused node is dropped.
TEST(SanitizeBundles, UnusedStorageNodeOutsideIsDropped) {
  const std::string in = Bundle(
      R"(<Model id="m" storageNodeRef="s"></Model><ModelStorage id="s" fileName="Data/m.vtk"></ModelStorage>)"
      R"(<ModelStorage id="old" fileName="../../../Temp/__BundleLoadTemp/m.vtk"></ModelStorage>)",
      false, "m.vtk", "# vtk DataFile Version 3.0\nm\nASCII\nDATASET POLYDATA\nPOINTS 0 float\n");
  SanitizeResult as_is;
  EXPECT_EQ(SanitizedBundle(in, Policy::Default(), &as_is), in);
  EXPECT_TRUE(as_is.changes.empty());
  const Policy strict = Policy::Strict();
  ASSERT_FALSE(ValidateBundle(in, strict).accepted());
  SanitizeResult r;
  const std::string out = SanitizedBundle(in, strict, &r);
  ASSERT_TRUE(r.written) << r.refusal;
  // The node is also mrml.storage.unreferenced (drop-node as well): one of
  // the two drops it, once.
  EXPECT_TRUE(Changed(r, "bundle.storage-outside-unused", SanitizeAction::kDropNode) ||
              Changed(r, "mrml.storage.unreferenced", SanitizeAction::kDropNode));
  EXPECT_EQ(out.find("__BundleLoadTemp"), std::string::npos);
  EXPECT_TRUE(ValidateBundle(out, strict).accepted());
}

TEST(SanitizeBundles, BadDataEntryIsLeftOut) {
  // A Windows executable where the scene reads a model: the entry goes.
  const std::string in = Bundle(R"(<Model id="m" storageNodeRef="s"></Model><ModelStorage id="s" fileName="Data/m.vtk"></ModelStorage>)",
                                false, "m.vtk", std::string("MZ\x90\0\3\0\0\0\4\0\0\0\xff\xff\0\0", 16) + std::string(200, 'A'));
  const Report before = ValidateBundle(in, Policy::Default());
  ASSERT_FALSE(before.accepted());
  SanitizeResult r;
  const std::string out = SanitizedBundle(in, Policy::Default(), &r);
  ASSERT_TRUE(r.written) << r.refusal;
  ASSERT_FALSE(r.changes.empty());
  EXPECT_EQ(r.changes[0].action, SanitizeAction::kDropEntry);
  EXPECT_EQ(r.changes[0].location.entry, "Case/Data/m.vtk");
  EXPECT_TRUE(ValidateBundle(out, Policy::Default()).accepted());
  EXPECT_EQ(out.find("MZ\x90"), std::string::npos);
}

// Every bundle of corpus/bundles: unchanged where accepted, and where the
// strict profile rejects it, re-packed into one it accepts.
TEST(SanitizeBundles, RealBundles) {
  const fs::path root = fs::path(MRMLGUARD_SOURCE_DIR) / "corpus" / "bundles";
  if (!fs::exists(root)) GTEST_SKIP() << "no corpus at " << root;
  size_t seen = 0;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (entry.path().extension() != ".mrb") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    const std::string bytes = s.str();
    for (const Policy& policy : {Policy::Default(), Policy::Strict()}) {
      SCOPED_TRACE(entry.path().string());
      SanitizeResult r;
      const std::string out = SanitizedBundle(bytes, policy, &r);
      ASSERT_TRUE(r.written) << r.refusal;
      if (ValidateBundle(bytes, policy).accepted()) {
        EXPECT_TRUE(out == bytes);
        EXPECT_TRUE(r.changes.empty());
      } else {
        EXPECT_FALSE(r.changes.empty());
      }
      EXPECT_EQ(ValidateBundle(out, policy).Count(Severity::kError), 0u);
    }
    ++seen;
  }
  EXPECT_GE(seen, 6u);
}

TEST(SanitizeReport, TextAndJson) {
  SanitizeResult r;
  Sanitized(Scene(R"(<Model id="m" storageNodeRef="s"></Model><ModelStorage id="s" fileName="m.vtk" uri="http://e/x"></ModelStorage>)"),
            Policy::Default(), &r);
  ASSERT_TRUE(r.written);
  const std::string text = FormatSanitizeText(r, "in.mrml", "out.mrml");
  EXPECT_NE(text.find("mrml.storage.uri clear-attribute at in.mrml:1:"), std::string::npos) << text;
  EXPECT_NE(text.find("\"http://e/x\" -> \"\""), std::string::npos) << text;
  EXPECT_NE(text.find("in.mrml: sanitized into out.mrml (1 change)"), std::string::npos) << text;
  const std::string json = FormatSanitizeJson(r, "in.mrml", "out.mrml");
  EXPECT_NE(json.find("\"schema\": \"mrmlguard-sanitize\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"rule\": \"mrml.storage.uri\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"before\": \"http://e/x\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"outcome\": \"written\""), std::string::npos) << json;
}

// Every real scene the default profile accepts comes back byte for byte, with
// an empty change report (and the same under the strict profile for those
// it accepts).
TEST(SanitizeRealCorpus, AcceptedScenesComeBackUnchanged) {
  const fs::path root = fs::path(MRMLGUARD_SOURCE_DIR) / "corpus" / "real";
  if (!fs::exists(root)) GTEST_SKIP() << "no corpus at " << root;
  std::vector<fs::path> scenes;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".mrml") scenes.push_back(entry.path());
  }
  std::sort(scenes.begin(), scenes.end());
  size_t unchanged = 0, strict_unchanged = 0;
  for (const fs::path& path : scenes) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    const std::string doc = s.str();
    for (const bool strict : {false, true}) {
      const Policy policy = strict ? Policy::Strict() : Policy::Default();
      if (!Validate(path.string(), policy).accepted()) continue;
      SCOPED_TRACE(path.string() + (strict ? " (strict)" : ""));
      std::string out;
      const SanitizeResult r = SanitizeBytes(reinterpret_cast<const uint8_t*>(doc.data()), doc.size(),
                                             path.filename().string(), policy, &out);
      ASSERT_TRUE(r.written) << r.refusal;
      EXPECT_TRUE(r.changes.empty());
      EXPECT_TRUE(out == doc);
      ++(strict ? strict_unchanged : unchanged);
    }
  }
  std::printf("sanitize: %zu of %zu real scenes accepted and unchanged (default), %zu (strict)\n", unchanged,
              scenes.size(), strict_unchanged);
  EXPECT_GE(unchanged, 403u);
}

}  // namespace
}  // namespace mrmlguard
