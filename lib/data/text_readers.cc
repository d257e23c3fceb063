// SPDX-License-Identifier: BSD-3-Clause
// Text data files: JSON (.mrk.json, .json, .vp.json, .sp), markups CSV
// (.fcsv, .acsv), color tables (.ctbl, .txt, .csv) and ITK transform text
// (.tfm, .txt).
//
// JSON: RFC 8259, read by a small recursive-descent parser bounded by
// max_json_depth and max_json_bytes that keeps only the strings the checks
// need. Markups JSON: Slicer's markups-schema-v1.0.0.json (labelFormat,
// name, measurements[].printFormat). Color tables:
// vtkMRMLColorTableStorageNode ("index name r g b a" lines; CSV with a
// LabelValue column). ITK transforms: itkTxtTransformIO ("#Insight Transform
// File V1.0", "Transform:", "Parameters:", "FixedParameters:").

#include <algorithm>
#include <string>

#include "bytes/checked_math.h"
#include "data/data_internal.h"

namespace mrmlguard::internal::data {
namespace {

// What the JSON walk reports: a string value and the keys above it
// ("[]" for an array level).
struct JsonString {
  std::vector<std::string> path;
  std::string value;
  uint64_t offset;
};

class JsonParser {
 public:
  JsonParser(std::string_view text, uint64_t max_depth) : text_(text), max_depth_(max_depth) {}

  // Parses one document. On failure error() says why and where.
  bool Parse() {
    SkipSpace();
    if (!Value(0)) return false;
    SkipSpace();
    if (pos_ != text_.size()) return Fail("text after the JSON document");
    return true;
  }
  const std::string& error() const { return error_; }
  uint64_t error_offset() const { return error_offset_; }
  bool depth_exceeded() const { return depth_exceeded_; }
  bool ran_out() const { return ran_out_; }
  const std::vector<JsonString>& strings() const { return strings_; }
  // Object starts at path ["markups", "[]"]: one per markup.
  const std::vector<size_t>& markup_starts() const { return markup_starts_; }
  // Elements of every markups[].controlPoints array.
  uint64_t control_points() const { return control_points_; }

 private:
  bool Fail(std::string why) {
    if (error_.empty()) {
      error_ = std::move(why);
      error_offset_ = pos_;
      ran_out_ = pos_ >= text_.size();
    }
    return false;
  }
  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Value(uint64_t depth) {
    if (pos_ >= text_.size()) return Fail("the document ends where a value is expected");
    char c = text_[pos_];
    if (c == '{' || c == '[') {
      if (depth + 1 > max_depth_) {
        depth_exceeded_ = true;
        return Fail("nesting deeper than max_json_depth");
      }
      return c == '{' ? Object(depth + 1) : Array(depth + 1);
    }
    if (c == '"') {
      std::string s;
      uint64_t at = pos_;
      if (!String(&s)) return false;
      if (Wanted()) strings_.push_back({path_, std::move(s), at});
      return true;
    }
    if (c == 't') return Literal("true");
    if (c == 'f') return Literal("false");
    if (c == 'n') return Literal("null");
    return Number();
  }
  // Only the strings the checks read are kept, so memory stays near the
  // input size whatever the document holds.
  bool Wanted() const {
    if (path_.empty()) return false;
    const std::string& key = path_.back();
    if (key.find("Shader") != std::string::npos) return true;
    return path_.front() == "markups" && (key == "name" || key == "labelFormat" || key == "printFormat");
  }
  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return Fail("a literal that is not true, false or null");
    pos_ += word.size();
    return true;
  }
  bool Number() {
    // RFC 8259 section 6: -? int frac? exp?
    size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && (text_[pos_] == 'N' || text_[pos_] == 'I')) return NonFinite();
    auto digits = [&] {
      size_t d = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ - d;
    };
    size_t int_start = pos_;
    size_t n = digits();
    if (n == 0) return Fail("a value that is not JSON");
    if (n > 1 && text_[int_start] == '0') return Fail("a number with a leading zero");
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (digits() == 0) return Fail("a number without digits after '.'");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) return Fail("a number without exponent digits");
    }
    return pos_ > start;
  }
  // Slicer reads every scene JSON file (markups, volume property, shader
  // property) with RapidJSON and RAPIDJSON_PARSE_DEFAULT_FLAGS 256,
  // kParseNanAndInfFlag (Libs/MRML/Core/vtkMRMLJsonElement.cxx; before 5.4
  // Modules/Loadable/Markups/MRML/vtkMRMLMarkupsJsonStorageNode.cxx), and its
  // writer emits NaN for undefined coordinates. RapidJSON's
  // GenericReader::ParseNumber then takes, after an optional '-', exactly
  // "NaN", "Inf" or "Infinity"; "Infi" or "Nan" is still a parse error.
  bool NonFinite() {
    std::string_view rest = text_.substr(pos_);
    if (rest.substr(0, 3) == "NaN") {
      pos_ += 3;
      return true;
    }
    if (rest.substr(0, 3) == "Inf") {
      pos_ += 3;
      if (pos_ < text_.size() && text_[pos_] == 'i') {
        if (text_.substr(pos_, 5) != "inity") return Fail("a number that is neither Inf nor Infinity");
        pos_ += 5;
      }
      return true;
    }
    return Fail("a value that is not JSON");
  }
  static int Hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  bool Hex4(uint32_t* out) {
    if (text_.size() - pos_ < 4) return Fail("a \\u escape cut short");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      int h = Hex(text_[pos_++]);
      if (h < 0) return Fail("a \\u escape with a non-hex digit");
      v = v * 16 + static_cast<uint32_t>(h);
    }
    *out = v;
    return true;
  }
  static void AppendUtf8(std::string* s, uint32_t cp) {
    if (cp < 0x80) {
      *s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      *s += static_cast<char>(0xc0 | (cp >> 6));
      *s += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      *s += static_cast<char>(0xe0 | (cp >> 12));
      *s += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      *s += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      *s += static_cast<char>(0xf0 | (cp >> 18));
      *s += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      *s += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      *s += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }
  bool String(std::string* out) {
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= text_.size()) return Fail("a string that does not end");
      char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return Fail("a control character inside a string");
      if (c != '\\') {
        *out += c;
        continue;
      }
      if (pos_ >= text_.size()) return Fail("a string that does not end");
      char e = text_[pos_++];
      switch (e) {
        case '"': *out += '"'; break;
        case '\\': *out += '\\'; break;
        case '/': *out += '/'; break;
        case 'b': *out += '\b'; break;
        case 'f': *out += '\f'; break;
        case 'n': *out += '\n'; break;
        case 'r': *out += '\r'; break;
        case 't': *out += '\t'; break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xd800 && cp < 0xdc00) {
            uint32_t low = 0;
            if (text_.substr(pos_, 2) != "\\u") return Fail("a lone high surrogate");
            pos_ += 2;
            if (!Hex4(&low)) return false;
            if (low < 0xdc00 || low >= 0xe000) return Fail("a high surrogate without its low half");
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          } else if (cp >= 0xdc00 && cp < 0xe000) {
            return Fail("a lone low surrogate");
          }
          AppendUtf8(out, cp);
          break;
        }
        default:
          return Fail("an unknown escape in a string");
      }
    }
  }
  bool Object(uint64_t depth) {
    if (path_.size() == 2 && path_[0] == "markups" && path_[1] == "[]") markup_starts_.push_back(strings_.size());
    ++pos_;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Fail("an object key that is not a string");
      std::string key;
      if (!String(&key)) return false;
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return Fail("an object key without ':'");
      ++pos_;
      SkipSpace();
      path_.push_back(std::move(key));
      bool ok = Value(depth);
      path_.pop_back();
      if (!ok) return false;
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return true;
      }
      return Fail("an object member not followed by ',' or '}'");
    }
  }
  bool Array(uint64_t depth) {
    ++pos_;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return true;
    }
    const bool control_points = path_.size() == 3 && path_[0] == "markups" && path_[1] == "[]" &&
                                path_[2] == "controlPoints";
    path_.emplace_back("[]");
    while (true) {
      SkipSpace();
      if (control_points) ++control_points_;
      if (!Value(depth)) return false;
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        path_.pop_back();
        return true;
      }
      return Fail("an array element not followed by ',' or ']'");
    }
  }

  std::string_view text_;
  uint64_t max_depth_;
  size_t pos_ = 0;
  std::vector<std::string> path_;
  std::vector<JsonString> strings_;
  std::vector<size_t> markup_starts_;
  std::string error_;
  uint64_t error_offset_ = 0;
  bool depth_exceeded_ = false;
  bool ran_out_ = false;
  uint64_t control_points_ = 0;
};

bool PathIs(const std::vector<std::string>& path, std::initializer_list<std::string_view> want) {
  if (path.size() != want.size()) return false;
  size_t i = 0;
  for (std::string_view w : want) {
    if (path[i++] != w) return false;
  }
  return true;
}

// vtkMRMLMarkupsNode::GenerateControlPointLabel: the label format with %N
// replaced by the node name is passed to snprintf with one int.
constexpr FormatRule kLabelRule{.conversions = "diuoxX", .max_conversions = 1};
// vtkMRMLMeasurement::GetValueWithUnitsAsPrintableString: snprintf(buf, 79,
// printFormat, double value, const char* units).
constexpr FormatRule kPrintRule{.conversions = "eEfFgG", .max_conversions = 2, .second = "s"};

std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  size_t at = 0;
  while ((at = s.find(from, at)) != std::string::npos) {
    s.replace(at, from.size(), to);
    at += to.size();
  }
  return s;
}

void CheckLabelFormat(Ctx& ctx, std::string_view label_format, std::string_view name, std::string_view where,
                      std::optional<uint64_t> offset) {
  std::string effective = ReplaceAll(std::string(label_format), "%N", name);
  std::string problem = FormatProblem(effective, kLabelRule);
  if (!problem.empty()) {
    ctx.Add(Rule::kDataFormatString, offset,
            std::string(where) + " label format " + Quote(label_format) + " with name " + Quote(name) + " " + problem);
  }
}

bool IsShaderStorage(const Ctx& ctx) {
  return ctx.file.storage_tag == "ShaderPropertyStorage" || ExtensionOf(ctx.file.name) == ".sp";
}

}  // namespace

void ReadJson(Ctx& ctx) {
  if (ctx.file.total_size > ctx.limits().max_json_bytes) {
    ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_json_bytes", ctx.limits().max_json_bytes, {},
                          "by a JSON file of " + std::to_string(ctx.file.total_size) + " bytes");
    return;
  }
  ByteReader r(ctx.file.prefix);
  std::string_view text = r.Chars(ctx.file.prefix.size());
  if (StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);
  JsonParser parser(text, std::min(ctx.limits().max_json_depth, kMaxJsonRecursion));
  bool ok = parser.Parse();
  if (!ok) {
    if (parser.depth_exceeded()) {
      ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_json_depth",
                            std::min(ctx.limits().max_json_depth, kMaxJsonRecursion),
                            {.offset = parser.error_offset()}, "in a JSON file");
      return;
    }
    if (parser.ran_out() && !ctx.whole()) {
      ctx.Add(Rule::kDataHeaderIncomplete, parser.error_offset(),
              "JSON file is " + std::to_string(ctx.file.total_size) + " bytes but only " +
                  std::to_string(ctx.file.prefix.size()) + " were given; checks ran on the part read");
    } else {
      ctx.Add(Rule::kDataHeaderMalformed, parser.error_offset(), "JSON does not parse: " + parser.error());
      return;
    }
  }
  const std::vector<JsonString>& strings = parser.strings();
  if (IsShaderStorage(ctx)) {
    // GLSL in a shader property is compiled by the GPU driver (research §5.2).
    std::string keys;
    for (const JsonString& s : strings) {
      if (!s.path.empty() && s.path.back().find("Shader") != std::string::npos && !s.value.empty()) {
        if (keys.find(s.path.back()) == std::string::npos) keys += (keys.empty() ? "" : ", ") + s.path.back();
      }
    }
    ctx.Add(Rule::kDataExecutable, std::nullopt,
            keys.empty() ? std::string("shader property file (GLSL that Slicer compiles)")
                         : "shader property file with shader code (" + keys + ")");
    return;
  }
  // Load (max_scene_load_bytes): vtkMRMLMarkupsJsonStorageNode::
  // UpdateMarkupsNodeFromJsonValue adds one vtkMRMLMarkupsNode::ControlPoint
  // per controlPoints element: 12 doubles (position, orientation), four
  // std::string (ID, Label, Description, AssociatedNodeID: 32 bytes each in
  // libstdc++) and flags, 240 bytes, plus its heap block header (16) and its
  // pointer in ControlPointsListType (8), plus a double point in the curve
  // input vtkPoints (24): 288 bytes a control point.
  AddLoad(ctx, parser.control_points() * 288);  // < 2^64: at most one point per input byte
  // Markups: each markup's labelFormat (default "%N-%d") with its name, and
  // each measurement's printFormat.
  const std::vector<size_t>& starts = parser.markup_starts();
  for (size_t m = 0; m < starts.size(); ++m) {
    size_t begin = starts[m], end = m + 1 < starts.size() ? starts[m + 1] : strings.size();
    std::string_view name, label_format = "%N-%d";
    std::optional<uint64_t> label_offset;
    for (size_t i = begin; i < end; ++i) {
      const JsonString& s = strings[i];
      if (PathIs(s.path, {"markups", "[]", "name"})) name = s.value;
      if (PathIs(s.path, {"markups", "[]", "labelFormat"})) {
        label_format = s.value;
        label_offset = s.offset;
      }
      if (PathIs(s.path, {"markups", "[]", "measurements", "[]", "printFormat"})) {
        std::string problem = FormatProblem(s.value, kPrintRule);
        if (!problem.empty()) {
          ctx.Add(Rule::kDataFormatString, s.offset,
                  "markups measurement printFormat " + Quote(s.value) + " " + problem);
        }
      }
    }
    CheckLabelFormat(ctx, label_format, name, "markups", label_offset);
  }
}

void ReadMarkupsCsv(Ctx& ctx) {
  // .fcsv (fields separated by ',', "# columns = ..." names them) and .acsv
  // (annotation files, fields separated by '|').
  bool acsv = ExtensionOf(ctx.file.name) == ".acsv";
  LineReader lines(ctx.file.prefix);
  uint64_t columns = 0, odd = 0;
  uint32_t first_odd = 0;
  while (std::optional<std::string_view> raw = lines.Next()) {
    std::string_view line = Trim(*raw);
    if (line.empty()) continue;
    if (line.front() == '#') {
      std::string_view body = Trim(line.substr(1));
      size_t eq = body.find('=');
      if (eq == std::string_view::npos) continue;
      std::string key = Lower(Trim(body.substr(0, eq)));
      std::string_view value = Trim(body.substr(eq + 1));
      if (key == "name") {
        // The node name replaces %N in the control point label format (default "%N-%d").
        CheckLabelFormat(ctx, "%N-%d", value, acsv ? "annotation" : "fiducial list", std::nullopt);
      } else if (key == "columns" && !acsv) {
        columns = SplitOn(value, ',', 64).size();
      }
      continue;
    }
    if (!lines.terminated() && !ctx.whole()) break;  // the last line is cut by the prefix
    // Count fields; .fcsv quotes fields that hold commas.
    uint64_t fields = 1;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      if (!quoted && c == (acsv ? '|' : ',')) ++fields;
    }
    bool bad = fields < 4 || (columns != 0 && fields != columns);
    if (bad && ++odd == 1) first_odd = lines.line();
  }
  if (odd > 0) {
    ctx.AddLine(Rule::kDataContentOdd, first_odd,
                std::to_string(odd) + " point line(s) with too few fields or a field count unlike \"# columns\"");
  }
}

namespace {

// Checks one color index against the allocation it drives:
// vtkMRMLColorTableNode::SetNumberOfColors(max index + 1).
bool CheckColorIndex(Ctx& ctx, int64_t index, uint32_t line) {
  if (index < 0) {
    ctx.AddLine(Rule::kDataHeaderRange, line, "color index " + std::to_string(index) + " is negative");
    return false;
  }
  if (static_cast<uint64_t>(index) >= ctx.limits().max_color_table_colors) {
    ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_color_table_colors", ctx.limits().max_color_table_colors,
                          {.line = line}, "by color index " + std::to_string(index) + " (the table holds index + 1 colors)");
    return false;
  }
  return true;
}

bool ColorComponent(std::string_view s) {
  std::optional<int64_t> v = ParseInt(s);
  if (v) return *v >= 0 && *v <= 255;
  std::optional<double> d = ParseDouble(s);
  return d && *d >= 0 && *d <= 255;
}

}  // namespace

void ReadColorTable(Ctx& ctx) {
  LineReader lines(ctx.file.prefix);
  uint64_t odd = 0, colors = 0;
  uint32_t first_odd = 0;
  bool csv = false;
  int label_column = -1, r_column = -1;
  auto odd_line = [&](uint32_t line) {
    if (++odd == 1) first_odd = line;
  };
  while (std::optional<std::string_view> raw = lines.Next()) {
    std::string_view line = Trim(*raw);
    if (line.empty() || line.front() == '#') continue;
    if (!lines.terminated() && !ctx.whole()) break;
    if (lines.line() == 1 || (colors == 0 && !csv && line.find(',') != std::string_view::npos)) {
      // CSV color tables start with a header row naming the columns.
      std::vector<std::string_view> head = SplitOn(line, ',', 64);
      if (head.size() > 1) {
        csv = true;
        for (size_t i = 0; i < head.size(); ++i) {
          if (Trim(head[i]) == "LabelValue") label_column = static_cast<int>(i);
          if (Trim(head[i]) == "Color_R") r_column = static_cast<int>(i);
        }
        continue;
      }
    }
    if (csv) {
      std::vector<std::string_view> f = SplitOn(line, ',', 64);
      bool good = true;
      if (label_column >= 0) {
        std::optional<int64_t> index =
            static_cast<size_t>(label_column) < f.size() ? ParseInt(Trim(f[static_cast<size_t>(label_column)])) : std::nullopt;
        if (!index) {
          good = false;
        } else if (!CheckColorIndex(ctx, *index, lines.line())) {
          return;
        }
      }
      if (r_column >= 0) {
        for (size_t c = static_cast<size_t>(r_column); c < static_cast<size_t>(r_column) + 3; ++c) {
          good = good && c < f.size() && ColorComponent(Trim(f[c]));
        }
      }
      if (!good) odd_line(lines.line());
      if (++colors > ctx.limits().max_color_table_colors) break;
      continue;
    }
    // "index name r g b [a]" (vtkMRMLColorTableStorageNode::ReadDataInternal).
    std::vector<std::string_view> w = SplitWords(line, 8);
    std::optional<int64_t> index = w.empty() ? std::nullopt : ParseInt(w[0]);
    if (w.size() < 5 || !index) {
      odd_line(lines.line());
      continue;
    }
    if (!CheckColorIndex(ctx, *index, lines.line())) return;
    bool good = ColorComponent(w[2]) && ColorComponent(w[3]) && ColorComponent(w[4]) &&
                (w.size() < 6 || ColorComponent(w[5]));
    if (!good) odd_line(lines.line());
    if (++colors > ctx.limits().max_color_table_colors) break;
  }
  if (colors > ctx.limits().max_color_table_colors) {
    ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_color_table_colors", ctx.limits().max_color_table_colors,
                          {}, "by the number of color lines");
    return;
  }
  if (odd > 0) {
    ctx.AddLine(Rule::kDataContentOdd, first_odd,
                std::to_string(odd) + " color line(s) that are not \"index name r g b a\" with components 0..255");
  }
}

void ReadItkTransform(Ctx& ctx) {
  LineReader lines(ctx.file.prefix);
  (void)lines.Next();  // "#Insight Transform File V1.0"
  uint64_t transforms = 0;
  while (std::optional<std::string_view> raw = lines.Next()) {
    std::string_view line = Trim(*raw);
    if (line.empty() || line.front() == '#') continue;
    if (!lines.terminated() && !ctx.whole()) break;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(), "ITK transform line " + Quote(line) + " is not \"Key: value\"");
      return;
    }
    std::string_view key = Trim(line.substr(0, colon));
    std::string_view value = Trim(line.substr(colon + 1));
    if (key == "Transform") {
      ++transforms;
      // The ITK transform factory instantiates the class by this name.
      for (char c : value) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
          ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(), "ITK transform name " + Quote(value) + " is not an identifier");
          return;
        }
      }
    } else if (key == "Parameters" || key == "FixedParameters") {
      size_t count = 0;
      for (std::string_view w : SplitWords(value, SIZE_MAX)) {
        ++count;
        if (!ParseDouble(w)) {
          ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(),
                      "ITK transform " + std::string(key) + " value " + Quote(w) + " is not a finite number");
          return;
        }
      }
      (void)count;
    } else {
      ctx.AddLine(Rule::kDataContentOdd, lines.line(), "ITK transform key " + Quote(key) + " is not known");
    }
  }
  if (transforms == 0 && ctx.whole()) {
    ctx.Add(Rule::kDataHeaderMalformed, std::nullopt, "ITK transform file names no transform");
  }
}

}  // namespace mrmlguard::internal::data
