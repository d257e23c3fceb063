// SPDX-License-Identifier: BSD-3-Clause
// CheckDataFile: identify a data file by its content, judge the content
// against the extension and the storage class, refuse executables, and hand
// the file to the header reader of its format.
//
// Storage classes and the extensions they read: research/slicer-scene-loading.md
// §3.4 (InitializeSupportedReadFileTypes of each vtkMRML*StorageNode).

#include "data/data_file.h"

#include <algorithm>
#include <initializer_list>
#include <string>

#include "bytes/byte_reader.h"
#include "data/data_internal.h"

namespace mrmlguard::internal {

using data::Ctx;

std::string_view DataFormatName(DataFormat format) {
  switch (format) {
    case DataFormat::kUnknown: return "unknown";
    case DataFormat::kEmpty: return "empty";
    case DataFormat::kNrrd: return "nrrd";
    case DataFormat::kNifti1: return "nifti-1";
    case DataFormat::kAnalyze: return "analyze";
    case DataFormat::kNifti2: return "nifti-2";
    case DataFormat::kGzip: return "gzip";
    case DataFormat::kMetaImage: return "metaimage";
    case DataFormat::kVtkLegacy: return "vtk-legacy";
    case DataFormat::kVtkXml: return "vtk-xml";
    case DataFormat::kXml: return "xml";
    case DataFormat::kJson: return "json";
    case DataFormat::kHdf5: return "hdf5";
    case DataFormat::kMatlab: return "matlab";
    case DataFormat::kItkTransform: return "itk-transform";
    case DataFormat::kText: return "text";
    case DataFormat::kPng: return "png";
    case DataFormat::kJpeg: return "jpeg";
    case DataFormat::kTiff: return "tiff";
    case DataFormat::kBmp: return "bmp";
    case DataFormat::kDicom: return "dicom";
    case DataFormat::kZip: return "zip";
    case DataFormat::kExecutable: return "executable";
  }
  return "unknown";
}

uint32_t ComponentBytes(ComponentType type) {
  switch (type) {
    case ComponentType::kInt8:
    case ComponentType::kUInt8: return 1;
    case ComponentType::kInt16:
    case ComponentType::kUInt16: return 2;
    case ComponentType::kInt32:
    case ComponentType::kUInt32:
    case ComponentType::kFloat32: return 4;
    case ComponentType::kInt64:
    case ComponentType::kUInt64:
    case ComponentType::kFloat64: return 8;
    case ComponentType::kUnknown: return 0;
  }
  return 0;
}

std::string_view ComponentTypeName(ComponentType type) {
  switch (type) {
    case ComponentType::kInt8: return "int8";
    case ComponentType::kUInt8: return "uint8";
    case ComponentType::kInt16: return "int16";
    case ComponentType::kUInt16: return "uint16";
    case ComponentType::kInt32: return "int32";
    case ComponentType::kUInt32: return "uint32";
    case ComponentType::kInt64: return "int64";
    case ComponentType::kUInt64: return "uint64";
    case ComponentType::kFloat32: return "float32";
    case ComponentType::kFloat64: return "float64";
    case ComponentType::kUnknown: return "unknown";
  }
  return "unknown";
}

namespace {

using data::EndsWith;
using data::ExtensionOf;
using data::Quote;
using data::StartsWith;

// What identification found.
struct Identity {
  DataFormat format = DataFormat::kUnknown;
  uint64_t offset = 0;       // where the signature is (HDF5 user block)
  std::string executable;    // what kind, for kExecutable
};

bool At(std::span<const uint8_t> b, size_t offset, std::string_view sig) {
  ByteReader r(b);
  r.Skip(offset);
  return r.ok() && r.Chars(sig.size()) == sig;
}

// Executables by their headers (ELF: System V ABI e_ident; PE: MS-DOS stub
// e_lfanew -> "PE\0\0"; Mach-O: mach-o/loader.h magic + filetype). The
// checks are strict enough that raw voxel data rarely matches by chance.
std::string ExecutableKind(std::span<const uint8_t> b) {
  ByteReader r(b);
  if (At(b, 0, "\x7f" "ELF")) {
    r.Skip(4);
    uint8_t cls = r.U8(), data = r.U8(), version = r.U8();
    if (r.ok() && (cls == 1 || cls == 2) && (data == 1 || data == 2) && version == 1) return "an ELF executable";
  }
  if (At(b, 0, "MZ")) {
    ByteReader e(b);
    e.Skip(0x3c);
    uint32_t lfanew = e.U32le();
    if (e.ok() && lfanew >= 0x40 && lfanew < b.size() && At(b, lfanew, std::string_view("PE\0\0", 4))) {
      return "a Windows PE executable";
    }
  }
  {
    ByteReader m(b);
    uint32_t magic_be = m.U32be();
    uint32_t cputype_be = m.U32be(), cpusub_be = m.U32be(), filetype_be = m.U32be();
    (void)cputype_be;
    (void)cpusub_be;
    ByteReader m2(b);
    uint32_t magic_le = m2.U32le();
    m2.Skip(8);
    uint32_t filetype_le = m2.U32le();
    bool be = magic_be == 0xfeedfaceu || magic_be == 0xfeedfacfu;
    bool le = magic_le == 0xfeedfaceu || magic_le == 0xfeedfacfu;
    if (m.ok() && ((be && filetype_be >= 1 && filetype_be <= 12) || (le && filetype_le >= 1 && filetype_le <= 12))) {
      return "a Mach-O executable";
    }
    // Universal binaries: 0xcafebabe + a small architecture count (Java
    // class files share the magic but have a large version there).
    if (m.ok() && magic_be == 0xcafebabeu && cputype_be >= 1 && cputype_be <= 8) return "a Mach-O universal binary";
  }
  if (At(b, 0, "#!")) {
    ByteReader s(b);
    s.Skip(2);
    uint8_t c = s.U8();
    if (c == ' ') c = s.U8();
    if (c == '/') return "a script with a #! interpreter line";
  }
  return "";
}

// Heuristic for script text in a data file: lines that read like Python or
// shell. Color tables, CSV and numbers never start a line this way.
int ScriptScore(std::span<const uint8_t> b) {
  data::LineReader lines(b.first(std::min<size_t>(b.size(), 16384)));
  int score = 0, seen = 0;
  while (std::optional<std::string_view> raw = lines.Next()) {
    std::string_view l = data::Trim(*raw);
    if (l.empty()) continue;
    if (++seen > 64) break;
    static constexpr std::string_view kStarts[] = {
        "import ", "from ", "def ", "class ", "exec(", "eval(", "os.system", "subprocess.", "__import__",
        "<?php", "<script", "powershell", "@echo off", "rm -rf", "curl ", "wget ", "bash -c", "sh -c",
        "print(", "if __name__", "slicer.util", "function ", "var ", "chmod "};
    for (std::string_view s : kStarts) {
      if (StartsWith(l, s)) {
        // "from x import y" and "import x" are the Python tells; plain words
        // like "class" need a colon at the end to count.
        if (s == "from " && l.find(" import ") == std::string_view::npos) continue;
        if ((s == "class " || s == "def ") && !EndsWith(l, ":")) continue;
        ++score;
        break;
      }
    }
  }
  return score;
}

bool LooksLikeText(std::span<const uint8_t> b) {
  ByteReader r(b.first(std::min<size_t>(b.size(), 4096)));
  size_t bad = 0, n = 0;
  while (!r.empty()) {
    uint8_t c = r.U8();
    ++n;
    if (c == 0) return false;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++bad;
  }
  return n > 0 && bad * 100 <= n;  // allow a stray control byte
}

// The first non-space bytes, after a UTF-8 BOM.
std::string_view TextStart(std::span<const uint8_t> b) {
  ByteReader r(b.first(std::min<size_t>(b.size(), 8192)));
  std::string_view t = r.Chars(r.size());
  if (StartsWith(t, "\xEF\xBB\xBF")) t.remove_prefix(3);
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t' || t.front() == '\r' || t.front() == '\n')) {
    t.remove_prefix(1);
  }
  return t;
}

// MetaIO header keys that can open a MetaImage header.
bool MetaImageStart(std::string_view t) {
  size_t nl = t.find('\n');
  std::string_view first = data::Trim(t.substr(0, nl));
  size_t eq = first.find('=');
  if (eq == std::string_view::npos) return false;
  std::string_view key = data::Trim(first.substr(0, eq));
  static constexpr std::string_view kKeys[] = {"ObjectType", "NDims", "ObjectSubType", "Comment", "TransformType",
                                               "Name", "ID", "DimSize", "HeaderSize", "BinaryData"};
  for (std::string_view k : kKeys) {
    if (data::EqualsIgnoreCase(k, key)) return true;
  }
  return false;
}

Identity Identify(std::span<const uint8_t> b, std::string_view ext) {
  Identity id;
  if (b.empty()) {
    id.format = DataFormat::kEmpty;
    return id;
  }
  id.executable = ExecutableKind(b);
  if (!id.executable.empty()) {
    id.format = DataFormat::kExecutable;
    return id;
  }
  if (At(b, 0, "NRRD000")) id.format = DataFormat::kNrrd;
  else if (At(b, 0, "# vtk DataFile Version")) id.format = DataFormat::kVtkLegacy;
  else if (At(b, 0, "#Insight Transform File")) id.format = DataFormat::kItkTransform;
  else if (At(b, 0, "\x89PNG\r\n\x1a\n")) id.format = DataFormat::kPng;
  else if (At(b, 0, "\xff\xd8\xff")) id.format = DataFormat::kJpeg;
  else if (At(b, 0, std::string_view("II*\0", 4)) || At(b, 0, std::string_view("MM\0*", 4)) ||
           At(b, 0, std::string_view("II+\0", 4))) {
    id.format = DataFormat::kTiff;
  } else if (At(b, 0, "\x1f\x8b")) id.format = DataFormat::kGzip;
  else if (At(b, 0, "PK\x03\x04") || At(b, 0, "PK\x05\x06")) id.format = DataFormat::kZip;
  else if (At(b, 0, "MATLAB 5.0 MAT-file")) id.format = DataFormat::kMatlab;
  else if (At(b, 128, "DICM")) id.format = DataFormat::kDicom;
  if (id.format != DataFormat::kUnknown) return id;
  // HDF5 superblock: at 0 or after a user block of 512, 1024, 2048 ... bytes.
  for (uint64_t at = 0; at < b.size(); at = at == 0 ? 512 : at * 2) {
    if (At(b, static_cast<size_t>(at), "\x89HDF\r\n\x1a\n")) {
      id.format = DataFormat::kHdf5;
      id.offset = at;
      return id;
    }
  }
  // NIfTI/Analyze: sizeof_hdr in either byte order.
  {
    ByteReader le(b), be(b);
    uint32_t l = le.U32le(), g = be.U32be();
    if (le.ok() && (l == 348 || g == 348)) {
      if (At(b, 344, std::string_view("n+1\0", 4)) || At(b, 344, std::string_view("ni1\0", 4))) {
        id.format = DataFormat::kNifti1;
        return id;
      }
      if (ext == ".hdr") {
        id.format = DataFormat::kAnalyze;
        return id;
      }
      if (ext == ".nii") {
        id.format = DataFormat::kNifti1;  // the reader reports the bad magic
        return id;
      }
    }
    if (le.ok() && (l == 540 || g == 540) &&
        (At(b, 4, std::string_view("n+2\0", 4)) || At(b, 4, std::string_view("ni2\0", 4)))) {
      id.format = DataFormat::kNifti2;
      return id;
    }
  }
  // BMP: "BM" and the file size field agree with... nothing better is at hand
  // in a prefix, so require the extension as well.
  if (At(b, 0, "BM") && ext == ".bmp") {
    id.format = DataFormat::kBmp;
    return id;
  }
  // MetaImage (.mha) carries binary data right after its text header: judge
  // by the first line only.
  if (MetaImageStart(TextStart(b))) {
    id.format = DataFormat::kMetaImage;
    return id;
  }
  if (!LooksLikeText(b)) return id;
  std::string_view t = TextStart(b);
  if (StartsWith(t, "<")) {
    id.format = t.find("<VTKFile") != std::string_view::npos ? DataFormat::kVtkXml : DataFormat::kXml;
  } else if (StartsWith(t, "{") || StartsWith(t, "[")) {
    id.format = DataFormat::kJson;
  } else {
    id.format = DataFormat::kText;
  }
  return id;
}

using Formats = std::initializer_list<DataFormat>;

// Content formats each extension may hold. Extensions not listed are not
// judged by extension (the storage class still is).
bool ExpectedFormats(std::string_view ext, std::vector<DataFormat>* out) {
  struct Row {
    std::initializer_list<std::string_view> exts;
    Formats formats;
  };
  using F = DataFormat;
  static const Row kRows[] = {
      {{".nrrd", ".nhdr", ".seq.nrrd", ".seq.nhdr", ".seg.nrrd", ".seg.nhdr"}, {F::kNrrd}},
      {{".nii"}, {F::kNifti1, F::kNifti2}},
      {{".nii.gz", ".hdr.gz", ".img.gz", ".raw.gz", ".gz", ".mgz"}, {F::kGzip}},
      {{".hdr"}, {F::kNifti1, F::kAnalyze, F::kNifti2}},
      {{".mha", ".mhd", ".seq.mha", ".seq.mhd"}, {F::kMetaImage}},
      {{".vtk"}, {F::kVtkLegacy}},
      {{".vtp", ".vtu", ".vti", ".vts", ".vtr", ".vtm", ".seg.vtm"}, {F::kVtkXml}},
      {{".mrk.json", ".json", ".vp.json"}, {F::kJson}},
      {{".sp"}, {F::kJson, F::kText, F::kXml}},
      {{".fcsv", ".acsv", ".ctbl", ".csv", ".tsv", ".labels.csv", ".schema.csv", ".schema.tsv", ".vp"}, {F::kText}},
      {{".txt"}, {F::kText, F::kItkTransform, F::kEmpty}},
      {{".tfm"}, {F::kItkTransform}},
      {{".h5", ".hdf5"}, {F::kHdf5}},
      {{".mat"}, {F::kMatlab, F::kHdf5}},
      {{".png"}, {F::kPng}},
      {{".jpg", ".jpeg"}, {F::kJpeg}},
      {{".tif", ".tiff"}, {F::kTiff}},
      {{".bmp"}, {F::kBmp}},
      {{".mrml", ".seq.mrml", ".xml", ".cxml"}, {F::kXml}},
      {{".mrb", ".seq.mrb", ".zip"}, {F::kZip}},
      {{".dcm"}, {F::kDicom, F::kUnknown}},
      // Headerless or formats we do not read: any content but executables.
      {{".raw", ".img", ".zraw", ".stl", ".ply", ".obj", ".g", ".byu", ".ucd", ".meta"},
       {F::kUnknown, F::kText, F::kEmpty}},
  };
  for (const Row& row : kRows) {
    if (std::find(row.exts.begin(), row.exts.end(), ext) != row.exts.end()) {
      out->assign(row.formats.begin(), row.formats.end());
      return true;
    }
  }
  return false;
}

// Storage classes with a fixed extension list (§3.4). nullptr: not a class
// with a list ("any extension" classes and tags we do not know).
const std::initializer_list<std::string_view>* StorageExtensions(std::string_view tag) {
  struct Row {
    std::initializer_list<std::string_view> tags;
    std::initializer_list<std::string_view> exts;
  };
  static const Row kRows[] = {
      {{"NRRDStorage"}, {".nrrd", ".nhdr", ".seq.nrrd", ".seg.nrrd", ".seq.nhdr", ".seg.nhdr"}},
      {{"ModelStorage"}, {".vtk", ".vtp", ".vtu", ".g", ".byu", ".meta", ".stl", ".ply", ".ucd", ".obj"}},
      {{"ColorTableStorage"}, {".labels.csv", ".csv", ".ctbl", ".txt"}},
      {{"ProceduralColorStorage"}, {".cxml", ".txt"}},
      {{"MarkupsFiducialStorage"}, {".fcsv", ".acsv"}},
      {{"SegmentationStorage"},
       {".seg.nrrd", ".seg.nhdr", ".seg.vtm", ".nrrd", ".nhdr", ".vtm", ".nii.gz", ".hdr", ".nii"}},
      {{"SequenceStorage"}, {".seq.mrb", ".mrb", ".seq.mrml", ".mrml"}},
      {{"VolumeSequenceStorage", "TransformSequenceStorage"}, {".seq.nrrd", ".seq.nhdr", ".nrrd", ".nhdr"}},
      {{"LinearTransformSequenceStorage"}, {".seq.mhd", ".seq.mha", ".mha", ".mhd"}},
      {{"TableStorage"}, {".tsv", ".csv", ".txt", ".schema.tsv", ".schema.csv"}},
      {{"HierarchyStorage"}, {".txt"}},
      {{"SceneViewStorage", "AnnotationSnapshotStorage"}, {".png", ".jpg", ".jpeg", ".tiff", ".tif", ".bmp"}},
      {{"AnnotationStorage", "AnnotationFiducialsStorage", "AnnotationControlPointsStorage", "AnnotationLinesStorage",
        "AnnotationRulerStorage", "AnnotationROIStorage"},
       {".acsv", ".txt"}},
      {{"MarkupsJsonStorage", "MarkupsPlaneJsonStorage", "MarkupsROIJsonStorage"}, {".mrk.json", ".json"}},
      {{"VolumePropertyStorage"}, {".vp"}},
      {{"VolumePropertyJsonStorage"}, {".vp.json", ".json"}},
      {{"ShaderPropertyStorage"}, {".sp"}},
  };
  for (const Row& row : kRows) {
    if (std::find(row.tags.begin(), row.tags.end(), tag) != row.tags.end()) return &row.exts;
  }
  return nullptr;
}

// "Any extension" classes read whatever ITK (volumes) or ITK's transform IO
// reads; content that is certainly none of those is a mismatch.
bool AnyExtensionClassRefuses(std::string_view tag, DataFormat f) {
  using F = DataFormat;
  if (tag == "VolumeArchetypeStorage") {
    return f == F::kJson || f == F::kXml || f == F::kZip || f == F::kItkTransform || f == F::kMatlab ||
           f == F::kVtkXml || f == F::kEmpty;
  }
  if (tag == "TransformStorage") {
    return f == F::kJson || f == F::kXml || f == F::kZip || f == F::kVtkLegacy || f == F::kVtkXml ||
           f == F::kPng || f == F::kJpeg || f == F::kTiff || f == F::kBmp || f == F::kDicom || f == F::kEmpty;
  }
  if (tag == "TextStorage") return f == F::kZip || f == F::kEmpty ? false : (f != F::kText && f != F::kXml && f != F::kJson);
  return false;
}

bool IsColorTableText(const DataFileView& file, std::string_view ext) {
  if (file.storage_tag == "ColorTableStorage" || file.storage_tag == "ProceduralColorStorage" || ext == ".ctbl" ||
      ext == ".labels.csv") {
    return true;
  }
  if (!file.storage_tag.empty()) return false;
  // Unknown reader: a .txt/.csv whose first data line is a color line.
  data::LineReader lines(file.prefix.first(std::min<size_t>(file.prefix.size(), 8192)));
  while (std::optional<std::string_view> raw = lines.Next()) {
    std::string_view l = data::Trim(*raw);
    if (l.empty() || l.front() == '#') continue;
    if (ext == ".csv") return l.find("Color_R") != std::string_view::npos;
    std::vector<std::string_view> w = data::SplitWords(l, 8);
    return (w.size() == 5 || w.size() == 6) && data::ParseInt(w[0]) && data::ParseInt(w[2]) &&
           data::ParseInt(w[3]) && data::ParseInt(w[4]);
  }
  return false;
}

// A delimited text table vtkMRMLTableStorageNode reads (its storage class,
// or a .csv/.tsv no other reader claimed).
bool IsTable(const DataFileView& file, std::string_view ext) {
  if (file.storage_tag == "TableStorage") return true;
  return file.storage_tag.empty() && (ext == ".csv" || ext == ".tsv" || ext == ".schema.csv" || ext == ".schema.tsv");
}

}  // namespace

bool WantsWholeFile(std::string_view name, std::string_view storage_tag, uint64_t total_size, const Limits& limits) {
  std::string ext = ExtensionOf(name);
  bool text = ext == ".mrk.json" || ext == ".json" || ext == ".vp.json" || ext == ".sp" || ext == ".fcsv" ||
              ext == ".acsv" || ext == ".ctbl" || ext == ".vtm" || ext == ".seg.vtm" || ext == ".csv" ||
              ext == ".tsv" || storage_tag == "TableStorage" ||
              storage_tag == "ShaderPropertyStorage" || storage_tag == "ColorTableStorage" ||
              storage_tag.find("Markups") != std::string_view::npos;
  return text && total_size <= limits.max_json_bytes;
}

DataFileResult CheckDataFile(const DataFileView& file, FindingSink& sink) {
  DataFileResult result;
  Ctx ctx{file, sink, result};
  std::string ext = ExtensionOf(file.name);
  if (file.prefix.size() > file.total_size) {
    sink.Add(Rule::kDataHeaderMalformed, {}, "internal: more header bytes than the file holds");
    return result;
  }
  Identity id = Identify(file.prefix, ext);
  result.format = id.format;

  if (id.format == DataFormat::kExecutable) {
    sink.Add(Rule::kDataExecutable, {.offset = 0}, "file " + Quote(file.name) + " is " + id.executable);
    return result;
  }
  bool text_like = id.format == DataFormat::kText || id.format == DataFormat::kMetaImage ||
                   id.format == DataFormat::kJson || id.format == DataFormat::kXml;
  bool script = text_like && ext != ".py" && ScriptScore(file.prefix) >= 2;
  if (script && file.storage_tag != "TextStorage") {
    sink.Add(Rule::kDataExecutable, {.offset = 0},
             "file " + Quote(file.name) + " reads like a Python or shell script, not " +
                 (ext.empty() ? std::string("data") : ext + " data"));
    return result;
  }

  // Content against extension.
  std::vector<DataFormat> expected;
  bool mismatch = false;
  if (ExpectedFormats(ext, &expected) &&
      std::find(expected.begin(), expected.end(), id.format) == expected.end()) {
    mismatch = true;
    sink.Add(Rule::kDataMagicMismatch, {.offset = 0},
             "a " + ext + " file whose content is " + std::string(DataFormatName(id.format)));
  }
  // Extension and content against the storage class.
  if (file.list_member) {
    // Read by the main file's reader, by its own format: see DataFileView.
  } else if (const auto* exts = StorageExtensions(file.storage_tag)) {
    bool listed = false;
    for (std::string_view e : *exts) listed = listed || e == ext;
    if (!listed) {
      sink.Add(Rule::kDataMagicMismatch, {},
               std::string(file.storage_tag) + " does not read " + (ext.empty() ? "files without an extension" : ext) +
                   " files");
    }
  } else if (!mismatch && AnyExtensionClassRefuses(file.storage_tag, id.format)) {
    sink.Add(Rule::kDataMagicMismatch, {.offset = 0},
             std::string(file.storage_tag) + " cannot read " + std::string(DataFormatName(id.format)) + " content");
  }

  // A volume in a format we do not identify: ITK may still read it (GIPL,
  // MRC, LSM, Stimulate ...), so it is not a mismatch, but nothing was checked.
  if (!mismatch && file.storage_tag == "VolumeArchetypeStorage" &&
      (id.format == DataFormat::kText || (id.format == DataFormat::kUnknown && !expected.empty()))) {
    sink.Add(Rule::kDataFormatUnknown, {},
             "VolumeArchetypeStorage file " + Quote(file.name) + " is in no image format mrmlguard reads");
  }

  switch (id.format) {
    case DataFormat::kNrrd: data::ReadNrrd(ctx); break;
    case DataFormat::kMetaImage: data::ReadMetaImage(ctx); break;
    case DataFormat::kNifti1: data::ReadNifti1(ctx, file.prefix, false, false); break;
    case DataFormat::kAnalyze: data::ReadNifti1(ctx, file.prefix, false, true); break;
    case DataFormat::kNifti2: data::ReadNifti2(ctx, file.prefix, false); break;
    case DataFormat::kGzip: data::ReadGzip(ctx); break;
    case DataFormat::kVtkLegacy: data::ReadVtkLegacy(ctx); break;
    case DataFormat::kVtkXml: data::ReadVtkXml(ctx); break;
    case DataFormat::kJson: data::ReadJson(ctx); break;
    case DataFormat::kItkTransform: data::ReadItkTransform(ctx); break;
    case DataFormat::kHdf5: data::ReadHdf5(ctx, id.offset); break;
    case DataFormat::kPng: data::ReadPng(ctx); break;
    case DataFormat::kBmp: data::ReadBmp(ctx); break;
    case DataFormat::kTiff: data::ReadTiff(ctx); break;
    case DataFormat::kJpeg: data::ReadJpeg(ctx); break;
    case DataFormat::kDicom: data::ReadDicom(ctx); break;
    case DataFormat::kText:
      if (ext == ".fcsv" || ext == ".acsv" || file.storage_tag == "MarkupsFiducialStorage" ||
          file.storage_tag.find("Annotation") != std::string_view::npos) {
        data::ReadMarkupsCsv(ctx);
      } else if (IsColorTableText(file, ext)) {
        data::ReadColorTable(ctx);
      } else if (file.storage_tag == "ShaderPropertyStorage" || ext == ".sp") {
        sink.Add(Rule::kDataExecutable, {}, "shader property file (GLSL that Slicer compiles)");
      } else if (IsTable(file, ext)) {
        // vtkMRMLTableStorageNode::GetFieldDelimiterCharacters: tab for .tsv
        // and .txt, comma for .csv.
        data::BoundTable(ctx, EndsWith(ext, ".csv") ? ',' : '\t');
      }
      break;
    case DataFormat::kXml:
      if (file.storage_tag == "ShaderPropertyStorage" || ext == ".sp") {
        sink.Add(Rule::kDataExecutable, {}, "shader property file (GLSL that Slicer compiles)");
      }
      break;
    case DataFormat::kUnknown:
      if (expected.empty() && !mismatch) {
        sink.Add(Rule::kDataFormatUnknown, {},
                 "content of " + Quote(file.name) + " is not a format mrmlguard reads; only executable checks ran");
      }
      break;
    case DataFormat::kEmpty:
    case DataFormat::kZip:
    case DataFormat::kMatlab:
    case DataFormat::kExecutable:
      break;
  }
  // Meshes VTK reads by extension (vtkMRMLModelStorageNode::ReadDataInternal):
  // the memory their counts (or sizes) ask for; see load_bounds.cc.
  if (!mismatch && (id.format == DataFormat::kUnknown || id.format == DataFormat::kText)) {
    if (ext == ".stl") {
      data::ReadStl(ctx);
    } else if (ext == ".ply" && data::StartsWith(TextStart(file.prefix), "ply")) {
      data::ReadPly(ctx);
    } else if (ext == ".obj") {
      data::BoundObj(ctx);
    }
  }
  if (result.image && (file.storage_tag == "SegmentationStorage" || ext == ".seg.nrrd" || ext == ".seg.nhdr")) {
    data::CheckSegmentation(ctx, id.format == DataFormat::kNrrd);
  }
  return result;
}

}  // namespace mrmlguard::internal
