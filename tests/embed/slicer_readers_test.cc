// SPDX-License-Identifier: BSD-3-Clause
// The C++ loadable module's reader wrapper (slicer/MrmlGuardReaders), compiled
// as C++17 against a header-level stand-in of the Qt, VTK and Slicer classes it
// uses (tests/embed/slicer_stub: same class names, members and control flow
// as Slicer 5.x main, qSlicerCoreIOManager::loadNodes included). Slicer's own
// readers are imitated below: each records what it was asked to read, and the
// bundle and sequence readers record "libarchive" when they would unpack.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "qMrmlGuardReader.h"
#include "qSlicerCoreIOManager.h"
#include "support/zip_builder.h"
#include "vtkMRMLScene.h"
#include "vtkMRMLStorableNode.h"
#include "vtkMRMLStorageNode.h"

namespace {

namespace fs = std::filesystem;
using mrmlguard::test_support::ZipBuilder;

std::vector<std::string> g_events;  // what the imitated Slicer readers did

std::string ReadAll(const std::string& path) {
  std::string bytes;
  if (std::FILE* file = std::fopen(path.c_str(), "rb")) {
    char buffer[4096];
    for (size_t got; (got = std::fread(buffer, 1, sizeof buffer, file)) > 0;) bytes.append(buffer, got);
    std::fclose(file);
  }
  return bytes;
}

// The storage node's file names, as strings ("" when unset).
std::string FileNameOf(vtkMRMLNode* node, int index) {
  vtkMRMLStorageNode* storage = vtkMRMLStorageNode::SafeDownCast(node);
  if (storage == nullptr) return "(not a storage node)";
  const char* name = index < 0 ? storage->GetFileName() : storage->GetNthFileName(index);
  return name != nullptr ? name : "";
}

// Modules/Loadable/Data/qSlicerSceneReader.cxx: SceneFile, *.mrml; the scene
// gets URL and root directory, and here one storage node below the scene's folder.
class SceneReader : public qSlicerFileReader {
 public:
  QString description() const override { return "MRML Scene"; }
  IOFileType fileType() const override { return "SceneFile"; }
  QStringList extensions() const override { return QStringList() << "MRML Scene (*.mrml)"; }
  bool load(const IOProperties& properties) override {
    const std::string path = properties.value("fileName").toString().toStdString();
    g_events.push_back("scene:" + path);
    last_bytes = ReadAll(path);
    const std::string folder = fs::path(path).parent_path().string();
    mrmlScene()->SetURL(path.c_str());
    mrmlScene()->SetRootDirectory(folder.c_str());
    auto storage = std::make_unique<vtkMRMLStorageNode>();
    storage->SetFileName((folder + "/Data/a.nrrd").c_str());
    storage->AddFileName("/elsewhere/b.nrrd");
    vtkMRMLNode* node = mrmlScene()->AddNode(std::move(storage), "vtkMRMLVolumeArchetypeStorageNode");
    setLoadedNodes(QStringList() << QString(node->GetID()));
    return true;
  }
  std::string last_bytes;
};

// Base/QTCore/qSlicerSceneBundleReader.cxx: SceneFile, *.mrb *.zip *.xar, ReadFromMRB (libarchive).
class BundleReader : public qSlicerFileReader {
 public:
  QString description() const override { return "MRB Slicer Data Bundle"; }
  IOFileType fileType() const override { return "SceneFile"; }
  QStringList extensions() const override { return QStringList() << "MRB Slicer Data Bundle (*.mrb *.zip *.xar)"; }
  bool load(const IOProperties& properties) override {
    g_events.push_back("libarchive:" + properties.value("fileName").toString().toStdString());
    return true;
  }
};

// Modules/Loadable/Sequences/qSlicerSequencesReader.cxx: SequenceFile;
// AddSequence gives the node a sequence storage node named after the file.
class SequencesReader : public qSlicerFileReader {
 public:
  QString description() const override { return "Sequence"; }
  IOFileType fileType() const override { return "SequenceFile"; }
  QStringList extensions() const override {
    return QStringList() << "Sequence (*.seq.mrb *.mrb)" << "Volume Sequence (*.seq.nrrd *.seq.nhdr)";
  }
  bool load(const IOProperties& properties) override {
    const std::string path = properties.value("fileName").toString().toStdString();
    if (QString::fromStdString(path).endsWith(".mrb", Qt::CaseInsensitive)) g_events.push_back("libarchive:" + path);
    g_events.push_back("sequence:" + path);
    last_bytes = ReadAll(path);
    vtkMRMLNode* storage = mrmlScene()->AddNode(std::make_unique<vtkMRMLStorageNode>(), "vtkMRMLSequenceStorageNode");
    vtkMRMLStorageNode::SafeDownCast(storage)->SetFileName(path.c_str());
    vtkMRMLNode* node = mrmlScene()->AddNode(std::make_unique<vtkMRMLStorableNode>(), "vtkMRMLSequenceNode");
    vtkMRMLStorableNode::SafeDownCast(node)->SetStorageNode(vtkMRMLStorageNode::SafeDownCast(storage));
    setLoadedNodes(QStringList() << QString(node->GetID()));
    return true;
  }
  std::string last_bytes;
};

class VolumeReader : public qSlicerFileReader {
 public:
  QString description() const override { return "Volume"; }
  IOFileType fileType() const override { return "VolumeFile"; }
  QStringList extensions() const override { return QStringList() << "Volume (*.nrrd)"; }
};

const char kScene[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MRML version=\"Slicer4.4.0\" userTags=\"\">\n</MRML>\n";
const char kHostile[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE MRML [<!ENTITY a \"aaaa\">]>\n<MRML version=\"Slicer4.4.0\">&a;</MRML>\n";

class ReadersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_events.clear();
    work_ = fs::temp_directory_path() / ("mrmlguard-readers-" + std::string(::testing::UnitTest::GetInstance()
                                                                               ->current_test_info()->name()));
    fs::remove_all(work_);
    fs::create_directories(work_ / "tmp");
    fs::create_directories(work_ / "cases" / "deep");
    manager_ = std::make_unique<qSlicerCoreIOManager>();
    manager_->setScene(&scene_);
    // Registration order as in Slicer: Data's readers, then Sequences'.
    scene_reader_ = new SceneReader;
    bundle_reader_ = new BundleReader;
    sequences_reader_ = new SequencesReader;
    manager_->registerIO(scene_reader_);
    manager_->registerIO(bundle_reader_);
    manager_->registerIO(sequences_reader_);
    manager_->registerIO(new VolumeReader);
  }
  void TearDown() override {
    manager_.reset();
    module_.reset();
    fs::remove_all(work_);
  }
  int Wrap() { return qMrmlGuardReader::WrapReaders(manager_.get(), TempPath(), module_.get()); }
  QString TempPath() const { return QString::fromStdString((work_ / "tmp").string()); }
  std::string Write(const std::string& name, const std::string& bytes) {
    const fs::path path = work_ / "cases" / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }
  std::string Write(const std::string& name, const std::vector<uint8_t>& bytes) {
    return Write(name, std::string(bytes.begin(), bytes.end()));
  }
  bool Load(const char* type, const std::string& path) {
    messages_.ClearMessages();
    qSlicerIO::IOProperties properties;
    properties["fileName"] = QString::fromStdString(path);
    return manager_->loadNodes(type, properties, &loaded_, &messages_);
  }
  bool TempIsEmpty() const { return fs::is_empty(work_ / "tmp"); }

  fs::path work_;
  vtkMRMLScene scene_;
  std::unique_ptr<QObject> module_ = std::make_unique<QObject>();
  std::unique_ptr<qSlicerCoreIOManager> manager_;
  SceneReader* scene_reader_ = nullptr;
  BundleReader* bundle_reader_ = nullptr;
  SequencesReader* sequences_reader_ = nullptr;
  QStringList loaded_;
  vtkMRMLMessageCollection messages_;
};

TEST_F(ReadersTest, WithoutTheWrapperSlicerUnpacksWithLibarchive) {
  const std::string bundle = Write("Good.mrb", ZipBuilder().Entry("Good/Good.mrml", kScene).Build());
  EXPECT_TRUE(Load("SceneFile", bundle));
  EXPECT_EQ(g_events, std::vector<std::string>{"libarchive:" + bundle});
}

TEST_F(ReadersTest, WrapsSceneAndSequenceReadersOnceAndForwardsWhatDialogsShow) {
  EXPECT_EQ(Wrap(), 3);
  EXPECT_EQ(Wrap(), 0) << "already wrapped readers are left alone";
  const std::string mrml = Write("x.mrml", kScene);
  for (QObject* child : {static_cast<QObject*>(scene_reader_), static_cast<QObject*>(bundle_reader_)}) {
    EXPECT_EQ(child->parent(), manager_.get()) << "the originals stay owned by the IO manager";
  }
  qMrmlGuardReader probe(scene_reader_, manager_.get(), TempPath());
  EXPECT_EQ(probe.description(), QString("MRML Scene"));
  EXPECT_EQ(probe.fileType(), QString("SceneFile"));
  EXPECT_EQ(probe.extensions().at(0), QString("MRML Scene (*.mrml)"));
  EXPECT_DOUBLE_EQ(probe.canLoadFileConfidence(QString::fromStdString(mrml)), 0.55);
}

TEST_F(ReadersTest, CraftedBundleIsRefusedWithNoFallThroughAndNothingWritten) {
  Wrap();
  const std::string bundle = Write("deep/Evil.mrb", ZipBuilder()
                                                        .Entry("Evil/Evil.mrml", kScene)
                                                        .Entry("../../../escaped.txt", "marker")
                                                        .Build());
  EXPECT_FALSE(Load("SceneFile", bundle));
  EXPECT_TRUE(g_events.empty()) << g_events.front();
  EXPECT_NE(messages_.GetAllMessagesAsString().find("zip.entry.path-traversal"), std::string::npos)
      << messages_.GetAllMessagesAsString();
  EXPECT_FALSE(fs::exists(work_ / "escaped.txt"));
  EXPECT_TRUE(TempIsEmpty());
  EXPECT_EQ(scene_.node_count_for_test(), 0u);
}

TEST_F(ReadersTest, AcceptedBundleIsLoadedFromTheCheckedCopyByTheSceneReader) {
  Wrap();
  const std::string bundle = Write("Good.mrb", ZipBuilder().Entry("Good/Good.mrml", kScene).Build());
  ASSERT_TRUE(Load("SceneFile", bundle)) << messages_.GetAllMessagesAsString();
  ASSERT_EQ(g_events.size(), 1u);
  const std::string loaded = g_events[0].substr(std::string("scene:").size());
  EXPECT_EQ(loaded.rfind((work_ / "tmp").string() + "/mrmlguard-", 0), 0u) << loaded;
  EXPECT_EQ(fs::path(loaded).filename(), "Good.mrml");
  EXPECT_EQ(scene_reader_->last_bytes, kScene) << "Slicer read the bytes mrmlguard checked";
  EXPECT_TRUE(TempIsEmpty()) << "the checked copy is removed";
  const fs::path cases = fs::canonical(work_ / "cases");
  EXPECT_EQ(std::string(scene_.GetURL()), (cases / "Good.mrml").string());
  EXPECT_EQ(std::string(scene_.GetRootDirectory()), cases.string());
  EXPECT_TRUE(scene_.storable_modified_for_test());
  std::vector<vtkMRMLNode*> storage;
  scene_.GetNodesByClass("vtkMRMLStorageNode", storage);
  ASSERT_EQ(storage.size(), 1u);
  EXPECT_EQ(FileNameOf(storage[0], -1), "Data/a.nrrd");
  EXPECT_EQ(FileNameOf(storage[0], 0), "/elsewhere/b.nrrd");
  EXPECT_EQ(loaded_.size(), 1);
}

TEST_F(ReadersTest, PlainScenesAreValidatedThenForwarded) {
  Wrap();
  const std::string hostile = Write("Evil.mrml", kHostile);
  EXPECT_FALSE(Load("SceneFile", hostile));
  EXPECT_TRUE(g_events.empty());
  EXPECT_NE(messages_.GetAllMessagesAsString().find("xml.doctype"), std::string::npos);
  const std::string good = Write("Good.mrml", kScene);
  EXPECT_TRUE(Load("SceneFile", good));
  EXPECT_EQ(g_events, std::vector<std::string>{"scene:" + good});
}

TEST_F(ReadersTest, TarNamedMrbNeverReachesLibarchive) {
  Wrap();
  std::string tar(1536, '\0');
  tar.replace(0, 15, "Tar/Tar.mrml\0\0\0", 15);
  const std::string bundle = Write("Tar.mrb", tar);
  EXPECT_FALSE(Load("SceneFile", bundle));
  EXPECT_TRUE(g_events.empty());
}

TEST_F(ReadersTest, SequenceBundleIsExtractedAndItsMainSceneGivenToTheSequencesReader) {
  Wrap();
  const std::string bundle = Write("Cine.seq.mrb", ZipBuilder().Entry("Cine/Cine.seq.mrml", kScene).Build());
  ASSERT_TRUE(Load("SequenceFile", bundle)) << messages_.GetAllMessagesAsString();
  ASSERT_EQ(g_events.size(), 1u);
  EXPECT_EQ(g_events[0].rfind("sequence:" + (work_ / "tmp").string(), 0), 0u) << g_events[0];
  EXPECT_EQ(sequences_reader_->last_bytes, kScene);
  ASSERT_EQ(loaded_.size(), 1);
  auto* node = vtkMRMLStorableNode::SafeDownCast(scene_.GetNodeByID(loaded_.at(0).toUtf8().constData()));
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(FileNameOf(node->GetStorageNode(), -1), fs::canonical(bundle).string());
  EXPECT_TRUE(TempIsEmpty());
}

TEST_F(ReadersTest, HostileSequenceBundleIsRefusedAndNrrdSequencesPass) {
  Wrap();
  const std::string bad = Write("Bad.seq.mrb", ZipBuilder().Entry("Bad/Bad.seq.mrml", kHostile).Build());
  EXPECT_FALSE(Load("SequenceFile", bad));
  EXPECT_TRUE(g_events.empty());
  const std::string nrrd = Write("v.seq.nrrd", "NRRD0004\n");
  EXPECT_TRUE(Load("SequenceFile", nrrd));
  EXPECT_EQ(g_events, std::vector<std::string>{"sequence:" + nrrd});
}

}  // namespace
