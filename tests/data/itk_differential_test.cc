// SPDX-License-Identifier: BSD-3-Clause
// Differential test: our header readers against ITK's ImageIO
// (ReadImageInformation only) on every image of corpus/real and on crafted
// headers. Either both read the same sizes, component type and components,
// or both refuse; the few places where we are stricter on purpose are listed
// with the reason.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "data/itk_reference.h"
#include "data_test_util.h"

namespace mrmlguard::internal::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::string_literals;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string out(static_cast<size_t>(fs::file_size(p)), '\0');
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  return out;
}

bool IsImage(DataFormat f) {
  return f == DataFormat::kNrrd || f == DataFormat::kMetaImage || f == DataFormat::kNifti1 ||
         f == DataFormat::kNifti2 || f == DataFormat::kAnalyze;
}

bool RefusesHeader(const Checked& r) {
  return r.Has("data.header-range") || r.Has("data.header-malformed");
}

TEST(ItkDifferentialTest, EveryCorpusImageAgrees) {
  fs::path root = fs::path(MRMLGUARD_SOURCE_DIR) / "corpus" / "real";
  size_t compared = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    std::string content = ReadFile(e.path());
    std::string rel = fs::relative(e.path(), root).string();
    Checked ours = Check(rel, "", content);
    if (!IsImage(ours.result.format) && !(ours.result.format == DataFormat::kGzip && rel.ends_with(".nii.gz"))) continue;
    // Teem opens the detached data files even when it reads only the header;
    // most .raw.gz files were not copied into the corpus (size), so the
    // header is read from a scratch folder next to empty stand-ins.
    fs::path read_from = e.path();
    bool missing = false;
    for (const std::string& d : ours.result.detached) missing = missing || !fs::exists(e.path().parent_path() / d);
    if (missing) {
      fs::path scratch = fs::path(MRMLGUARD_BINARY_DIR) / "tests" / "data" / "itk_corpus" / fs::path(rel).parent_path();
      fs::create_directories(scratch);
      read_from = scratch / e.path().filename();
      fs::copy_file(e.path(), read_from, fs::copy_options::overwrite_existing);
      for (const std::string& d : ours.result.detached) {
        fs::create_directories((scratch / d).parent_path());
        std::ofstream(scratch / d, std::ios::binary | std::ios::trunc);
      }
    }
    ItkHeader itk = ReadHeaderWithItk(read_from.string(), ours.result.format);
    ++compared;
    ASSERT_TRUE(ours.result.image) << rel << ":\n" << ours.Describe();
    ASSERT_TRUE(itk.ok) << rel << ": ITK refuses: " << itk.error;
    EXPECT_EQ(CompareImageHeaders(*ours.result.image, itk.image), "") << rel;
    Policy policy = Policy::Default();
    FindingSink sink(policy);
    EXPECT_TRUE(DeepCheckWithItk(read_from.string(), ours.result, sink)) << rel;
  }
  EXPECT_GE(compared, 30u);
  RecordProperty("corpus_images_compared", static_cast<int>(compared));
}

enum class Expect {
  kAgree,          // both read it, with the same result
  kBothRefuse,     // our header-range/header-malformed, and ITK throws
  kWeAreStricter,  // we refuse, ITK reads it (reason in the case label)
  kItkLacksFormat, // we read it, this ITK version has no reader for it
};

struct Crafted {
  const char* label;
  std::string name;
  std::string content;
  Expect expect;
};

std::string Nrrd(std::string_view fields, size_t data_bytes) {
  return "NRRD0004\n"s + std::string(fields) + "\n" + std::string(data_bytes, '\0');
}

std::vector<Crafted> CraftedCases() {
  std::vector<Crafted> c = {
      {"nrrd short 3d", "a.nrrd", Nrrd("type: short\ndimension: 3\nsizes: 4 5 6\nendian: little\nencoding: raw\n", 240),
       Expect::kAgree},
      {"nrrd big-endian float", "a.nrrd",
       Nrrd("type: float\ndimension: 2\nsizes: 3 7\nendian: big\nencoding: raw\n", 84), Expect::kAgree},
      {"nrrd uchar 1d", "a.nrrd", Nrrd("type: unsigned char\ndimension: 1\nsizes: 9\nencoding: raw\n", 9),
       Expect::kAgree},
      {"nrrd vector axis", "a.nrrd",
       Nrrd("type: double\ndimension: 4\nspace: left-posterior-superior\nsizes: 3 2 2 2\nkinds: vector domain domain "
            "domain\nendian: little\nencoding: raw\n",
            192),
       Expect::kAgree},
      {"nrrd RGB color", "a.nrrd",
       Nrrd("type: uchar\ndimension: 3\nsizes: 3 4 4\nkinds: RGB-color domain domain\nencoding: raw\n", 48),
       Expect::kAgree},
      {"nrrd int64", "a.nrrd", Nrrd("type: int64\ndimension: 2\nsizes: 2 2\nendian: little\nencoding: raw\n", 32),
       Expect::kAgree},
      {"nrrd 4d time", "a.nrrd",
       Nrrd("type: ushort\ndimension: 4\nsizes: 2 2 2 3\nkinds: domain domain domain time\nendian: little\nencoding: raw\n",
            48),
       Expect::kAgree},
      {"nrrd ascii", "a.nrrd", "NRRD0004\ntype: int\ndimension: 1\nsizes: 3\nencoding: ascii\n\n1 2 3\n", Expect::kAgree},
      {"nrrd masked tensor", "a.nrrd",
       Nrrd("type: float\ndimension: 4\nsizes: 7 2 2 2\nkinds: 3D-masked-symmetric-matrix space space space\n"
            "endian: little\nencoding: raw\n",
            224),
       Expect::kAgree},
      {"nrrd dimension 0", "a.nrrd", Nrrd("type: short\ndimension: 0\nsizes:\nendian: little\nencoding: raw\n", 0),
       Expect::kBothRefuse},
      {"nrrd dimension 17", "a.nrrd",
       Nrrd("type: uchar\ndimension: 17\nsizes: 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1\nencoding: raw\n", 1),
       Expect::kBothRefuse},
      {"nrrd negative size", "a.nrrd", Nrrd("type: uchar\ndimension: 2\nsizes: 4 -4\nencoding: raw\n", 16),
       Expect::kBothRefuse},
      {"nrrd unknown type", "a.nrrd", Nrrd("type: quad\ndimension: 1\nsizes: 4\nencoding: raw\n", 4),
       Expect::kBothRefuse},
      {"nrrd unknown encoding", "a.nrrd", Nrrd("type: uchar\ndimension: 1\nsizes: 4\nencoding: zip\n", 4),
       Expect::kBothRefuse},
      {"nrrd sizes count", "a.nrrd", Nrrd("type: uchar\ndimension: 3\nsizes: 4 4\nencoding: raw\n", 16),
       Expect::kBothRefuse},
      {"nrrd no endian for short", "a.nrrd", Nrrd("type: short\ndimension: 1\nsizes: 4\nencoding: raw\n", 8),
       Expect::kBothRefuse},
      {"nrrd two range axes", "a.nrrd",
       Nrrd("type: uchar\ndimension: 3\nsizes: 2 2 2\nkinds: vector vector domain\nencoding: raw\n", 8),
       Expect::kBothRefuse},
      {"nrrd bad magic", "a.nrrd", "NRRD000X\ntype: uchar\ndimension: 1\nsizes: 1\nencoding: raw\n\n\1", Expect::kBothRefuse},
      {"nrrd unknown field", "a.nrrd", Nrrd("type: uchar\ndimension: 1\nsizes: 4\nencoding: raw\ncolour: red\n", 4),
       Expect::kBothRefuse},
      {"mha uchar local", "a.mha",
       "ObjectType = Image\nNDims = 3\nDimSize = 2 3 4\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n" +
           std::string(24, '\0'),
       Expect::kAgree},
      {"mha channels", "a.mha",
       "ObjectType = Image\nNDims = 2\nDimSize = 4 4\nElementNumberOfChannels = 3\nElementType = MET_FLOAT\n"
       "ElementDataFile = LOCAL\n" +
           std::string(192, '\0'),
       Expect::kAgree},
      {"mha MET_LONG is 4 bytes", "a.mha",
       "ObjectType = Image\nNDims = 1\nDimSize = 4\nElementType = MET_LONG\nElementDataFile = LOCAL\n" +
           std::string(16, '\0'),
       Expect::kAgree},
      {"mha double", "a.mha",
       "ObjectType = Image\nNDims = 2\nDimSize = 2 2\nElementType = MET_DOUBLE\nElementDataFile = LOCAL\n" +
           std::string(32, '\0'),
       Expect::kAgree},
      {"mha unknown type", "a.mha",
       "ObjectType = Image\nNDims = 1\nDimSize = 4\nElementType = MET_QUAD\nElementDataFile = LOCAL\n" +
           std::string(4, '\0'),
       Expect::kBothRefuse},
      {"nii int16 le", "a.nii", Nifti1({.dims = {4, 5, 6}}) + std::string(240, '\0'), Expect::kAgree},
      {"nii float be", "a.nii", Nifti1({.dims = {4, 5, 6}, .datatype = 16, .bitpix = 32, .big = true}) +
                                   std::string(480, '\0'),
       Expect::kAgree},
      {"nii uint8 2d", "a.nii", Nifti1({.dims = {8, 8}, .datatype = 2, .bitpix = 8}) + std::string(64, '\0'),
       Expect::kAgree},
      {"nii trailing ones", "a.nii", Nifti1({.dims = {4, 4, 1, 1}, .datatype = 2, .bitpix = 8}) + std::string(16, '\0'),
       Expect::kAgree},
      {"nii 4d", "a.nii", Nifti1({.dims = {2, 2, 2, 5}, .datatype = 512, .bitpix = 16}) + std::string(80, '\0'),
       Expect::kAgree},
      {"nii vector dim5", "a.nii", Nifti1({.dims = {4, 4, 4, 1, 3}, .datatype = 16, .bitpix = 32, .intent = 1007}) +
                                      std::string(768, '\0'),
       Expect::kAgree},
      {"nii dim5 without vector intent", "a.nii", Nifti1({.dims = {4, 4, 4, 1, 3}, .datatype = 16, .bitpix = 32}) +
                                                     std::string(768, '\0'),
       Expect::kAgree},
      {"nii symmatrix dim5", "a.nii", Nifti1({.dims = {2, 2, 2, 1, 6}, .datatype = 16, .bitpix = 32, .intent = 1005}) +
                                          std::string(192, '\0'),
       Expect::kAgree},
      {"nii rgb24", "a.nii", Nifti1({.dims = {4, 4}, .datatype = 128, .bitpix = 24}) + std::string(48, '\0'),
       Expect::kAgree},
      {"nii.gz float", "a.nii.gz",
       Gzip(Nifti1({.dims = {5, 6, 7}, .datatype = 16, .bitpix = 32}) + std::string(5 * 6 * 7 * 4, '\0')),
       Expect::kAgree},
      {"nii double", "a.nii", Nifti1({.dims = {3, 3, 3}, .datatype = 64, .bitpix = 64}) + std::string(216, '\0'),
       Expect::kAgree},
      // ITK 5.2 (Debian 12) has no NIfTI-2 reader; ITK 5.3+ (Slicer 5.x) has.
      {"nii-2 int16", "a.nii", Nifti2({.dims = {4, 5, 6}, .vox_offset = 544}) + std::string(240, '\0'),
       Expect::kItkLacksFormat},
      {"nii dim0 8", "a.nii", Nifti1({.ndim = 8}) + std::string(64, '\0'), Expect::kBothRefuse},
      {"nii unknown datatype", "a.nii", Nifti1({.dims = {2, 2}, .datatype = 3}) + std::string(64, '\0'),
       Expect::kBothRefuse},
      {"nii bad magic", "a.nii", Nifti1({.dims = {2, 2}, .magic = std::string_view("zz1\0", 4)}) + std::string(8, '\0'),
       Expect::kWeAreStricter},  // ITK falls back to reading it as Analyze
      {"nii negative dim", "a.nii", Nifti1({.dims = {4, -4, 4}}) + std::string(64, '\0'),
       Expect::kWeAreStricter},  // nifti1_io repairs a dim below 1 to 1
      {"nii vox_offset in header", "a.nii", Nifti1({.dims = {2, 2}, .vox_offset = 100}) + std::string(8, '\0'),
       Expect::kWeAreStricter},  // nifti1_io moves a small vox_offset to 352
  };
  return c;
}

TEST(ItkDifferentialTest, CraftedHeaders) {
  fs::path dir = fs::path(MRMLGUARD_BINARY_DIR) / "tests" / "data" / "itk_crafted";
  fs::create_directories(dir);
  std::vector<Crafted> cases = CraftedCases();
  for (size_t i = 0; i < cases.size(); ++i) {
    const Crafted& c = cases[i];
    fs::path file = dir / (std::to_string(i) + "_" + c.name);
    {
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      out.write(c.content.data(), static_cast<std::streamsize>(c.content.size()));
    }
    Checked ours = Check(c.name, "", c.content);
    DataFormat f = ours.result.format;
    if (!IsImage(f) && f != DataFormat::kGzip) f = c.name.ends_with(".mha") ? DataFormat::kMetaImage
                         : c.name.ends_with(".nii") ? DataFormat::kNifti1 : DataFormat::kNrrd;
    ItkHeader itk = ReadHeaderWithItk(file.string(), f);
    switch (c.expect) {
      case Expect::kAgree:
        ASSERT_TRUE(ours.result.image) << c.label << ":\n" << ours.Describe();
        EXPECT_EQ(ours.Errors(), 0u) << c.label << ":\n" << ours.Describe();
        ASSERT_TRUE(itk.ok) << c.label << ": ITK refuses: " << itk.error;
        EXPECT_EQ(CompareImageHeaders(*ours.result.image, itk.image), "") << c.label;
        break;
      case Expect::kBothRefuse:
        EXPECT_TRUE(RefusesHeader(ours)) << c.label << ":\n" << ours.Describe();
        EXPECT_FALSE(itk.ok) << c.label << ": ITK reads it";
        break;
      case Expect::kItkLacksFormat:
        EXPECT_TRUE(ours.result.image) << c.label << ":\n" << ours.Describe();
        EXPECT_FALSE(itk.ok) << c.label << ": this ITK reads it now; make it kAgree";
        break;
      case Expect::kWeAreStricter:
        EXPECT_TRUE(RefusesHeader(ours)) << c.label << ":\n" << ours.Describe();
        EXPECT_TRUE(itk.ok) << c.label << ": ITK refuses too (" << itk.error << "); make it kBothRefuse";
        break;
    }
  }
}

// data.itk-disagrees: deep mode reports a header ITK reads differently, and
// one ITK refuses while we accept.
TEST(ItkDifferentialTest, DeepCheckReportsDisagreement) {
  fs::path dir = fs::path(MRMLGUARD_BINARY_DIR) / "tests" / "data" / "itk_crafted";
  fs::create_directories(dir);
  fs::path file = dir / "deep.nrrd";
  std::string content = Nrrd("type: short\ndimension: 3\nsizes: 4 5 6\nendian: little\nencoding: raw\n", 240);
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
  }
  Checked ours = Check("deep.nrrd", "", content);
  ASSERT_TRUE(ours.result.image);
  Policy policy = Policy::Default();
  {
    FindingSink sink(policy);
    EXPECT_TRUE(DeepCheckWithItk(file.string(), ours.result, sink));
    EXPECT_TRUE(sink.findings().empty());
  }
  DataFileResult tampered = ours.result;
  ImageInfo other = *ours.result.image;
  other.sizes = {4, 5, 7};
  tampered.image = other;
  {
    FindingSink sink(policy);
    EXPECT_FALSE(DeepCheckWithItk(file.string(), tampered, sink));
    ASSERT_EQ(sink.findings().size(), 1u);
    EXPECT_EQ(sink.findings()[0].rule_id, "data.itk-disagrees");
  }
  tampered = ours.result;
  tampered.format = DataFormat::kMetaImage;  // ITK's MetaImageIO cannot read a NRRD
  {
    FindingSink sink(policy);
    EXPECT_FALSE(DeepCheckWithItk(file.string(), tampered, sink));
    ASSERT_EQ(sink.findings().size(), 1u);
    EXPECT_EQ(sink.findings()[0].rule_id, "data.itk-disagrees");
  }
}

}  // namespace
}  // namespace mrmlguard::internal::testing
