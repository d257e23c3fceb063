// SPDX-License-Identifier: BSD-3-Clause
// xml_bench: runs ParseXml over one file with a handler that does nothing,
// the way the CLI reads a plain scene (a pread-backed FileSource), and prints
// the wall time. Not a test; tools/bench_scene.sh drives it.
//
//   xml_bench FILE [--no-cross-check] [--chunk BYTES] [--repeat N]

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "bytes/input_source.h"
#include "findings/finding_sink.h"
#include "mrmlguard/policy.h"
#include "xml/xml_parser.h"

namespace {

// CPU seconds used so far by the calling thread (who == RUSAGE_THREAD) or
// the whole process (RUSAGE_SELF).
double CpuSeconds(int who) {
  struct rusage usage;
  getrusage(who, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

using mrmlguard::internal::XmlAttribute;
using mrmlguard::internal::XmlPosition;

class NullHandler final : public mrmlguard::internal::XmlHandler {
 public:
  void StartElement(std::string_view, std::span<const XmlAttribute> attributes, const XmlPosition&) override {
    ++elements;
    attributes_seen += attributes.size();
  }
  void EndElement(std::string_view, const XmlPosition&) override {}
  void EndDocument(bool) override {}
  uint64_t elements = 0;
  uint64_t attributes_seen = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [--no-cross-check] [--chunk BYTES] [--repeat N]\n", argv[0]);
    return 2;
  }
  mrmlguard::internal::XmlOptions options;
  int repeat = 1;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--no-cross-check") == 0) {
      options.cross_check = false;
    } else if (std::strcmp(argv[i], "--chunk") == 0 && i + 1 < argc) {
      options.chunk_size = std::strtoull(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
      repeat = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    std::perror(argv[1]);
    return 2;
  }
  mrmlguard::Policy policy = mrmlguard::Policy::Default();
  double best = 1e30;
  double best_main_cpu = 0;
  double best_total_cpu = 0;
  bool ok = false;
  NullHandler handler;
  size_t findings = 0;
  for (int r = 0; r < repeat; ++r) {
    mrmlguard::internal::FileSource source(fd, static_cast<uint64_t>(st.st_size));
    mrmlguard::internal::FindingSink sink(policy);
    handler = NullHandler();
    double main0 = CpuSeconds(RUSAGE_THREAD);
    double total0 = CpuSeconds(RUSAGE_SELF);
    auto start = std::chrono::steady_clock::now();
    ok = mrmlguard::internal::ParseXml(source, handler, sink, options);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (seconds < best) {
      best = seconds;
      // The reading thread (scanner, Expat, comparison) and the whole process
      // (plus the libxml2 worker): on two idle cores the wall time is about
      // the larger of the reading thread and the worker.
      best_main_cpu = CpuSeconds(RUSAGE_THREAD) - main0;
      best_total_cpu = CpuSeconds(RUSAGE_SELF) - total0;
    }
    findings = sink.findings().size();
    for (const auto& f : sink.findings()) std::fprintf(stderr, "%s %s\n", std::string(f.rule_id).c_str(), f.message.c_str());
  }
  close(fd);
  std::printf(
      "ok=%d elements=%llu attributes=%llu findings=%zu bytes=%lld best_seconds=%.3f reading_thread_cpu=%.3f "
      "worker_cpu=%.3f cross_check=%d\n",
      ok ? 1 : 0, static_cast<unsigned long long>(handler.elements),
      static_cast<unsigned long long>(handler.attributes_seen), findings, static_cast<long long>(st.st_size), best,
      best_main_cpu, best_total_cpu - best_main_cpu, options.cross_check ? 1 : 0);
  return ok ? 0 : 1;
}
