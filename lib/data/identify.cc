// SPDX-License-Identifier: BSD-3-Clause
// Content identification of data files: see identify.h.

#include "data/identify.h"

#include <string>

#include "bytes/byte_reader.h"
#include "data/data_internal.h"

namespace mrmlguard::internal::data {
namespace {

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

}  // namespace

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

}  // namespace mrmlguard::internal::data
