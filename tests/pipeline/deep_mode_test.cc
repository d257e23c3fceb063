// SPDX-License-Identifier: BSD-3-Clause
// Deep mode (Policy::deep): ITK reads again every image header our reader
// accepted, from the file next to a plain scene or from a bundle entry
// written to a private temporary folder. Without ITK, asking for it is a
// Status error. ScratchFolder, the temporary folder, is tested here too (it
// is built in every configuration).

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <zlib.h>

#include "mrmlguard/validate.h"
#include "pipeline/scratch_folder.h"
#include "support/zip_builder.h"

namespace mrmlguard {
namespace {

namespace fs = std::filesystem;
using test_support::EntryOptions;
using test_support::ZipBuilder;

std::string Dump(const Report& r) {
  std::string out = "status=" + std::string(StatusCodeName(r.status.code())) + " " + r.status.message() + "\n";
  for (const Finding& f : r.findings) {
    out += std::string(SeverityName(f.severity)) + " [" + std::string(f.rule_id) + "] " + f.location.entry + ": " +
           f.message + "\n";
  }
  return out;
}

size_t Count(const Report& r, std::string_view rule) {
  return static_cast<size_t>(
      std::count_if(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.rule_id == rule; }));
}

const Finding* First(const Report& r, std::string_view rule) {
  auto it = std::find_if(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.rule_id == rule; });
  return it == r.findings.end() ? nullptr : &*it;
}

size_t Errors(const Report& r) {
  return static_cast<size_t>(std::count_if(r.findings.begin(), r.findings.end(),
                                           [](const Finding& f) { return f.severity == Severity::kError; }));
}

Policy Deep() {
  Policy policy = Policy::Default();
  policy.deep = true;
  return policy;
}

// A fresh folder that $TMPDIR points at for the life of the object, so a
// test can see what deep mode leaves behind. Restores $TMPDIR after.
class TmpdirScope {
 public:
  TmpdirScope() {
    std::string tmpl = (fs::temp_directory_path() / "mrmlguard_deep_test_XXXXXX").string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    const char* made = ::mkdtemp(buf.data());
    EXPECT_NE(made, nullptr);
    path_ = made != nullptr ? made : "";
    if (const char* old = std::getenv("TMPDIR")) old_ = old;
    ::setenv("TMPDIR", path_.c_str(), 1);
  }
  ~TmpdirScope() {
    if (old_) {
      ::setenv("TMPDIR", old_->c_str(), 1);
    } else {
      ::unsetenv("TMPDIR");
    }
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  // What is left in the folder, one name a line ("" when nothing).
  std::string Left() const {
    std::string out;
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(path_, ec)) out += e.path().string() + "\n";
    return out;
  }
  std::string Write(const std::string& name, const std::string& content) const {
    fs::path p = fs::path(path_) / "in" / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  void RemoveInputs() const {
    std::error_code ec;
    fs::remove_all(fs::path(path_) / "in", ec);
  }

 private:
  std::string path_;
  std::optional<std::string> old_;
};

std::string Scene(const std::string& body) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MRML version=\"Slicer 5.8.1 33241\" userTags=\"\">\n" + body +
         "</MRML>\n";
}

std::string VolumeWithFile(const std::string& file) {
  return " <Volume id=\"vtkMRMLScalarVolumeNode1\" name=\"v\" storageNodeRef=\"vtkMRMLVolumeArchetypeStorageNode1\">"
         "</Volume>\n <VolumeArchetypeStorage id=\"vtkMRMLVolumeArchetypeStorageNode1\" name=\"s\" fileName=\"" +
         file + "\"></VolumeArchetypeStorage>\n";
}

std::string Nrrd(const std::string& fields, size_t payload) {
  return "NRRD0004\n" + fields + "\n" + std::string(payload, '\0');
}

// A fixed linear congruential sequence of `bits`-bit values: 4 bits deflate
// to about half, 8 bits hardly at all.
std::string Noise(size_t n, int bits) {
  std::string out(n, '\0');
  uint32_t x = 12345;
  for (char& c : out) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>((x >> 24) & ((1u << bits) - 1));
  }
  return out;
}

// A NIfTI-1 header (348 bytes, little-endian, "n+1") with 4 extension bytes.
std::string Nifti1(std::vector<int16_t> dims, int16_t datatype, int16_t bitpix) {
  std::string h(352, '\0');
  auto put16 = [&](size_t at, int16_t v) {
    h[at] = static_cast<char>(v & 0xff);
    h[at + 1] = static_cast<char>((v >> 8) & 0xff);
  };
  auto put32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) h[at + static_cast<size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
  };
  put32(0, 348);
  put16(40, static_cast<int16_t>(dims.size()));
  for (size_t i = 0; i < dims.size(); ++i) put16(42 + 2 * i, dims[i]);
  for (size_t i = dims.size() + 1; i < 8; ++i) put16(40 + 2 * i, 1);
  put16(70, datatype);
  put16(72, bitpix);
  for (size_t i = 0; i < 8; ++i) put32(76 + 4 * i, 0x3f800000u);  // pixdim 1.0
  put32(108, 0x43b00000u);                                          // vox_offset 352.0f
  h.replace(344, 4, std::string("n+1\0", 4));
  return h;
}

// A gzip member (zlib, best compression) holding `data`.
std::string Gzip(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::vector<uint8_t> VolumeBundle(const std::string& file, const std::string& content,
                                  const std::vector<std::pair<std::string, std::string>>& before = {}) {
  EntryOptions deflated;
  deflated.method = 8;
  ZipBuilder zip;
  zip.Entry("Scene/Scene.mrml", Scene(VolumeWithFile(file)), deflated);
  for (const auto& [name, bytes] : before) zip.Entry(name, bytes, deflated);
  zip.Entry("Scene/" + file, content, deflated);
  return zip.Build();
}

#define REQUIRE_DEEP_MODE()                                                               \
  do {                                                                                    \
    if (!DeepModeAvailable()) {                                                           \
      GTEST_SKIP() << "this build has no deep mode (MRMLGUARD_WITH_ITK=OFF or not GCC)"; \
    }                                                                                     \
  } while (false)

TEST(DeepModeTest, AvailabilityFollowsTheBuild) {
#if defined(MRMLGUARD_WITH_ITK)
  EXPECT_TRUE(DeepModeAvailable());
#else
  EXPECT_FALSE(DeepModeAvailable());
#endif
}

TEST(DeepModeTest, WithoutItkDeepModeIsRefusedNotIgnored) {
  if (DeepModeAvailable()) GTEST_SKIP() << "this build has deep mode";
  std::string bundle = std::string(MRMLGUARD_SOURCE_DIR) + "/corpus/bundles/NonLinearTransformScene.mrb";
  for (const Report& r : {Validate(bundle, Deep()), ValidateBytes(VolumeBundle("Data/v.nrrd", "x"), "a.mrb", Deep())}) {
    EXPECT_EQ(r.status.code(), StatusCode::kInvalidArgument) << Dump(r);
    EXPECT_NE(r.status.message().find("built without ITK"), std::string::npos) << r.status.message();
    EXPECT_FALSE(r.accepted());
  }
  // The same input without deep mode is fine: the refusal is deep mode's.
  EXPECT_TRUE(Validate(bundle, Policy::Default()).accepted());
}

TEST(DeepModeTest, RealBundlesAgreeWithItkAndLeaveNothingBehind) {
  REQUIRE_DEEP_MODE();
  for (const char* name : {"NonLinearTransformScene.mrb", "NonLinearTransformScene_stored.mrb"}) {
    std::string path = std::string(MRMLGUARD_SOURCE_DIR) + "/corpus/bundles/" + name;
    ASSERT_TRUE(fs::exists(path)) << path;
    TmpdirScope tmp;
    Report r = Validate(path, Deep());
    EXPECT_TRUE(r.status.ok()) << name << "\n" << Dump(r);
    EXPECT_TRUE(r.accepted()) << name << "\n" << Dump(r);
    EXPECT_EQ(Count(r, "data.itk-disagrees"), 0u) << name << "\n" << Dump(r);
    EXPECT_EQ(tmp.Left(), "") << name;
  }
}

TEST(DeepModeTest, BundleImageIsWrittenForItk) {
  REQUIRE_DEEP_MODE();
  // The bundle's deform2x2x2_ras.nrrd is an image: deep mode needs a
  // temporary folder for it, so a $TMPDIR it cannot use is an I/O error
  // (never a silent skip). Without deep mode the same run is accepted.
  std::string path = std::string(MRMLGUARD_SOURCE_DIR) + "/corpus/bundles/NonLinearTransformScene.mrb";
  TmpdirScope tmp;
  std::string missing = tmp.path() + "/no-such-folder";
  ::setenv("TMPDIR", missing.c_str(), 1);
  Report r = Validate(path, Deep());
  EXPECT_EQ(r.status.code(), StatusCode::kIoError) << Dump(r);
  EXPECT_NE(r.status.message().find("deep mode: cannot make a temporary folder in " + missing), std::string::npos)
      << r.status.message();
  EXPECT_FALSE(r.accepted());
  EXPECT_TRUE(Validate(path, Policy::Default()).accepted());
}

TEST(DeepModeTest, RealScenesOnDiskAgreeWithItk) {
  REQUIRE_DEEP_MODE();
  // Scenes whose image files are next to them in corpus/real: an attached
  // NRRD grid transform, a detached DTI .nhdr and a label map; each scene is
  // accepted without deep mode. (Scenes whose detached data files were not
  // copied into the corpus are not asked of ITK: mrml.storage-missing says
  // it, and Teem could not open them either.)
  for (const char* scene :
       {"Slicer/Libs/MRML/Core/Testing/NonLinearTransformScene.mrml",
        "SlicerDMRI/Modules/Loadable/TractographyDisplay/Testing/Data/Input/helix_roi_tract.mrml"}) {
    std::string path = std::string(MRMLGUARD_SOURCE_DIR) + "/corpus/real/" + scene;
    ASSERT_TRUE(fs::exists(path)) << path;
    ASSERT_TRUE(Validate(path, Policy::Default()).accepted()) << scene;
    Report r = Validate(path, Deep());
    EXPECT_TRUE(r.accepted()) << scene << "\n" << Dump(r);
    EXPECT_EQ(Count(r, "data.itk-disagrees"), 0u) << scene << "\n" << Dump(r);
  }
}

// Teem checks that a "2-vector" axis has 2 samples; our reader does not (the
// disagreement deep mode exists to catch). Header accepted by us, refused by
// ITK's NrrdImageIO.
const char kTwoVectorOfThree[] =
    "type: uchar\ndimension: 3\nsizes: 3 4 5\nkinds: 2-vector domain domain\nencoding: raw\n";

TEST(DeepModeTest, BundleEntryItkRefusesIsItkDisagrees) {
  REQUIRE_DEEP_MODE();
  std::vector<uint8_t> zip = VolumeBundle("Data/v.nrrd", Nrrd(kTwoVectorOfThree, 60));
  Report plain = ValidateBytes(zip, "Scene.mrb", Policy::Default());
  ASSERT_TRUE(plain.accepted()) << Dump(plain);  // our reader accepts it
  TmpdirScope tmp;
  Report r = ValidateBytes(zip, "Scene.mrb", Deep());
  EXPECT_TRUE(r.status.ok()) << Dump(r);
  ASSERT_EQ(Errors(r), 1u) << Dump(r);
  ASSERT_EQ(Count(r, "data.itk-disagrees"), 1u) << Dump(r);
  const Finding& f = *First(r, "data.itk-disagrees");
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_EQ(f.location.entry, "Scene/Data/v.nrrd");
  EXPECT_NE(f.message.find("kind 2-vector requires size 2, but have 3"), std::string::npos) << f.message;
  // The message names the entry, not the temporary file, and no address.
  EXPECT_NE(f.message.find("Error reading Scene/Data/v.nrrd"), std::string::npos) << f.message;
  EXPECT_EQ(f.message.find("mrmlguard-deep-"), std::string::npos) << f.message;
  EXPECT_EQ(f.message.find("0x"), std::string::npos) << f.message;
  EXPECT_EQ(f.message.find('\n'), std::string::npos) << f.message;
  EXPECT_FALSE(r.accepted());
  EXPECT_EQ(tmp.Left(), "");
  // Deterministic: a second run says exactly the same.
  Report again = ValidateBytes(zip, "Scene.mrb", Deep());
  EXPECT_EQ(Dump(again), Dump(r));
}

TEST(DeepModeTest, PlainSceneFileItkRefusesIsItkDisagrees) {
  REQUIRE_DEEP_MODE();
  TmpdirScope tmp;
  tmp.Write("Data/v.nrrd", Nrrd(kTwoVectorOfThree, 60));
  std::string scene = tmp.Write("scene.mrml", Scene(VolumeWithFile("Data/v.nrrd")));
  ASSERT_TRUE(Validate(scene, Policy::Default()).accepted());
  Report r = Validate(scene, Deep());
  ASSERT_EQ(Errors(r), 1u) << Dump(r);
  ASSERT_EQ(Count(r, "data.itk-disagrees"), 1u) << Dump(r);
  EXPECT_EQ(First(r, "data.itk-disagrees")->location.entry, "Data/v.nrrd");
  // A plain scene's files are read where they are: nothing is written.
  tmp.RemoveInputs();
  EXPECT_EQ(tmp.Left(), "");
}

TEST(DeepModeTest, FileWithAnErrorIsNotAskedOfItk) {
  REQUIRE_DEEP_MODE();
  // The header ITK refuses (2-vector of 3), detached, with a data entry too
  // small for it: the pipeline's data.size-mismatch is the file's error, and
  // ITK is not asked on top of it.
  std::string header = "NRRD0004\n" + std::string(kTwoVectorOfThree) + "data file: v.raw\n\n";
  std::vector<uint8_t> zip = VolumeBundle("Data/v.nhdr", header, {{"Scene/Data/v.raw", std::string(10, '\0')}});
  TmpdirScope tmp;
  Report r = ValidateBytes(zip, "Scene.mrb", Deep());
  EXPECT_EQ(Count(r, "data.size-mismatch"), 1u) << Dump(r);
  EXPECT_EQ(Count(r, "data.itk-disagrees"), 0u) << Dump(r);
  // With the data it needs, the same header is ITK's refusal.
  zip = VolumeBundle("Data/v.nhdr", header, {{"Scene/Data/v.raw", std::string(60, '\0')}});
  r = ValidateBytes(zip, "Scene.mrb", Deep());
  EXPECT_EQ(Count(r, "data.size-mismatch"), 0u) << Dump(r);
  EXPECT_EQ(Count(r, "data.itk-disagrees"), 1u) << Dump(r);
  EXPECT_EQ(tmp.Left(), "");
}

TEST(DeepModeTest, DetachedNrrdInABundleAgrees) {
  REQUIRE_DEEP_MODE();
  // Teem opens the first data file even to read the header alone; the data
  // entry comes first in the archive, so it streamed before the header was
  // checked.
  std::string header = "NRRD0004\ntype: short\ndimension: 3\nsizes: 4 5 6\nendian: little\nencoding: raw\n"
                       "data file: v.raw\n\n";
  TmpdirScope tmp;
  Report r = ValidateBytes(VolumeBundle("Data/v.nhdr", header, {{"Scene/Data/v.raw", std::string(240, '\0')}}),
                           "Scene.mrb", Deep());
  EXPECT_TRUE(r.accepted()) << Dump(r);
  EXPECT_EQ(Count(r, "data.itk-disagrees"), 0u) << Dump(r);
  EXPECT_EQ(tmp.Left(), "");
}

TEST(DeepModeTest, DetachedNrrdLineSkipIsReadFromTheDataEntry) {
  REQUIRE_DEEP_MODE();
  // "line skip: 2": Teem reads two lines of the data file. The data entry
  // has them, so ITK agrees (deep mode streams its first bytes for ITK)...
  std::string header = "NRRD0004\ntype: short\ndimension: 3\nsizes: 4 5 6\nendian: little\nencoding: raw\n"
                       "line skip: 2\ndata file: v.raw\n\n";
  TmpdirScope tmp;
  Report r = ValidateBytes(
      VolumeBundle("Data/v.nhdr", header, {{"Scene/Data/v.raw", "first line\nsecond line\n" + std::string(240, '\0')}}),
      "Scene.mrb", Deep());
  EXPECT_TRUE(r.accepted()) << Dump(r);
  EXPECT_EQ(Count(r, "data.itk-disagrees"), 0u) << Dump(r);
  EXPECT_EQ(tmp.Left(), "");
  // ...and when the data entry has no line to skip, ITK refuses what our
  // reader cannot see from the header.
  Report bad = ValidateBytes(VolumeBundle("Data/v.nhdr", header, {{"Scene/Data/v.raw", std::string(240, '\0')}}),
                             "Scene.mrb", Deep());
  ASSERT_EQ(Count(bad, "data.itk-disagrees"), 1u) << Dump(bad);
  EXPECT_EQ(Errors(bad), 1u) << Dump(bad);
  const Finding& f = *First(bad, "data.itk-disagrees");
  EXPECT_NE(f.message.find("skip"), std::string::npos) << f.message;
  EXPECT_EQ(tmp.Left(), "");
}

TEST(DeepModeTest, LargeAttachedNrrdWithDataAtTheEndAgrees) {
  REQUIRE_DEEP_MODE();
  // Only max_header_bytes of the entry are kept; "byte skip: -1" makes Teem
  // seek from the end of the file, which has its real size (a hole).
  Policy policy = Deep();
  policy.limits.max_header_bytes = 4096;
  std::string nrrd = Nrrd("type: uchar\ndimension: 2\nsizes: 100 100\nencoding: raw\nbyte skip: -1\n", 10000);
  TmpdirScope tmp;
  Report r = ValidateBytes(VolumeBundle("Data/v.nrrd", nrrd), "Scene.mrb", policy);
  EXPECT_TRUE(r.accepted()) << Dump(r);
  EXPECT_EQ(Count(r, "data.itk-disagrees"), 0u) << Dump(r);
  EXPECT_EQ(tmp.Left(), "");
}

TEST(DeepModeTest, GzippedNiftiLargerThanTheHeaderLimitAgrees) {
  REQUIRE_DEEP_MODE();
  // The entry is far larger than max_header_bytes, and ITK inflates the
  // header from the prefix deep mode writes.
  Policy policy = Deep();
  policy.limits.max_header_bytes = 4096;
  std::string gz = Gzip(Nifti1({64, 64, 16}, 4, 16) + Noise(64 * 64 * 16 * 2, 4));
  ASSERT_GT(gz.size(), 8 * policy.limits.max_header_bytes);
  TmpdirScope tmp;
  Report r = ValidateBytes(VolumeBundle("Data/v.nii.gz", gz), "Scene.mrb", policy);
  EXPECT_TRUE(r.accepted()) << Dump(r);
  EXPECT_EQ(Count(r, "data.itk-disagrees"), 0u) << Dump(r);
  EXPECT_EQ(tmp.Left(), "");
  // A prefix cut a little after the header is written as it is: zlib reads
  // on past the header while it fills its buffer, and would refuse a hole
  // (zeros) after the cut, where a NRRD file gets one.
  policy.limits.max_header_bytes = 300;
  gz = Gzip(Nifti1({4, 5, 6}, 4, 16) + Noise(480, 8));
  ASSERT_GT(gz.size(), policy.limits.max_header_bytes);
  r = ValidateBytes(VolumeBundle("Data/v.nii.gz", gz), "Scene.mrb", policy);
  EXPECT_TRUE(r.accepted()) << Dump(r);
  EXPECT_EQ(Count(r, "data.itk-disagrees"), 0u) << Dump(r);
  EXPECT_EQ(tmp.Left(), "");
}

TEST(DeepModeTest, DetachedMetaImageInABundleAgrees) {
  REQUIRE_DEEP_MODE();
  std::string mhd =
      "ObjectType = Image\nNDims = 3\nDimSize = 2 3 4\nElementType = MET_UCHAR\nElementDataFile = v.raw\n";
  TmpdirScope tmp;
  Report r = ValidateBytes(VolumeBundle("Data/v.mhd", mhd, {{"Scene/Data/v.raw", std::string(24, '\0')}}),
                           "Scene.mrb", Deep());
  EXPECT_TRUE(r.accepted()) << Dump(r);
  EXPECT_EQ(Count(r, "data.itk-disagrees"), 0u) << Dump(r);
  EXPECT_EQ(tmp.Left(), "");
}

// --- ScratchFolder ---------------------------------------------------------

using internal::ScratchFolder;

std::span<const uint8_t> Span(const std::string& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

TEST(ScratchFolderTest, WritesPrivateFilesAndRemovesEverything) {
  TmpdirScope tmp;
  std::string root;
  {
    ScratchFolder folder;
    std::string error;
    ASSERT_TRUE(folder.Create(&error)) << error;
    root = folder.root();
    EXPECT_EQ(fs::path(root).parent_path(), fs::path(tmp.path()));
    struct stat st {};
    ASSERT_EQ(::stat(root.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    ASSERT_TRUE(folder.Write("Scene/Data/v.nrrd", Span("abc"), 1u << 20, &error)) << error;
    ASSERT_TRUE(folder.Write("Scene/Data/w.raw", Span("xyz"), 0, &error)) << error;
    ASSERT_EQ(::stat(folder.PathOf("Scene/Data/v.nrrd").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(st.st_size, 1 << 20);  // extended with a hole
    EXPECT_LT(static_cast<uint64_t>(st.st_blocks) * 512, uint64_t{1} << 20);
    ASSERT_EQ(::stat(folder.PathOf("Scene/Data/w.raw").c_str(), &st), 0);
    EXPECT_EQ(st.st_size, 3);
    ASSERT_EQ(::stat(folder.PathOf("Scene").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    // O_EXCL: a name is written once.
    EXPECT_FALSE(folder.Write("Scene/Data/w.raw", Span("again"), 0, &error));
  }
  EXPECT_FALSE(fs::exists(root));
  EXPECT_EQ(tmp.Left(), "");
}

TEST(ScratchFolderTest, RefusesNamesThatCouldLeaveIt) {
  TmpdirScope tmp;
  ScratchFolder folder;
  std::string error;
  ASSERT_TRUE(folder.Create(&error)) << error;
  for (const char* name : {"", "/etc/x", "../x", "a/../../x", "a/./b", "a//b", "a/", "..", "."}) {
    error.clear();
    EXPECT_FALSE(folder.Write(name, Span("x"), 0, &error)) << name;
    EXPECT_NE(error.find("refused"), std::string::npos) << name << ": " << error;
  }
  EXPECT_FALSE(folder.Write(std::string_view("a\0b", 3), Span("x"), 0, &error));
  size_t entries = 0;
  for (const auto& e : fs::recursive_directory_iterator(folder.root())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 0u);
}

TEST(ScratchFolderTest, MissingTmpdirIsAnError) {
  TmpdirScope tmp;
  std::string missing = tmp.path() + "/gone";
  ::setenv("TMPDIR", missing.c_str(), 1);
  ScratchFolder folder;
  std::string error;
  EXPECT_FALSE(folder.Create(&error));
  EXPECT_NE(error.find("cannot make a temporary folder in " + missing), std::string::npos) << error;
  EXPECT_EQ(folder.root(), "");
}

}  // namespace
}  // namespace mrmlguard
