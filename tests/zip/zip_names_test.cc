// SPDX-License-Identifier: BSD-3-Clause
// Entry-name rules (research A.3, Z17/Z18), one line per case.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "findings/quote.h"
#include "zip/zip_names.h"
#include "zip_test_util.h"

namespace mrmlguard::internal {
namespace {

std::vector<std::string> NameIds(std::string_view name, bool utf8 = true) {
  Policy p = Policy::Default();
  FindingSink sink(p);
  CheckEntryName(name, utf8, 7, sink);
  std::vector<std::string> ids;
  for (const Finding& f : sink.findings()) {
    EXPECT_EQ(*f.location.offset, 7u);
    ids.emplace_back(f.rule_id);
  }
  return ids;
}

using Ids = std::vector<std::string>;

TEST(ZipNamesTest, GoodNames) {
  for (std::string_view n : {"Scene/Scene.mrml", "Scene/Data/a b-c_d.nrrd", "Scene/", "x", "a/b/c/d.seq.mrb",
                             "S/caf\xc3\xa9.txt", "S/\xe6\x97\xa5\xe6\x9c\xac.nrrd", ".hidden/x", "a/.b"}) {
    EXPECT_EQ(NameIds(n), Ids{}) << n;
  }
}

TEST(ZipNamesTest, EachRule) {
  EXPECT_EQ(NameIds(""), Ids{"zip.entry.non-canonical"});
  EXPECT_EQ(NameIds("a//b"), Ids{"zip.entry.non-canonical"});
  EXPECT_EQ(NameIds("./a"), Ids{"zip.entry.non-canonical"});
  EXPECT_EQ(NameIds("a/./b"), Ids{"zip.entry.non-canonical"});
  EXPECT_EQ(NameIds("a/b//"), Ids{"zip.entry.non-canonical"});
  EXPECT_EQ(NameIds("../x"), Ids{"zip.entry.path-traversal"});
  EXPECT_EQ(NameIds("a/../b"), Ids{"zip.entry.path-traversal"});
  EXPECT_EQ(NameIds("a/.."), Ids{"zip.entry.path-traversal"});
  EXPECT_EQ(NameIds("/etc/passwd"), Ids{"zip.entry.absolute-path"});
  // Two leading separators of either kind are one UNC anchor (text/slicer_path.h), not an empty component.
  EXPECT_EQ(NameIds("//server/share/x"), Ids{"zip.entry.absolute-path"});
  EXPECT_EQ(NameIds("\\/server/x"), (Ids{"zip.entry.absolute-path", "zip.entry.backslash"}));
  EXPECT_EQ(NameIds("\\x"), (Ids{"zip.entry.absolute-path", "zip.entry.backslash"}));  // root of the drive
  EXPECT_EQ(NameIds("1:x"), Ids{"zip.entry.absolute-path"});  // FileIsFullPath: any byte before ':'
  EXPECT_EQ(NameIds("~/x"), Ids{});  // extracted as a folder named "~"; a storage path "~/x" is refused
  EXPECT_EQ(NameIds("C:x"), Ids{"zip.entry.absolute-path"});
  EXPECT_EQ(NameIds("\\\\server\\x"), (Ids{"zip.entry.absolute-path", "zip.entry.backslash"}));
  EXPECT_EQ(NameIds("a\\b"), Ids{"zip.entry.backslash"});
  // '\' separates on Windows and for libarchive with a DOS host: the '..' climbs there.
  EXPECT_EQ(NameIds("a\\..\\..\\x"), (Ids{"zip.entry.backslash", "zip.entry.path-traversal"}));
  EXPECT_EQ(NameIds("a\x01"), Ids{"zip.entry.control-char"});
  EXPECT_EQ(NameIds(std::string("a\0b", 3)), Ids{"zip.entry.control-char"});
  EXPECT_EQ(NameIds("a\x7f"), Ids{"zip.entry.control-char"});
  EXPECT_EQ(NameIds("scene\xe2\x80\xae" "lmrm.py"), Ids{"zip.entry.control-char"});  // U+202E
  EXPECT_EQ(NameIds("sc\xe2\x80\x8b" "ene"), Ids{"zip.entry.control-char"});          // U+200B
  EXPECT_EQ(NameIds("x\xef\xbb\xbf"), Ids{"zip.entry.control-char"});                 // U+FEFF
  EXPECT_EQ(NameIds("a\xc2\x85"), Ids{"zip.entry.control-char"});                     // C1 NEL
  EXPECT_EQ(NameIds("a\xff"), Ids{"zip.entry.invalid-utf8"});
  EXPECT_EQ(NameIds("a\xc0\xaf"), Ids{"zip.entry.invalid-utf8"});       // overlong '/'
  EXPECT_EQ(NameIds("a\xed\xa0\x80"), Ids{"zip.entry.invalid-utf8"});   // surrogate
  EXPECT_EQ(NameIds("a\xf4\x90\x80\x80"), Ids{"zip.entry.invalid-utf8"});  // > U+10FFFF
  EXPECT_EQ(NameIds("a\xe6\x97"), Ids{"zip.entry.invalid-utf8"});       // cut short
  EXPECT_EQ(NameIds("caf\xc3\xa9", /*utf8=*/false), Ids{"zip.entry.invalid-utf8"});
  EXPECT_EQ(NameIds("S/CON"), Ids{"zip.entry.reserved-name"});
  EXPECT_EQ(NameIds("S/nul.txt"), Ids{"zip.entry.reserved-name"});
  EXPECT_EQ(NameIds("S/com1 .mrml"), Ids{"zip.entry.reserved-name"});
  EXPECT_EQ(NameIds("S/LPT9"), Ids{"zip.entry.reserved-name"});
  EXPECT_EQ(NameIds("S/a:stream"), Ids{"zip.entry.reserved-name"});
  EXPECT_EQ(NameIds("S/a./b"), Ids{"zip.entry.reserved-name"});
  EXPECT_EQ(NameIds("S/a /b"), Ids{"zip.entry.reserved-name"});
  EXPECT_EQ(NameIds("S/a?b"), Ids{"zip.entry.reserved-name"});
  EXPECT_EQ(NameIds("__MACOSX/x"), Ids{"bundle.mac-metadata"});
  EXPECT_EQ(NameIds("S/._Scene.mrml"), Ids{"bundle.mac-metadata"});
}

TEST(ZipNamesTest, TraversalMessageCountsLevels) {
  Policy p = Policy::Default();
  FindingSink sink(p);
  CheckEntryName("a/../../../x", true, 0, sink);
  ASSERT_EQ(sink.findings().size(), 1u);
  EXPECT_NE(sink.findings()[0].message.find("climbs 2 level"), std::string::npos) << sink.findings()[0].message;
}

TEST(ZipNamesTest, FoldKey) {
  EXPECT_EQ(FoldKey("Scene/ABC.MRML"), "scene/abc.mrml");
  EXPECT_EQ(FoldKey("caf\xc3\xa9"), FoldKey("CAFE\xcc\x81"));
  EXPECT_EQ(FoldKey("\xc3\x85ngstr\xc3\xb6m"), FoldKey("a\xcc\x8aNGSTRO\xcc\x88M"));
  EXPECT_NE(FoldKey("a"), FoldKey("b"));
}

// Each row: two names that one of NTFS, APFS, HFS+ or exFAT opens as the
// same file, so they must share a key.
TEST(ZipNamesTest, FoldKeyMergesWhatCaseInsensitiveFileSystemsMerge) {
  struct Row {
    const char* why;
    const char* a;
    const char* b;
  } rows[] = {
      {"Greek final sigma", "\xcf\x82", "\xcf\x83"},                      // ς σ
      {"Greek capital sigma", "\xce\xa3", "\xcf\x82"},                    // Σ ς
      {"long s", "\xc5\xbf", "s"},                                        // ſ s
      {"Kelvin sign", "\xe2\x84\xaa", "k"},                               // K k
      {"Angstrom sign", "\xe2\x84\xab", "\xc3\xa5"},                      // Å å
      {"dotless i uppercases to I", "\xc4\xb1", "i"},                     // ı i
      {"sharp s", "stra\xc3\x9f" "e", "STRASSE"},                         // ß SS
      {"Cyrillic", "\xd0\x94\xd0\xb0\xd0\xbd", "\xd0\xb4\xd0\xb0\xd0\xbd"},  // Дан дан
      {"micro sign", "\xc2\xb5", "\xce\xbc"},                             // µ μ
      {"Hangul NFC and NFD", "\xea\xb0\x80", "\xe1\x84\x80\xe1\x85\xa1"},  // 가, ᄀ+ᅡ
      {"marks in either order", "a\xcc\xa3\xcc\x81", "a\xcc\x81\xcc\xa3"},  // a + dot below + acute
      {"Greek with tonos", "\xce\x86", "\xce\xb1\xcc\x81"},               // Ά α+acute
      {"full-width letters fold", "\xef\xbc\xa1", "\xef\xbd\x81"},        // Ａ ａ
  };
  for (const Row& row : rows) EXPECT_EQ(FoldKey(row.a), FoldKey(row.b)) << row.why;
  EXPECT_NE(FoldKey("\xef\xbd\x81"), FoldKey("a")) << "compatibility forms are not folded (no NFKD)";
  EXPECT_NE(FoldKey("\xc3\xa9"), FoldKey("e"));
}

TEST(ZipNamesTest, QuoteEscapes) {
  EXPECT_EQ(Quote("a\"b"), "\"a\\\"b\"");
  EXPECT_EQ(Quote(std::string("\x01", 1)).find('\x01'), std::string::npos);
}

}  // namespace
}  // namespace mrmlguard::internal
