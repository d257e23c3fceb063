// SPDX-License-Identifier: BSD-3-Clause
#include "mrml/values.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace mrmlguard::internal::mrml {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

using text::EqualsIgnoreCase;

// vtksys::SystemTools::ReplaceString: all non-overlapping occurrences, left to
// right, replaced text not rescanned.
void ReplaceAll(std::string* s, std::string_view from, std::string_view to) {
  std::string out;
  size_t pos = 0;
  bool changed = false;
  while (true) {
    size_t hit = s->find(from, pos);
    if (hit == std::string::npos) break;
    out.append(*s, pos, hit - pos);
    out.append(to);
    pos = hit + from.size();
    changed = true;
  }
  if (!changed) return;
  out.append(*s, pos, std::string::npos);
  *s = std::move(out);
}

}  // namespace

NumberStatus ParseStrictInt(std::string_view text, int64_t* value) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  size_t digits = text.size() - i;
  if (digits == 0 || digits > 18) return NumberStatus::kSyntax;
  int64_t v = 0;
  for (; i < text.size(); ++i) {
    if (!IsDigit(text[i])) return NumberStatus::kSyntax;
    v = v * 10 + (text[i] - '0');  // at most 18 digits: no overflow
  }
  *value = negative ? -v : v;
  return NumberStatus::kOk;
}

NumberStatus ParseStrictReal(std::string_view text, double* value) {
  std::string_view body = text;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.remove_prefix(1);
  if (EqualsIgnoreCase(body, "nan") || EqualsIgnoreCase(body, "inf") || EqualsIgnoreCase(body, "infinity") ||
      (body.size() > 3 && EqualsIgnoreCase(body.substr(0, 4), "nan("))) {
    return NumberStatus::kNonFinite;
  }
  size_t i = 0;
  size_t int_digits = 0, frac_digits = 0;
  while (i < body.size() && IsDigit(body[i])) ++i, ++int_digits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && IsDigit(body[i])) ++i, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return NumberStatus::kSyntax;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '+' || body[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < body.size() && IsDigit(body[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return NumberStatus::kSyntax;
  }
  if (i != body.size()) return NumberStatus::kSyntax;
  // from_chars does not take a leading '+'.
  std::string_view parse = (!text.empty() && text[0] == '+') ? text.substr(1) : text;
  double v = 0;
  auto [ptr, ec] = std::from_chars(parse.data(), parse.data() + parse.size(), v);
  if (ec == std::errc::result_out_of_range) {
    // Overflow is infinity to Slicer; underflow rounds to zero and is harmless.
    // Overflow iff the decimal magnitude is positive: integer digits after
    // leading zeros (or minus the fraction's leading zeros) plus the exponent.
    int64_t magnitude = 0;
    size_t k = 0;
    while (k < body.size() && body[k] == '0') ++k;
    size_t int_sig = 0;
    while (k < body.size() && IsDigit(body[k])) ++k, ++int_sig;
    if (int_sig > 0) {
      magnitude = static_cast<int64_t>(int_sig);
    } else if (k < body.size() && body[k] == '.') {
      ++k;
      int64_t zeros = 0;
      while (k < body.size() && body[k] == '0') ++k, ++zeros;
      magnitude = -zeros;
    }
    size_t e = body.find_first_of("eE");
    if (e != std::string_view::npos) {
      std::string_view exp_text = body.substr(e + 1);
      bool negative_exp = !exp_text.empty() && exp_text[0] == '-';
      if (!exp_text.empty() && (exp_text[0] == '+' || exp_text[0] == '-')) exp_text.remove_prefix(1);
      while (exp_text.size() > 1 && exp_text[0] == '0') exp_text.remove_prefix(1);
      int64_t exponent = 0;
      if (exp_text.size() > 9) {
        exponent = 1'000'000'000;
      } else {
        for (char c : exp_text) exponent = exponent * 10 + (c - '0');
      }
      magnitude += negative_exp ? -exponent : exponent;
    }
    if (magnitude > 0) return NumberStatus::kNonFinite;
    *value = 0;
    return NumberStatus::kOk;
  }
  if (ec != std::errc() || ptr != parse.data() + parse.size()) return NumberStatus::kSyntax;
  if (!std::isfinite(v)) return NumberStatus::kNonFinite;
  *value = v;
  return NumberStatus::kOk;
}

std::string SlicerUrlDecode(std::string_view text) {
  std::string s(text);
  // vtkMRMLNode::URLDecodeString, in Slicer's order.
  ReplaceAll(&s, "%22", "\"");
  ReplaceAll(&s, "%3C", "<");
  ReplaceAll(&s, "%3E", ">");
  ReplaceAll(&s, "%27", "'");
  ReplaceAll(&s, "%20", " ");
  ReplaceAll(&s, "%25", "%");
  return s;
}

std::string SlicerAttributeValueDecode(std::string_view text) {
  std::string s(text);
  // vtkMRMLNode::ReadXMLAttributes, "attributes": %3B then %25.
  ReplaceAll(&s, "%3B", ";");
  ReplaceAll(&s, "%25", "%");
  return s;
}

std::string ParseReferences(std::string_view text, std::vector<ReferenceRole>* roles, size_t max_ids, bool* too_many) {
  size_t total_ids = 0;
  // vtkMRMLNode::ParseReferencesAttribute walks segments up to each ';' and
  // stops at: no ':' left, an empty segment (";;"), an empty role (":id").
  // A ':' after the next ';' makes the role swallow the ';'. A role seen twice
  // is ignored the second time. We accept only text Slicer reads to the end
  // and reads the way it looks.
  size_t start = 0;
  const size_t n = text.size();
  while (start < n) {
    size_t end = text.find(';', start);
    size_t seg_end = end == std::string_view::npos ? n : end;
    std::string_view segment = text.substr(start, seg_end - start);
    if (segment.empty()) {
      return "empty segment at offset " + std::to_string(start) + " (Slicer stops reading references there)";
    }
    size_t colon = segment.find(':');
    if (colon == std::string_view::npos) {
      return "segment without ':' at offset " + std::to_string(start) + " (Slicer stops reading references there)";
    }
    if (colon == 0) {
      return "empty role at offset " + std::to_string(start) + " (Slicer stops reading references there)";
    }
    ReferenceRole role{segment.substr(0, colon), {}};
    for (const ReferenceRole& seen : *roles) {
      if (seen.role == role.role) {
        return "role appears twice (Slicer ignores the second one)";
      }
    }
    std::string_view ids = segment.substr(colon + 1);
    std::string problem;
    ForEachToken(ids, false, [&](std::string_view token) {
      size_t brace = token.find('{');
      if (brace == std::string_view::npos) {
        if (token.find('}') != std::string_view::npos) {
          problem = "'}' outside a property block";
          return false;
        }
        if (++total_ids > max_ids) {
          if (too_many != nullptr) *too_many = true;
          return false;
        }
        role.ids.push_back(token);
        return true;
      }
      // A property block must stand alone after whitespace, follow an id, and
      // close in the same token (spaces inside are written as %20).
      if (brace != 0 || role.ids.empty() || token.back() != '}' || token.size() < 2 ||
          token.find('{', 1) != std::string_view::npos ||
          token.substr(0, token.size() - 1).find('}') != std::string_view::npos) {
        problem = "malformed property block";
        return false;
      }
      std::string_view props = token.substr(1, token.size() - 2);
      size_t p = 0;
      while (p <= props.size()) {
        size_t comma = props.find(',', p);
        std::string_view pair = props.substr(p, comma == std::string_view::npos ? std::string_view::npos : comma - p);
        size_t eq = pair.find('=');
        if (eq == std::string_view::npos || eq == 0) {
          problem = "property without key=value";
          return false;
        }
        if (comma == std::string_view::npos) break;
        p = comma + 1;
      }
      return true;
    });
    if (!problem.empty()) return problem + " in role \"" + std::string(role.role.substr(0, 64)) + "\"";
    roles->push_back(std::move(role));
    if (total_ids > max_ids) return {};
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return {};
}

std::string CheckMarkupsLabelFormat(std::string_view format) {
  // vtkMRMLMarkupsNode::GenerateControlPointLabel: ReplaceString(%N -> name,
  // %S -> short name), then snprintf(buf, 127, format, index) with one int.
  int int_conversions = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 >= format.size()) return "ends with a lone '%'";
    char c = format[i + 1];
    if (c == '%') {
      // "%%N" would become "%" + name after the textual %N replacement.
      if (i + 2 < format.size() && (format[i + 2] == 'N' || format[i + 2] == 'S')) {
        return "\"%%" + std::string(1, format[i + 2]) + "\" turns into a conversion after %N/%S replacement";
      }
      ++i;
      continue;
    }
    if (c == 'N' || c == 'S') {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < format.size() &&
           (format[j] == '-' || format[j] == '+' || format[j] == ' ' || format[j] == '0' || format[j] == '#')) {
      ++j;
    }
    size_t width = 0;
    while (j < format.size() && IsDigit(format[j])) ++j, ++width;
    if (width > 3) return "conversion width over 3 digits";
    if (j >= format.size() || format[j] != 'd') {
      return "conversion \"" + std::string(format.substr(i, j - i + (j < format.size() ? 1 : 0))) +
             "\" is not %d, %N, %S or %%";
    }
    if (++int_conversions > 1) return "more than one %d (Slicer passes one integer)";
    i = j;
  }
  return {};
}

std::string CheckSingleConversionFormat(std::string_view format) {
  if (format.find('$') != std::string_view::npos) return "positional '$' argument";
  int conversions = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 < format.size() && format[i + 1] == '%') {
      ++i;
      continue;
    }
    size_t j = i + 1;
    if (j < format.size() &&
        (format[j] == '-' || format[j] == '+' || format[j] == ' ' || format[j] == '0' || format[j] == '#')) {
      ++j;
    }
    size_t width = 0;
    while (j < format.size() && IsDigit(format[j])) ++j, ++width;
    size_t precision = 0;
    bool dot = false;
    if (j < format.size() && format[j] == '.') {
      dot = true;
      ++j;
      while (j < format.size() && IsDigit(format[j])) ++j, ++precision;
    }
    static constexpr std::string_view kConversions = "fFgGeEs";
    if (width > 3 || (dot && (precision < 1 || precision > 2)) || j >= format.size() ||
        kConversions.find(format[j]) == std::string_view::npos) {
      return "conversion \"" + std::string(format.substr(i, j - i + (j < format.size() ? 1 : 0))) +
             "\" is not one of %[-+ 0#][width][.precision](f|g|e|s)";
    }
    ++conversions;
    i = j;
  }
  if (conversions != 1) return std::to_string(conversions) + " conversions (exactly one expected)";
  return {};
}

CountedList ParseCountedList(std::string_view text, uint64_t max_values) {
  CountedList out;
  bool first = true;
  bool stopped = false;
  ForEachToken(text, false, [&](std::string_view token) {
    if (first) {
      first = false;
      int64_t n = 0;
      if (token.size() > 1 && token[0] == '-' && ParseStrictInt(token, &n) == NumberStatus::kOk) {
        out.status = CountedList::kNegative;
      } else if (ParseStrictInt(token, &n) != NumberStatus::kOk) {
        // 19 digits and more do not parse: over any limit, or not a number.
        bool digits = !token.empty();
        for (char c : token) digits = digits && c >= '0' && c <= '9';
        out.status = digits ? CountedList::kTooMany : CountedList::kBadCount;
      } else if (n < 0) {
        out.status = CountedList::kNegative;
      } else if (static_cast<uint64_t>(n) > max_values) {
        out.status = CountedList::kTooMany;
      } else {
        out.count = static_cast<uint64_t>(n);
        return true;
      }
      stopped = true;
      return false;
    }
    ++out.found;
    double v = 0;
    if (ParseStrictReal(token, &v) != NumberStatus::kOk) {
      out.status = CountedList::kBadValue;
      out.bad_index = out.found;
      stopped = true;
      return false;
    }
    // More values than declared: stop counting once past the count (bounded work).
    return out.found <= out.count;
  });
  if (!stopped && out.found != out.count) out.status = CountedList::kMismatch;
  return out;
}

bool ScriptedTypeImports(std::string_view param, std::string_view value) {
  if (param.ends_with(".type")) return value.find('.') != std::string_view::npos;
  if (!param.ends_with(".type.0") || value.empty()) return false;
  for (std::string_view safe : {"builtins", "typing", "pathlib", "slicer"}) {
    if (value == safe) return false;
  }
  // A compiled VTK wrapping module (vtkSlicerMRMLCorePython ...): no dots, letters and digits.
  if (value.starts_with("vtk")) {
    bool plain = true;
    for (char c : value) {
      plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
    }
    if (plain) return false;
  }
  return true;
}

std::string FormatReal(double value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return ec == std::errc() ? std::string(buffer, end) : std::string("?");
}

}  // namespace mrmlguard::internal::mrml
