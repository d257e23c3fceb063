// SPDX-License-Identifier: BSD-3-Clause
// RepackBundle (bundle_repack.h): which entries go, the main scene rewritten
// by the scene splicer, everything re-packed by the canonical ZIP writer from
// the bytes StreamEntry validates (never the compressed bytes as they were).

#include "sanitize/bundle_repack.h"

#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <utility>

#include "bytes/input_source.h"
#include "findings/finding_sink.h"
#include "sanitize/scene_plan.h"
#include "sanitize/xml_splice.h"
#include "zip/canonical_writer.h"
#include "zip/zip_archive.h"

namespace mrmlguard::internal::sanitize {
namespace {

constexpr size_t kShownBytes = 200;

// bundle.mac-metadata's own test (zip_names.cc): a first component
// "__MACOSX", or any component starting with "._".
bool IsMacMetadata(std::string_view name) {
  size_t start = 0;
  for (size_t i = 0;; ++i) {
    if (i == name.size() || name[i] == '/') {
      const std::string_view comp = name.substr(start, i - start);
      if ((start == 0 && comp == "__MACOSX") || comp.substr(0, 2) == "._") return true;
      if (i == name.size()) return false;
      start = i + 1;
    }
  }
}

class StringSink final : public EntrySink {
 public:
  explicit StringSink(std::string* out, uint64_t max) : out_(out), max_(max) {}
  void Data(std::span<const uint8_t> chunk) override {
    if (out_->size() + chunk.size() > max_) {
      over_ = true;
      return;
    }
    out_->append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
  }
  bool over() const { return over_; }

 private:
  std::string* out_;
  uint64_t max_;
  bool over_ = false;
};

SanitizeAction ActionOf(std::string_view rule_id) {
  const RuleInfo* rule = FindRule(rule_id);
  return rule == nullptr ? SanitizeAction::kRefuse : rule->sanitize_action;
}

// The scene rules speak of the main scene; a few bundle rules about its
// storage paths carry no entry name.
bool AboutMainScene(const Finding& f, std::string_view main_scene) {
  if (f.location.entry == main_scene) return true;
  return f.location.entry.empty() && (f.rule_id.starts_with("mrml.") || f.rule_id == "bundle.storage-outside");
}

}  // namespace

BundleRepack RepackBundle(std::string_view bundle, const Report& report, const Policy& policy) {
  BundleRepack out;
  auto refuse = [&](std::string why) {
    out.refusal = std::move(why);
    out.bytes.clear();
    out.changes.clear();
    return out;
  };
  const std::string& main_scene = report.main_scene;
  if (main_scene.empty() || main_scene.find('!') != std::string::npos) {
    for (const Finding& f : report.findings) {
      if (f.severity == Severity::kError) out.blocking.push_back(f);
    }
    return refuse("the bundle has no main scene to rewrite");
  }

  MemorySource source(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bundle.data()), bundle.size()));
  FindingSink sink(policy);
  InflateBudget budget;
  const ZipDirectory dir = AuditZip(source, sink, {}, &budget);
  if (!dir.structure_ok) {
    for (const Finding& f : report.findings) {
      if (f.severity == Severity::kError) out.blocking.push_back(f);
    }
    return refuse("the ZIP structure is not sound");
  }
  std::set<std::string> names;
  for (const ZipEntry& e : dir.entries) names.insert(e.name);

  // Which entries go: AppleDouble/__MACOSX entries when bundle.mac-metadata
  // is an error, and each entry a drop-entry finding names.
  std::set<std::string> dropped;
  auto drop = [&](const Finding& f, const std::string& entry) {
    if (!dropped.insert(entry).second) return;
    SanitizeChange c;
    c.rule_id = f.rule_id;
    c.action = SanitizeAction::kDropEntry;
    c.location.entry = entry;
    c.before = entry.substr(0, kShownBytes);
    out.changes.push_back(std::move(c));
  };
  for (const Finding& f : report.findings) {
    if (f.severity != Severity::kError || ActionOf(f.rule_id) != SanitizeAction::kDropEntry) continue;
    if (f.rule_id == "bundle.mac-metadata") {
      for (const ZipEntry& e : dir.entries) {
        if (IsMacMetadata(e.name)) drop(f, e.name);
      }
    } else if (names.count(f.location.entry) != 0 && f.location.entry != main_scene) {
      drop(f, f.location.entry);
    } else {
      out.blocking.push_back(f);  // names no entry, or the main scene itself
    }
  }
  // Every other error must be the main scene's, with a rewrite; findings
  // inside a dropped entry go with it.
  std::vector<Finding> scene_findings;
  for (const Finding& f : report.findings) {
    if (f.severity != Severity::kError) continue;
    const SanitizeAction action = ActionOf(f.rule_id);
    if (action == SanitizeAction::kDropEntry || action == SanitizeAction::kNone) continue;
    const std::string entry = f.location.entry.substr(0, f.location.entry.find('!'));
    if (dropped.count(entry) != 0) continue;
    if (AboutMainScene(f, main_scene)) {
      Finding g = f;
      g.location.entry = main_scene;
      scene_findings.push_back(std::move(g));
    } else {
      out.blocking.push_back(f);
    }
  }
  if (!out.blocking.empty()) return refuse("no safe rewrite for " + std::to_string(out.blocking.size()) + " finding(s)");

  // One top folder for every kept entry (Slicer's layout).
  std::string top;
  for (const ZipEntry& e : dir.entries) {
    if (dropped.count(e.name) != 0) continue;
    const size_t slash = e.name.find('/');
    if (slash == std::string::npos || slash == 0) return refuse("entry at the bundle root: no one top folder");
    const std::string first = e.name.substr(0, slash);
    if (top.empty()) top = first;
    if (first != top) return refuse("two top folders: \"" + top + "\" and \"" + first.substr(0, kShownBytes) + "\"");
  }

  // The main scene, rewritten.
  std::string scene;
  std::string rewritten;
  for (const ZipEntry& e : dir.entries) {
    if (e.name != main_scene) continue;
    StringSink into(&scene, policy.limits.max_scene_bytes);
    if (!StreamEntry(source, e, &budget, sink, &into) || into.over()) return refuse("the main scene does not stream");
  }
  if (scene_findings.empty()) {
    rewritten = scene;
  } else {
    ScenePlan plan = PlanScene(scene, scene_findings, main_scene);
    if (!plan.refusal.empty()) return refuse(plan.refusal);
    if (!plan.blocking.empty()) {
      out.blocking = std::move(plan.blocking);
      return refuse("no safe rewrite for " + std::to_string(out.blocking.size()) + " finding(s)");
    }
    if (!ApplySplices(scene, plan.splices, &rewritten)) return refuse("two changes overlap");
    for (SanitizeChange& c : plan.changes) out.changes.push_back(std::move(c));
  }

  std::string zip;
  StringZipOutput zip_out(&zip);
  CanonicalZipWriter writer(zip_out, policy.limits, top);
  if (!writer.ok()) return refuse("the top folder is refused: " + writer.error());
  for (const ZipEntry& e : dir.entries) {
    if (dropped.count(e.name) != 0) continue;
    const std::string_view rel = std::string_view(e.name).substr(top.size() + 1);
    bool ok = true;
    if (e.is_directory) {
      ok = writer.AddDirectory(rel);
    } else if (e.name == main_scene) {
      ok = writer.AddFile(rel, rewritten);
    } else {
      ok = CopyAuditedEntry(writer, rel, source, e, sink, &budget);
    }
    if (!ok) return refuse("entry \"" + e.name.substr(0, kShownBytes) + "\" cannot be re-packed: " + writer.error());
  }
  if (!writer.Finish()) return refuse("the re-packed bundle fails its own audit: " + writer.error());
  out.bytes = std::move(zip);
  return out;
}

}  // namespace mrmlguard::internal::sanitize
