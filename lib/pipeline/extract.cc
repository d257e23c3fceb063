// SPDX-License-Identifier: BSD-3-Clause
// Extract(): validate a bundle and write exactly the bytes that were checked.
// The entries stream once (pass 2 of the ZIP layer) into the safe tree writer
// while they are verified; the tree is kept only when the whole bundle is
// accepted, and removed otherwise.

#include "mrmlguard/extract.h"

#include <memory>
#include <string>

#include "pipeline/pipeline.h"
#include "zip/safe_writer.h"

namespace mrmlguard {
namespace internal {
namespace {

class TreeWriter final : public BundleWriter {
 public:
  explicit TreeWriter(SafeTreeWriter* tree) : tree_(tree) {}
  bool BeginEntry(const ZipEntry& entry) override {
    directory_ = entry.is_directory;
    return directory_ ? tree_->AddDirectory(entry.name, &error_) : tree_->BeginFile(entry.name, &error_);
  }
  bool Data(std::span<const uint8_t> chunk) override {
    if (directory_) return chunk.empty();
    return tree_->Write(chunk, &error_);
  }
  bool EndEntry() override { return directory_ || tree_->EndFile(&error_); }
  const std::string& error() const override { return error_; }

 private:
  SafeTreeWriter* tree_;
  std::string error_;
  bool directory_ = false;
};

}  // namespace
}  // namespace internal

ExtractResult Extract(const std::string& bundle_path, const std::string& destination, const Policy& policy) {
  ExtractResult result;
  result.report.path = bundle_path;
  try {
    std::string error;
    std::unique_ptr<internal::SafeTreeWriter> tree = internal::SafeTreeWriter::Open(destination, &error);
    if (!tree) {
      result.report.status = Status(StatusCode::kIoError, "cannot extract into destination: " + error);
      return result;
    }
    internal::TreeWriter writer(tree.get());
    result.report = internal::ValidatePath(bundle_path, policy, &writer, /*require_bundle=*/true);
    if (result.report.accepted() && tree->Commit(&error)) {
      result.main_scene_path = destination + "/" + result.report.main_scene;
    } else {
      // Rejected, unreadable, or the commit failed: leave nothing behind.
      tree->Abort();
      if (result.report.status.ok() && result.report.accepted()) {
        result.report.status = Status(StatusCode::kIoError, "cannot finish extraction: " + error);
        result.report.verdict = Verdict::kRejected;
      }
    }
  } catch (...) {
    result.report.status = Status(StatusCode::kInternal, "unexpected exception during extraction");
    result.report.verdict = Verdict::kRejected;
    result.main_scene_path.clear();
  }
  return result;
}

}  // namespace mrmlguard
