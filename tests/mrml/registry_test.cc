// SPDX-License-Identifier: BSD-3-Clause
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>

#include "mrml/node_registry.h"

namespace mrmlguard::internal::registry {
namespace {

TEST(RegistryTest, TagsAreSortedAndUnique) {
  auto tags = AllTags();
  ASSERT_GT(tags.size(), 150u);
  for (size_t i = 1; i < tags.size(); ++i) EXPECT_LT(tags[i - 1].tag, tags[i].tag);
}

// FindTag and FindRefAttr use a hashed index: every row must be found at its
// own address, and near misses (a byte changed, cut, or added) must not be.
TEST(RegistryTest, HashedLookupsFindEveryRowAndNothingElse) {
  for (const TagInfo& t : AllTags()) {
    EXPECT_EQ(FindTag(t.tag), &t) << t.tag;
    std::string longer = std::string(t.tag) + "x";
    EXPECT_EQ(FindTag(longer), nullptr) << longer;
    std::string cut(t.tag.substr(0, t.tag.size() - 1));
    if (FindTag(cut) != nullptr) {
      EXPECT_EQ(FindTag(cut)->tag, cut);
    }
  }
  auto refs = AllRefAttrs();
  ASSERT_GT(refs.size(), 40u);
  for (size_t i = 0; i < refs.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(refs[i - 1].attribute, refs[i].attribute);
    }
    EXPECT_EQ(FindRefAttr(refs[i].attribute), &refs[i]) << refs[i].attribute;
    std::string changed(refs[i].attribute);
    changed.back() = changed.back() == 'Z' ? 'Y' : 'Z';
    EXPECT_EQ(FindRefAttr(changed), nullptr) << changed;
  }
  EXPECT_EQ(FindTag(""), nullptr);
  EXPECT_EQ(FindRefAttr(""), nullptr);
  EXPECT_EQ(FindRefAttr("name"), nullptr);
}

TEST(RegistryTest, SlicerTagsAliasesAndExtensions) {
  const TagInfo* volume = FindTag("Volume");
  ASSERT_NE(volume, nullptr);
  EXPECT_EQ(volume->class_name, "vtkMRMLScalarVolumeNode");
  EXPECT_EQ(volume->origin, TagOrigin::kCore);
  for (const char* alias : {"ROI", "SceneSnapshot", "VolumeRenderingParameters"}) {
    const TagInfo* t = FindTag(alias);
    ASSERT_NE(t, nullptr) << alias;
    EXPECT_EQ(t->origin, TagOrigin::kModule) << alias;
  }
  EXPECT_EQ(FindTag("ScalarVolume"), nullptr);
  EXPECT_TRUE(IsRegisteredClass("vtkMRMLScalarVolumeNode"));
  EXPECT_TRUE(IsRegisteredClass("vtkMRMLSceneViewNode"));
  EXPECT_FALSE(IsRegisteredClass("vtkMRMLColorNode"));  // tag Color is not registered
  EXPECT_EQ(FindTag("Color")->origin, TagOrigin::kNotRegistered);
  EXPECT_EQ(FindTag("EMSTree")->origin, TagOrigin::kExtension);
  EXPECT_EQ(FindTag("FiducialList")->origin, TagOrigin::kRemoved);
}

TEST(RegistryTest, FlagsFromTheClassChain) {
  EXPECT_TRUE(FindTag("VolumeArchetypeStorage")->flags & kFlagStorage);
  EXPECT_TRUE(FindTag("AnnotationRulerStorage")->flags & kFlagStorage);
  EXPECT_TRUE(FindTag("FiberBundleStorage")->flags & kFlagStorage);  // extension, through its overlay parent
  EXPECT_FALSE(FindTag("Volume")->flags & kFlagStorage);
  EXPECT_TRUE(FindTag("MarkupsClosedCurve")->flags & kFlagMarkups);
  EXPECT_TRUE(FindTag("DiffusionTensorDisplayProperties")->flags & kFlagColorTable);
  EXPECT_TRUE(FindTag("SceneSnapshot")->flags & kFlagSceneView);
  EXPECT_TRUE(FindTag("IGTLConnector")->flags & kFlagNetwork);
}

TEST(RegistryTest, TagsOneRuleSinglesOutCarryTheirOwnFlag) {
  // Each of these flags names exactly one tag (overlay.tsv); the rules test
  // the flag, never the tag name.
  const std::pair<uint32_t, std::string_view> flags[] = {
      {kFlagPersistentConnector, "IGTLConnector"}, {kFlagPlusServer, "PlusServer"},
      {kFlagSelfLaunching, "PlusServerLauncher"},  {kFlagTextStorage, "TextStorage"},
      {kFlagUnitSingleton, "Unit"},                {kFlagSequenceStorage, "SequenceStorage"},
  };
  for (const auto& [flag, tag] : flags) {
    size_t count = 0;
    for (const TagInfo& t : AllTags()) {
      if (t.flags & flag) {
        ++count;
        EXPECT_EQ(t.tag, tag);
      }
    }
    EXPECT_EQ(count, 1u) << tag;
  }
  EXPECT_TRUE(FindTag("TextStorage")->flags & kFlagStorage);
  EXPECT_TRUE(FindTag("SequenceStorage")->flags & kFlagStorage);
}

TEST(RegistryTest, AttributeSpecsApplyToSubclasses) {
  // ijkToRASDirections is declared on vtkMRMLVolumeNode; DWI and label maps inherit it.
  for (const char* tag : {"Volume", "LabelMapVolume", "DiffusionWeightedVolume", "AstroVolume"}) {
    const AttrSpec* s = FindAttrSpec(*FindTag(tag), "ijkToRASDirections");
    ASSERT_NE(s, nullptr) << tag;
    EXPECT_EQ(s->kind, AttrKind::kRealVector);
    EXPECT_EQ(s->a, 9);
  }
  const AttrSpec* n = FindAttrSpec(*FindTag("ColorTable"), "numcolors");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->kind, AttrKind::kIntLimit);
  EXPECT_EQ(n->limit_name, "max_color_table_colors");
  EXPECT_EQ(Limits::Default().*(n->limit), 65'536u);
}

TEST(RegistryTest, StorageExtensionsAndReferences) {
  auto exts = StorageExtensions(*FindTag("ModelStorage"));
  EXPECT_NE(std::find(exts.begin(), exts.end(), ".vtk"), exts.end());
  EXPECT_FALSE(FindTag("VolumeArchetypeStorage")->any_extension);
  EXPECT_FALSE(StorageExtensions(*FindTag("TransformStorage")).empty());
  ASSERT_NE(FindRefAttr("transformNodeRef"), nullptr);
  EXPECT_EQ(FindRefAttr("transformNodeRef")->role, "transform");
  EXPECT_EQ(FindRefAttr("colorNodeID")->role, "");
  EXPECT_EQ(FindRefAttr("indexValues"), nullptr);
  EXPECT_TRUE(IsBuiltinId("vtkMRMLColorTableNodeGrey"));
  EXPECT_TRUE(IsBuiltinId("vtkMRMLSelectionNodeSingleton"));
  EXPECT_FALSE(IsBuiltinId("vtkMRMLModelNode4"));
  EXPECT_TRUE(IsAllowedTextExtension(".json"));
  EXPECT_FALSE(IsAllowedTextExtension(".py"));
}

TEST(RegistryTest, HashedAttrSpecsFindEveryRowOfTheirTagOnly) {
  size_t rows = 0;
  for (const TagInfo& t : AllTags()) {
    for (const AttrSpec& spec : AttrSpecs(t)) {
      ++rows;
      EXPECT_EQ(FindAttrSpec(t, spec.name), &spec) << t.tag << " " << spec.name;
      EXPECT_EQ(FindAttrSpec(t, std::string(spec.name) + "x"), nullptr) << t.tag << " " << spec.name;
    }
    EXPECT_EQ(FindAttrSpec(t, ""), nullptr);
  }
  EXPECT_GT(rows, 1000u);
  // A spec of one tag is not found through another that lacks it.
  EXPECT_NE(FindAttrSpec(*FindTag("Layout"), "numberOfCompareViewRows"), nullptr);
  EXPECT_EQ(FindAttrSpec(*FindTag("Model"), "numberOfCompareViewRows"), nullptr);
}

TEST(RegistryTest, BooleansFromTheScanAndZeroOneFlagsFromTheOverlay) {
  for (auto [tag, attribute] : {std::pair{"ModelDisplay", "visibility"},
                                {"Volume", "hideFromEditors"},
                                {"Camera", "parallelProjection"},
                                {"MarkupsFiducial", "locked"},
                                {"Interaction", "placeModePersistence"},
                                {"FiberBundleDisplay", "visibility"}}) {
    const AttrSpec* s = FindAttrSpec(*FindTag(tag), attribute);
    ASSERT_NE(s, nullptr) << tag << " " << attribute;
    EXPECT_EQ(s->kind, AttrKind::kBool) << tag << " " << attribute;
  }
  // Read with 'ss >> int': 0/1, not true/false.
  for (auto [tag, attribute] : {std::pair{"VolumeDisplay", "autoWindowLevel"},
                                {"VolumeArchetypeStorage", "centerImage"},
                                {"AnnotationFiducials", "locked"},
                                {"IGTLConnector", "persistent"}}) {
    const AttrSpec* s = FindAttrSpec(*FindTag(tag), attribute);
    ASSERT_NE(s, nullptr) << tag << " " << attribute;
    EXPECT_EQ(s->kind, AttrKind::kInt) << tag << " " << attribute;
    EXPECT_EQ(s->a, 0);
    EXPECT_EQ(s->b, 1);
  }
  // View nodes do not read 'visibility' (vtkMRMLAbstractViewNode comments it out).
  EXPECT_EQ(FindAttrSpec(*FindTag("View"), "visibility"), nullptr);
}

TEST(RegistryTest, StoragePairsFromCanReadInReferenceNode) {
  auto reads = [](const char* storage, const char* storable) {
    return StorageCanRead(*FindTag(storage), *FindTag(storable));
  };
  EXPECT_TRUE(reads("VolumeArchetypeStorage", "Volume"));
  EXPECT_TRUE(reads("VolumeArchetypeStorage", "LabelMapVolume"));
  EXPECT_TRUE(reads("VolumeArchetypeStorage", "VectorVolume"));
  EXPECT_TRUE(reads("NRRDStorage", "DiffusionWeightedVolume"));
  EXPECT_TRUE(reads("ModelStorage", "Model"));
  EXPECT_TRUE(reads("MarkupsJsonStorage", "MarkupsCurve"));
  EXPECT_TRUE(reads("MarkupsFiducialStorage", "MarkupsFiducial"));
  EXPECT_TRUE(reads("MarkupsPlaneJsonStorage", "MarkupsPlane"));
  EXPECT_TRUE(reads("SegmentationStorage", "Segmentation"));
  EXPECT_TRUE(reads("TransformStorage", "BSplineTransform"));
  EXPECT_TRUE(reads("SequenceStorage", "Sequence"));
  EXPECT_TRUE(reads("VolumeSequenceStorage", "Sequence"));
  EXPECT_TRUE(reads("TextStorage", "Text"));
  EXPECT_TRUE(reads("TableStorage", "Table"));
  EXPECT_TRUE(reads("ColorTableStorage", "ColorTable"));
  EXPECT_TRUE(reads("ColorTableStorage", "DiffusionTensorDisplayProperties"));
  EXPECT_TRUE(reads("AnnotationControlPointsStorage", "AnnotationFiducials"));
  EXPECT_TRUE(reads("AstroStorage", "AstroVolume"));  // extension class from the scan
  EXPECT_TRUE(reads("FiberBundleStorage", "FiberBundle"));
  EXPECT_FALSE(reads("VolumeArchetypeStorage", "Model"));
  EXPECT_FALSE(reads("ModelStorage", "Volume"));
  EXPECT_FALSE(reads("MarkupsPlaneJsonStorage", "MarkupsFiducial"));
  EXPECT_FALSE(reads("AstroStorage", "Volume"));
  EXPECT_FALSE(reads("TextStorage", "Table"));
  EXPECT_FALSE(reads("ModelStorage", "ModelDisplay"));
  EXPECT_NE(FindTag("ModelStorage")->storage_kind, kNoStorageKind);
  EXPECT_EQ(FindTag("Model")->storage_kind, kNoStorageKind);
}

// vtkMRMLParser::StartElement: a tag Slicer's map lacks becomes "vtkMRML" + tag
// (+ "Node" unless it ends so), created when a module or extension registered it.
TEST(RegistryTest, ResolveTagFollowsSlicersFallback) {
  Resolution r = ResolveTag("Volume");
  ASSERT_NE(r.info, nullptr);
  EXPECT_FALSE(r.fallback);
  struct Row {
    const char* spelled;
    const char* tag;
  };
  for (Row row : {Row{"ScalarVolume", "Volume"}, Row{"ScalarVolumeNode", "Volume"},
                  Row{"IGTLConnectorNode", "IGTLConnector"}, Row{"PlusServerLauncherNode", "PlusServerLauncher"},
                  Row{"AstroVolumeStorage", "AstroStorage"}, Row{"SceneViewNode", "SceneView"},
                  Row{"StreamingVolumeSequenceStorageNode", "VideoStorage"}, Row{"RTBeamNode", "RTBeam"}}) {
    r = ResolveTag(row.spelled);
    ASSERT_NE(r.info, nullptr) << row.spelled;
    EXPECT_TRUE(r.fallback) << row.spelled;
    EXPECT_EQ(r.info->tag, row.tag) << row.spelled;
  }
  EXPECT_TRUE(ResolveTag("IGTLConnectorNode").info->flags & kFlagNetwork);
  EXPECT_TRUE(ResolveTag("AstroVolumeStorage").info->flags & kFlagStorage);
  // "Node" is appended only when missing: "ScalarVolumeNodeNode" is no class.
  EXPECT_EQ(ResolveTag("ScalarVolumeNodeNode").info, nullptr);
  EXPECT_EQ(ResolveTag("Frobnicator").info, nullptr);
  EXPECT_EQ(ResolveTag("").info, nullptr);
  EXPECT_EQ(ResolveTag(std::string(300, 'A')).info, nullptr);
  EXPECT_EQ(ResolveTag("scalarvolume").info, nullptr);  // strcmp: case matters
  // Listed but unregistered tags stay themselves when the fallback finds nothing.
  r = ResolveTag("Color");
  ASSERT_NE(r.info, nullptr);
  EXPECT_EQ(r.info->origin, TagOrigin::kNotRegistered);
  EXPECT_FALSE(r.fallback);
  // Every class of the class table resolves back to its tag's entry.
  for (const TagInfo& t : AllTags()) {
    if (t.class_name.empty() || t.origin == TagOrigin::kNotRegistered) continue;
    const TagInfo* c = FindClass(t.class_name);
    ASSERT_NE(c, nullptr) << t.class_name;
    EXPECT_EQ(c->class_name, t.class_name);
  }
}

// Extensions scanned from source (issue 12): their classes are tags with the rules of their parents.
TEST(RegistryTest, ScannedExtensionClasses) {
  for (const char* tag : {"RTBeam", "RTPlan", "VideoStorage", "DoseAccumulation", "Isodose"}) {
    const TagInfo* t = FindTag(tag);
    ASSERT_NE(t, nullptr) << tag;
    EXPECT_EQ(t->origin, TagOrigin::kExtension) << tag;
    EXPECT_FALSE(t->class_name.empty()) << tag;
  }
  EXPECT_TRUE(IsKnownExtension("SlicerRT"));
  EXPECT_TRUE(IsKnownExtension("SlicerIGSIO"));
  EXPECT_TRUE(IsKnownExtension("SlicerHeart"));
  const TagInfo* property = FindTag("VolumeProperty");
  ASSERT_NE(property, nullptr);
  const AttrSpec* opacity = FindAttrSpec(*property, "scalarOpacity");
  ASSERT_NE(opacity, nullptr);
  EXPECT_EQ(opacity->kind, AttrKind::kCountedList);
  EXPECT_EQ(opacity->a, 2);
  const AttrSpec* slab = FindAttrSpec(*FindTag("Slice"), "slabReconstructionOversamplingFactor");
  ASSERT_NE(slab, nullptr);
  EXPECT_EQ(slab->kind, AttrKind::kRealRange);
  EXPECT_GT(slab->lo, 0.0);
}

TEST(RegistryTest, OpenIgtLinkTagsScriptedModulesVersion) {
  size_t igtl = 0;
  for (const TagInfo& t : AllTags()) {
    if (t.module == "SlicerOpenIGTLink") {
      EXPECT_TRUE(t.flags & kFlagOpenIgtLink) << t.tag;
      ++igtl;
    } else {
      EXPECT_FALSE(t.flags & kFlagOpenIgtLink) << t.tag;
    }
  }
  EXPECT_EQ(igtl, 11u);
  EXPECT_TRUE(FindTag("ScriptedModule")->flags & kFlagScriptedModule);
  for (const char* m : {"SegmentEditor", "DataProbe", "SampleData", "Guidelet", "TractographyDownsample"}) {
    EXPECT_TRUE(IsKnownScriptedModule(m)) << m;
  }
  for (const char* m : {"Editor", "", "segmenteditor", "DICOMLib"}) EXPECT_FALSE(IsKnownScriptedModule(m)) << m;
  auto modules = AllScriptedModules();
  EXPECT_TRUE(std::is_sorted(modules.begin(), modules.end()));
  EXPECT_EQ(RegistryVersion().major, 5);
  EXPECT_EQ(RegistryVersion().minor, 13);
  EXPECT_EQ(RegistryCommit(), "583e9b37d5");
  EXPECT_TRUE(IsKnownExtension("SlicerIGT"));
  EXPECT_FALSE(IsKnownExtension("SlicerElastix"));  // not scanned
}

}  // namespace
}  // namespace mrmlguard::internal::registry
