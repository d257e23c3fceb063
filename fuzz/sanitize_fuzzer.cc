// SPDX-License-Identifier: BSD-3-Clause
// Fuzzes content disarm (SanitizeBytes) over the input as a scene or a
// bundle: whatever sanitize writes must be accepted by validate under the
// same policy without an error; an input validate accepts comes back byte
// for byte with no change listed; a refusal writes nothing; and the output
// is a fixed point (sanitizing it again changes nothing).

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.h"
#include "mrmlguard/sanitize.h"
#include "mrmlguard/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const uint32_t bits = mrmlguard::fuzz::ConfigBits(data, size);
  const mrmlguard::Policy policy = mrmlguard::fuzz::PolicyFromBits(static_cast<uint8_t>(bits));
  const char* name = (bits & 0x100) ? "fuzz.mrb" : "fuzz.mrml";
  std::string out;
  const mrmlguard::SanitizeResult r = mrmlguard::SanitizeBytes(data, size, name, policy, &out);
  const mrmlguard::Report input = mrmlguard::ValidateBytes(data, size, name, policy);
  if (!r.written) {
    MRMLGUARD_FUZZ_CHECK(out.empty(), "a refusal left output behind");
    MRMLGUARD_FUZZ_CHECK(!input.accepted() || !r.status.ok(), "an accepted input was refused");
    return 0;
  }
  const mrmlguard::Report output =
      mrmlguard::ValidateBytes(reinterpret_cast<const uint8_t*>(out.data()), out.size(), name, policy);
  MRMLGUARD_FUZZ_CHECK(output.accepted() && output.Count(mrmlguard::Severity::kError) == 0,
                       "sanitize wrote an output validate rejects");
  MRMLGUARD_FUZZ_CHECK(r.changes.empty() == (out == std::string(reinterpret_cast<const char*>(data), size)),
                       "the change report and the output disagree");
  if (input.accepted()) MRMLGUARD_FUZZ_CHECK(r.changes.empty(), "an accepted input was changed");
  std::string again;
  const mrmlguard::SanitizeResult r2 = mrmlguard::SanitizeBytes(
      reinterpret_cast<const uint8_t*>(out.data()), out.size(), name, policy, &again);
  MRMLGUARD_FUZZ_CHECK(r2.written && r2.changes.empty() && again == out, "sanitize is not a fixed point");
  return 0;
}
