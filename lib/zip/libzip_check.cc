// SPDX-License-Identifier: BSD-3-Clause
#include "zip/libzip_check.h"

#include <zip.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "findings/quote.h"
#include "zip/zip_names.h"

namespace mrmlguard::internal {
namespace {

// State of the read-only libzip source over an InputSource.
struct SourceState {
  InputSource* source = nullptr;
  uint64_t position = 0;
  std::vector<uint8_t> scratch;
  zip_error_t error;
};

// The zip_source_callback protocol (zip_source_function(3)): a seekable,
// read-only source. Reads go through InputSource::View, so a FileSource is
// read with pread into a bounded scratch buffer.
zip_int64_t SourceCallback(void* user, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
  auto* s = static_cast<SourceState*>(user);
  switch (cmd) {
    case ZIP_SOURCE_OPEN:
      s->position = 0;
      return 0;
    case ZIP_SOURCE_READ: {
      uint64_t size = s->source->size();
      if (s->position >= size) return 0;
      // Cap one read so the scratch buffer stays small whatever libzip asks.
      size_t want = len < (1u << 20) ? static_cast<size_t>(len) : size_t{1} << 20;
      std::span<const uint8_t> got = s->source->View(s->position, want, &s->scratch);
      if (got.empty() && !s->source->io_error().empty()) {
        zip_error_set(&s->error, ZIP_ER_READ, EIO);
        return -1;
      }
      if (!got.empty()) std::memcpy(data, got.data(), got.size());
      s->position += got.size();
      return static_cast<zip_int64_t>(got.size());
    }
    case ZIP_SOURCE_CLOSE:
      return 0;
    case ZIP_SOURCE_STAT: {
      auto* st = static_cast<zip_stat_t*>(data);
      zip_stat_init(st);
      st->size = s->source->size();
      st->valid |= ZIP_STAT_SIZE;
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data(&s->error, data, len);
    case ZIP_SOURCE_FREE:
      return 0;
    case ZIP_SOURCE_SEEK: {
      zip_int64_t target = zip_source_seek_compute_offset(s->position, s->source->size(), data, len, &s->error);
      if (target < 0) return -1;
      s->position = static_cast<uint64_t>(target);
      return 0;
    }
    case ZIP_SOURCE_TELL:
      return static_cast<zip_int64_t>(s->position);
    case ZIP_SOURCE_SUPPORTS:
      return ZIP_SOURCE_SUPPORTS_SEEKABLE;
    default:
      zip_error_set(&s->error, ZIP_ER_OPNOTSUPP, 0);
      return -1;
  }
}

std::string ErrorText(zip_error_t* error) {
  const char* text = zip_error_strerror(error);
  return text != nullptr ? std::string(text) : std::string("unknown error");
}

}  // namespace

bool LibzipSecondOpinion(InputSource& source, const std::vector<ZipEntry>& entries, FindingSink& sink,
                         bool descriptor_sizes_in_local_header) {
  auto disagree = [&](std::string message) {
    sink.Add(Rule::kZipLibzipDisagrees, {}, "libzip (ZIP_CHECKCONS) " + std::move(message));
    return false;
  };
  SourceState state;
  state.source = &source;
  zip_error_init(&state.error);
  zip_error_t error;
  zip_error_init(&error);
  std::span<const uint8_t> memory = source.Memory();
  auto open = [&](int flags, zip_error_t* err) -> zip_t* {
    zip_source_t* src = !memory.empty() ? zip_source_buffer_create(memory.data(), memory.size(), 0, err)
                                        : zip_source_function_create(SourceCallback, &state, err);
    if (src == nullptr) return nullptr;
    zip_t* za = zip_open_from_source(src, flags, err);
    if (za == nullptr) zip_source_free(src);
    return za;
  };
  zip_t* za = open(ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (za == nullptr && descriptor_sizes_in_local_header && zip_error_code_zip(&error) == ZIP_ER_INCONS) {
    zip_error_fini(&error);
    zip_error_init(&error);
    za = open(ZIP_RDONLY, &error);
  }
  if (za == nullptr) {
    std::string text = ErrorText(&error);
    zip_error_fini(&error);
    zip_error_fini(&state.error);
    return disagree("refuses the archive: " + text);
  }
  zip_error_fini(&error);
  bool ok = true;
  zip_int64_t count = zip_get_num_entries(za, 0);
  int comment_len = -1;
  const char* comment = zip_get_archive_comment(za, &comment_len, ZIP_FL_ENC_RAW);
  if (count < 0 || static_cast<uint64_t>(count) != entries.size()) {
    ok = disagree("sees " + std::to_string(count) + " entries, our reading " + std::to_string(entries.size()));
  } else if (comment != nullptr && comment_len > 0) {
    ok = disagree("sees an archive comment of " + std::to_string(comment_len) + " bytes");
  }
  for (zip_uint64_t i = 0; ok && i < static_cast<zip_uint64_t>(count); ++i) {
    const ZipEntry& e = entries[static_cast<size_t>(i)];
    const std::string quoted = Quote(e.name);
    const char* name = zip_get_name(za, i, ZIP_FL_ENC_RAW);
    zip_stat_t st;
    zip_stat_init(&st);
    if (name == nullptr || zip_stat_index(za, i, ZIP_FL_ENC_RAW, &st) != 0) {
      ok = disagree("cannot read entry " + std::to_string(i) + " (" + quoted + ")");
      break;
    }
    const zip_uint64_t need = ZIP_STAT_NAME | ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_CRC |
                              ZIP_STAT_COMP_METHOD | ZIP_STAT_ENCRYPTION_METHOD;
    if ((st.valid & need) != need) {
      ok = disagree("gives incomplete information for entry " + quoted);
    } else if (std::string_view(name) != e.name) {
      // zip_get_name stops at NUL; our names never hold one (control-char rule).
      ok = disagree("names entry " + std::to_string(i) + " " + Quote(name) + ", our reading " + quoted);
    } else if (st.size != e.declared_size || st.comp_size != e.compressed_size || st.crc != e.declared_crc32) {
      ok = disagree("reads entry " + quoted + " as " + std::to_string(st.comp_size) + "/" + std::to_string(st.size) +
                    " bytes, CRC " + std::to_string(st.crc) + "; our reading " + std::to_string(e.compressed_size) +
                    "/" + std::to_string(e.declared_size) + ", CRC " + std::to_string(e.declared_crc32));
    } else if (st.comp_method != e.method || st.encryption_method != ZIP_EM_NONE) {
      ok = disagree("reads entry " + quoted + " with method " + std::to_string(st.comp_method) + ", encryption " +
                    std::to_string(st.encryption_method));
    } else {
      zip_uint8_t opsys = 0;
      zip_uint32_t attributes = 0;
      if (zip_file_get_external_attributes(za, i, 0, &opsys, &attributes) != 0 || opsys != e.host_system ||
          attributes != e.external_attributes) {
        ok = disagree("reads different external attributes for entry " + quoted);
      }
    }
  }
  zip_discard(za);  // also frees the source
  zip_error_fini(&state.error);
  return ok;
}

}  // namespace mrmlguard::internal
