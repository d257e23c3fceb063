// zip_bench FILE [--no-libzip] [--crc=zlib]: runs AuditZip + StreamEntry over
// FILE the way the pipeline does (FileSource, pread, bounded memory) and
// prints entries, bytes and seconds. tools/bench_zip.sh drives it.
// Exit status: 0 accepted, 1 findings with errors, 2 usage or I/O error.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "bytes/input_source.h"
#include "findings/finding_sink.h"
#include "mrmlguard/policy.h"
#include "zip/zip_archive.h"

int main(int argc, char** argv) {
  using namespace mrmlguard;
  using namespace mrmlguard::internal;
  if (argc < 2) {
    std::fprintf(stderr, "usage: zip_bench FILE [--no-libzip]\n");
    return 2;
  }
  bool libzip = !(argc > 2 && std::strcmp(argv[2], "--no-libzip") == 0);
  int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || fstat(fd, &st) != 0) {
    std::perror(argv[1]);
    return 2;
  }
  auto t0 = std::chrono::steady_clock::now();
  FileSource src(fd, static_cast<uint64_t>(st.st_size));
  Policy policy = Policy::Default();
  FindingSink sink(policy);
  ZipDirectory dir = AuditZip(src, sink, AuditOptions{.libzip_second_opinion = libzip});
  auto t1 = std::chrono::steady_clock::now();
  InflateBudget budget;
  if (dir.structure_ok) {
    for (const ZipEntry& e : dir.entries) StreamEntry(src, e, &budget, sink, nullptr);
  }
  auto t2 = std::chrono::steady_clock::now();
  for (const Finding& f : sink.findings()) std::printf("%s: %s\n", std::string(f.rule_id).c_str(), f.message.c_str());
  std::printf("entries %zu, inflated %llu bytes, audit %.3f s, stream %.3f s\n", dir.entries.size(),
              static_cast<unsigned long long>(budget.total_inflated),
              std::chrono::duration<double>(t1 - t0).count(), std::chrono::duration<double>(t2 - t1).count());
  close(fd);
  if (!src.io_error().empty()) return 2;
  return sink.has_errors() ? 1 : 0;
}
