// SPDX-License-Identifier: BSD-3-Clause
// zip_bench FILE [--no-libzip]: runs AuditZip + StreamEntry over FILE the way
// the pipeline does (FileSource, pread, bounded memory) and prints entries,
// bytes and seconds. tools/bench_zip.sh drives it. Every byte is inflated, as
// for the extractor; with --measure no sink is given, so deflated entries are
// measured without being inflated (as for an entry no scene references).
// zip_bench FILE --codecs: for every entry, times CRC-32 (zlib vs libdeflate)
// and inflate (zlib streaming vs libdeflate whole-buffer) on the entry held in
// memory, to choose the implementation (docs/bench/zip.md).
// Exit status: 0 accepted, 1 findings with errors, 2 usage or I/O error.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <span>
#include <string>

#include "bytes/input_source.h"
#include "findings/finding_sink.h"
#include "mrmlguard/policy.h"
#include "zip/zip_archive.h"
#include "zip/zip_crc.h"

#define ZLIB_CONST
#include <zlib.h>
#if defined(MRMLGUARD_BENCH_LIBDEFLATE)
#include <libdeflate.h>
#endif

#include <vector>

namespace {

double Seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Codec comparison over the archive's entries (memory not bounded: bench only).
int CompareCodecs(mrmlguard::internal::InputSource& src, const mrmlguard::internal::ZipDirectory& dir) {
  using namespace mrmlguard::internal;
  double crc_zlib = 0, crc_ld = 0, inf_zlib = 0, inf_ld = 0;
  uint64_t raw = 0, inflated = 0;
  std::vector<uint8_t> scratch, out(256 * 1024);
  for (const ZipEntry& e : dir.entries) {
    std::span<const uint8_t> data = src.View(e.data_offset, static_cast<size_t>(e.compressed_size), &scratch);
    std::vector<uint8_t> plain;
    if (e.method == 8) {
      auto t0 = std::chrono::steady_clock::now();
      z_stream zs{};
      inflateInit2(&zs, -MAX_WBITS);
      zs.next_in = data.data();
      zs.avail_in = static_cast<uInt>(data.size());
      int rc = Z_OK;
      while (rc == Z_OK) {
        zs.next_out = out.data();
        zs.avail_out = static_cast<uInt>(out.size());
        rc = inflate(&zs, Z_NO_FLUSH);
      }
      inflateEnd(&zs);
      auto t1 = std::chrono::steady_clock::now();
      inf_zlib += Seconds(t0, t1);
#if defined(MRMLGUARD_BENCH_LIBDEFLATE)
      plain.resize(static_cast<size_t>(e.declared_size));
      libdeflate_decompressor* d = libdeflate_alloc_decompressor();
      size_t got = 0;
      t0 = std::chrono::steady_clock::now();
      libdeflate_deflate_decompress(d, data.data(), data.size(), plain.data(), plain.size(), &got);
      t1 = std::chrono::steady_clock::now();
      libdeflate_free_decompressor(d);
      inf_ld += Seconds(t0, t1);
#endif
      inflated += e.declared_size;
    } else {
      plain.assign(data.begin(), data.end());
    }
    auto t0 = std::chrono::steady_clock::now();
    uint32_t a = 0;
    for (size_t o = 0; o < plain.size(); o += 256 * 1024) {
      a = Crc32UpdateZlib(a, std::span<const uint8_t>(plain).subspan(o, std::min<size_t>(256 * 1024, plain.size() - o)));
    }
    auto t1 = std::chrono::steady_clock::now();
    uint32_t b = 0;
    for (size_t o = 0; o < plain.size(); o += 256 * 1024) {
      b = Crc32Update(b, std::span<const uint8_t>(plain).subspan(o, std::min<size_t>(256 * 1024, plain.size() - o)));
    }
    auto t2 = std::chrono::steady_clock::now();
    if (a != b) std::printf("CRC implementations disagree on %s\n", e.name.c_str());
    crc_zlib += Seconds(t0, t1);
    crc_ld += Seconds(t1, t2);
    raw += plain.size();
  }
  const double mib = 1024.0 * 1024.0;
  const double raw_mib = static_cast<double>(raw) / mib, out_mib = static_cast<double>(inflated) / mib;
  std::printf("crc32: zlib %.0f MiB/s, build's Crc32Update %.0f MiB/s over %.0f MiB\n", raw_mib / crc_zlib,
              raw_mib / crc_ld, raw_mib);
  if (inflated > 0) {
    std::printf("inflate: zlib streaming %.0f MiB/s", out_mib / inf_zlib);
    if (inf_ld > 0) std::printf(", libdeflate whole-buffer %.0f MiB/s", out_mib / inf_ld);
    std::printf(" over %.0f MiB out\n", out_mib);
  }
  return 0;
}

// Wants every byte (EntrySink's default), drops them.
class DropSink final : public mrmlguard::internal::EntrySink {
 public:
  void Data(std::span<const uint8_t>) override {}
};

}  // namespace

int main(int argc, char** argv) {
  using namespace mrmlguard;
  using namespace mrmlguard::internal;
  if (argc < 2) {
    std::fprintf(stderr, "usage: zip_bench FILE [--no-libzip | --measure | --codecs]\n");
    return 2;
  }
  bool libzip = !(argc > 2 && std::strcmp(argv[2], "--no-libzip") == 0);
  bool codecs = argc > 2 && std::strcmp(argv[2], "--codecs") == 0;
  bool measure = argc > 2 && std::strcmp(argv[2], "--measure") == 0;
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
  if (codecs) return CompareCodecs(src, dir);
  InflateBudget budget;
  if (dir.structure_ok) {
    DropSink drop;
    for (const ZipEntry& e : dir.entries) StreamEntry(src, e, &budget, sink, measure ? nullptr : &drop);
  }
  auto t2 = std::chrono::steady_clock::now();
  for (const Finding& f : sink.findings()) std::printf("%s: %s\n", std::string(f.rule_id).c_str(), f.message.c_str());
  std::printf("entries %zu, inflated %llu bytes, audit %.3f s, stream %.3f s\n", dir.entries.size(),
              static_cast<unsigned long long>(budget.total_inflated),
              Seconds(t0, t1), Seconds(t1, t2));
  close(fd);
  if (!src.io_error().empty()) return 2;
  return sink.has_errors() ? 1 : 0;
}
