/* SPDX-License-Identifier: BSD-3-Clause */
/* File: mrmlguard.h
 *
 * The stable C API of mrmlguard: judge a 3D Slicer scene file (.mrml) or
 * bundle (.mrb) before Slicer opens it, from C, from any language with a C
 * foreign-function interface (Python ctypes, ...), or from C++ code that wants
 * a stable ABI.
 *
 *   mrmlguard_policy* policy = mrmlguard_policy_new("default");
 *   mrmlguard_report* report = NULL;
 *   mrmlguard_error rc = mrmlguard_validate_file(policy, "case.mrb", &report);
 *   if (rc == MRMLGUARD_OK && mrmlguard_report_accepted(report)) {
 *     ... open the file ...
 *   } else if (report != NULL) {
 *     size_t i, n = mrmlguard_report_finding_count(report);
 *     for (i = 0; i < n; ++i)
 *       fprintf(stderr, "%s: %s\n", mrmlguard_finding_rule_id(report, i),
 *               mrmlguard_finding_message(report, i));
 *   }
 *   mrmlguard_report_free(report);
 *   mrmlguard_policy_free(policy);
 *
 * Rules of this API:
 * - Handles are opaque and created and freed explicitly; every *_free accepts
 *   NULL. Nothing is global: separate handles may be used from separate
 *   threads at the same time; one handle must not be used from two threads at
 *   once.
 * - Strings returned are UTF-8, NUL-terminated and owned by the handle they
 *   come from: they stay valid until that handle is freed. Never free them.
 * - No C++ exception crosses this API. A failed allocation returns
 *   MRMLGUARD_E_NOMEM, a bug MRMLGUARD_E_INTERNAL.
 * - Fail closed: a report that could not be judged is never accepted.
 * - Parameters that take one of this header's enum values are declared int:
 *   a C caller can pass any int there, and the library checks the range
 *   instead of relying on the enum type (reading an out-of-range value
 *   through a C++ enum type is undefined behaviour).
 *
 * The header is C89 apart from <stdint.h> (for uint64_t), which every
 * supported compiler provides in every language mode.
 */
#ifndef MRMLGUARD_MRMLGUARD_H_
#define MRMLGUARD_MRMLGUARD_H_

#include <stddef.h>
#include <stdint.h>

#include "mrmlguard/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the C API, bumped only by incompatible changes. */
#define MRMLGUARD_C_API_VERSION 1

/* Results of the functions of this API. Values never change meaning. */
typedef enum mrmlguard_error {
  MRMLGUARD_OK = 0,
  /* A NULL pointer where one is needed, or a value out of its range. */
  MRMLGUARD_E_INVALID_ARGUMENT = 1,
  /* The profile name is not "default" or "strict". */
  MRMLGUARD_E_UNKNOWN_PROFILE = 2,
  /* No limit has this name (see limits.def / `mrmlguard limits`). */
  MRMLGUARD_E_UNKNOWN_LIMIT = 3,
  /* No rule has this id (see docs/rules.md / `mrmlguard rules`). */
  MRMLGUARD_E_UNKNOWN_RULE = 4,
  /* The severity is not one of mrmlguard_severity, or its name is unknown. */
  MRMLGUARD_E_BAD_SEVERITY = 5,
  /* The input could not be read (missing, unreadable, a directory, ...), or
   * extraction could not write the destination. A report is still returned:
   * its status message says what failed. */
  MRMLGUARD_E_IO = 6,
  /* The input has zero bytes. A report is still returned. */
  MRMLGUARD_E_EMPTY_INPUT = 7,
  /* Out of memory. */
  MRMLGUARD_E_NOMEM = 8,
  /* A bug in mrmlguard. Please report it. */
  MRMLGUARD_E_INTERNAL = 9,
  /* A finding index at or past mrmlguard_report_finding_count(). */
  MRMLGUARD_E_OUT_OF_RANGE = 10
} mrmlguard_error;

/* Severity of a finding; any MRMLGUARD_SEVERITY_ERROR finding rejects. */
typedef enum mrmlguard_severity {
  MRMLGUARD_SEVERITY_OFF = 0, /* only as a policy override: not reported */
  MRMLGUARD_SEVERITY_NOTE = 1,
  MRMLGUARD_SEVERITY_WARNING = 2,
  MRMLGUARD_SEVERITY_ERROR = 3
} mrmlguard_severity;

typedef enum mrmlguard_verdict {
  MRMLGUARD_VERDICT_REJECTED = 0, /* the zero value rejects: fail closed */
  MRMLGUARD_VERDICT_ACCEPTED = 1
} mrmlguard_verdict;

/* Whether the input could be judged at all (distinct from the verdict). */
typedef enum mrmlguard_status {
  MRMLGUARD_STATUS_OK = 0,
  MRMLGUARD_STATUS_IO_ERROR = 1,
  MRMLGUARD_STATUS_EMPTY_INPUT = 2,
  MRMLGUARD_STATUS_INVALID_ARGUMENT = 3,
  MRMLGUARD_STATUS_INTERNAL = 4
} mrmlguard_status;

typedef enum mrmlguard_input_kind {
  MRMLGUARD_INPUT_UNKNOWN = 0,
  MRMLGUARD_INPUT_BUNDLE = 1, /* .mrb (ZIP) */
  MRMLGUARD_INPUT_SCENE = 2   /* .mrml (XML) */
} mrmlguard_input_kind;

/* How strictly to judge: profile, limits, per-rule severities. */
typedef struct mrmlguard_policy mrmlguard_policy;
/* The answer for one input: status, verdict, findings. */
typedef struct mrmlguard_report mrmlguard_report;

/* ---- library ---------------------------------------------------------- */

/* Returns the library version, "MAJOR.MINOR.PATCH". */
MRMLGUARD_EXPORT const char* mrmlguard_version(void);

/* Returns a static English description of an error code ("unknown limit
 * name", ...); never NULL, also for values outside the enum. */
MRMLGUARD_EXPORT const char* mrmlguard_strerror(int error);

/* Returns "off", "note", "warning" or "error"; NULL for other values. */
MRMLGUARD_EXPORT const char* mrmlguard_severity_name(int severity);

/* Parses "off", "note", "warning" or "error" into *severity.
 * Returns MRMLGUARD_E_BAD_SEVERITY for any other name. */
MRMLGUARD_EXPORT mrmlguard_error mrmlguard_severity_parse(const char* name,
                                                          mrmlguard_severity* severity);

/* ---- policy ----------------------------------------------------------- */

/* Creates a policy for the profile "default" or "strict" (NULL means
 * "default"), with that profile's limits and no overrides. Returns NULL when
 * the profile is unknown or memory is exhausted. */
MRMLGUARD_EXPORT mrmlguard_policy* mrmlguard_policy_new(const char* profile);

/* Frees a policy; NULL is allowed. Reports made with it stay valid. */
MRMLGUARD_EXPORT void mrmlguard_policy_free(mrmlguard_policy* policy);

/* Sets the limit called `name` (e.g. "max_zip_entries") to `value`, an
 * inclusive maximum. Returns MRMLGUARD_E_UNKNOWN_LIMIT, changing nothing,
 * when no limit has that name. */
MRMLGUARD_EXPORT mrmlguard_error mrmlguard_policy_set_limit(mrmlguard_policy* policy,
                                                            const char* name, uint64_t value);

/* Reads the limit called `name` into *value. */
MRMLGUARD_EXPORT mrmlguard_error mrmlguard_policy_get_limit(const mrmlguard_policy* policy,
                                                            const char* name, uint64_t* value);

/* Gives the rule `rule_id` (e.g. "mrml.tag.unknown") this severity, whatever
 * the profile says; later calls for the same rule win. Returns
 * MRMLGUARD_E_UNKNOWN_RULE for an id not in the rule table and
 * MRMLGUARD_E_BAD_SEVERITY for a value outside mrmlguard_severity. */
MRMLGUARD_EXPORT mrmlguard_error mrmlguard_policy_set_severity(mrmlguard_policy* policy,
                                                               const char* rule_id,
                                                               int severity);

/* ---- validation ------------------------------------------------------- */

/* Validates the file at `path`. On return *report is NULL or a report the
 * caller frees with mrmlguard_report_free. Returns:
 *   MRMLGUARD_OK          judged; see mrmlguard_report_accepted
 *   MRMLGUARD_E_IO, MRMLGUARD_E_EMPTY_INPUT, MRMLGUARD_E_INTERNAL
 *                         not judged; *report says why (never accepted)
 *   MRMLGUARD_E_INVALID_ARGUMENT, MRMLGUARD_E_NOMEM
 *                         *report is NULL */
MRMLGUARD_EXPORT mrmlguard_error mrmlguard_validate_file(const mrmlguard_policy* policy,
                                                         const char* path,
                                                         mrmlguard_report** report);

/* Validates `size` bytes at `data` held by the caller (they need to stay valid
 * only during the call). `name_hint` (may be NULL) stands in for the path in
 * the report and is used for the extension cross-check; nothing is read from
 * disk. `data` may be NULL only when `size` is 0. Results as for
 * mrmlguard_validate_file. */
MRMLGUARD_EXPORT mrmlguard_error mrmlguard_validate_buffer(const mrmlguard_policy* policy,
                                                           const void* data, size_t size,
                                                           const char* name_hint,
                                                           mrmlguard_report** report);

/* Validates the bundle at `bundle_path` and extracts it into `destination`,
 * which must not exist or be an empty directory. Files are only left behind
 * when the bundle is accepted: then *main_scene (if main_scene is not NULL)
 * points to the path of the main scene below the destination, owned by the
 * report; otherwise it is set to NULL. Results as for mrmlguard_validate_file;
 * MRMLGUARD_OK with a rejected report means nothing was written. */
MRMLGUARD_EXPORT mrmlguard_error mrmlguard_extract(const mrmlguard_policy* policy,
                                                   const char* bundle_path,
                                                   const char* destination,
                                                   mrmlguard_report** report,
                                                   const char** main_scene);

/* ---- sanitize --------------------------------------------------------- */

/* The result of mrmlguard_sanitize: whether OUT was written, the changes made
 * and the change report (see mrmlguard/sanitize.h). */
typedef struct mrmlguard_sanitize_result mrmlguard_sanitize_result;

/* Judges the file at `in_path` and writes `out_path`: a copy in which every
 * finding at severity error is neutralised by its rule's sanitize action, or
 * nothing when a finding has no safe rewrite (malformed XML, ZIP structure
 * attacks, traversal) or the rewritten file is still rejected. An accepted
 * input is copied byte for byte. OUT is replaced atomically and is never IN.
 * On return *result is NULL or a result the caller frees with
 * mrmlguard_sanitize_result_free. Returns:
 *   MRMLGUARD_OK          judged: see mrmlguard_sanitize_written
 *   MRMLGUARD_E_IO, MRMLGUARD_E_EMPTY_INPUT, MRMLGUARD_E_INTERNAL
 *                         IN unreadable or OUT not writable; *result says why
 *                         (mrmlguard_sanitize_json), nothing written
 *   MRMLGUARD_E_INVALID_ARGUMENT
 *                         a NULL argument (*result NULL), or OUT is IN or its
 *                         folder does not exist (*result says which)
 *   MRMLGUARD_E_NOMEM     *result is NULL */
MRMLGUARD_EXPORT mrmlguard_error mrmlguard_sanitize(const mrmlguard_policy* policy,
                                                    const char* in_path,
                                                    const char* out_path,
                                                    mrmlguard_sanitize_result** result);

/* Frees a result and every string it handed out; NULL is allowed. */
MRMLGUARD_EXPORT void mrmlguard_sanitize_result_free(mrmlguard_sanitize_result* result);

/* 1 when OUT holds the sanitized file, 0 when nothing was written (and for NULL). */
MRMLGUARD_EXPORT int mrmlguard_sanitize_written(const mrmlguard_sanitize_result* result);

/* Number of changes made (0 for an input copied unchanged, or refused). */
MRMLGUARD_EXPORT size_t mrmlguard_sanitize_change_count(const mrmlguard_sanitize_result* result);

/* The rule id of change `index`, or NULL when out of range. */
MRMLGUARD_EXPORT const char* mrmlguard_sanitize_change_rule_id(const mrmlguard_sanitize_result* result,
                                                               size_t index);

/* Why nothing was written ("" when written, or when not judged). */
MRMLGUARD_EXPORT const char* mrmlguard_sanitize_refusal(const mrmlguard_sanitize_result* result);

/* The change report as JSON ({"schema": "mrmlguard-sanitize", ...}: every
 * change with rule, action, location, before and after; the blocking
 * findings of a refusal). NULL for NULL or when out of memory. */
MRMLGUARD_EXPORT const char* mrmlguard_sanitize_json(const mrmlguard_sanitize_result* result);

/* ---- report ----------------------------------------------------------- */

/* Frees a report and every string it handed out; NULL is allowed. */
MRMLGUARD_EXPORT void mrmlguard_report_free(mrmlguard_report* report);

/* Returns 1 when the input could be judged and has no error finding, else 0
 * (also for NULL). */
MRMLGUARD_EXPORT int mrmlguard_report_accepted(const mrmlguard_report* report);

/* Returns the verdict; MRMLGUARD_VERDICT_REJECTED for NULL. A report whose
 * status is not ok is always rejected. */
MRMLGUARD_EXPORT mrmlguard_verdict mrmlguard_report_verdict(const mrmlguard_report* report);

/* Returns whether the input could be judged; MRMLGUARD_STATUS_INTERNAL for NULL. */
MRMLGUARD_EXPORT mrmlguard_status mrmlguard_report_status(const mrmlguard_report* report);

/* Returns "ok", "io-error", "empty-input", "invalid-argument" or "internal". */
MRMLGUARD_EXPORT const char* mrmlguard_status_name(int status);

/* Returns why the input could not be judged ("" when the status is ok). */
MRMLGUARD_EXPORT const char* mrmlguard_report_status_message(const mrmlguard_report* report);

/* Returns what the input was found to be. */
MRMLGUARD_EXPORT mrmlguard_input_kind mrmlguard_report_kind(const mrmlguard_report* report);

/* Returns the path (or name hint) the report is about. */
MRMLGUARD_EXPORT const char* mrmlguard_report_path(const mrmlguard_report* report);

/* For a bundle, the entry Slicer would load as its scene ("" otherwise). */
MRMLGUARD_EXPORT const char* mrmlguard_report_main_scene(const mrmlguard_report* report);

/* Returns the number of findings; 0 for NULL. */
MRMLGUARD_EXPORT size_t mrmlguard_report_finding_count(const mrmlguard_report* report);

/* Counts the findings of one severity. */
MRMLGUARD_EXPORT size_t mrmlguard_report_count(const mrmlguard_report* report,
                                               int severity);

/* Returns the whole report as one JSON document (the schema of
 * `mrmlguard validate --format json`, docs/json-schema.md), owned by the
 * report and made on the first call. NULL for a NULL report or when memory
 * is exhausted. */
MRMLGUARD_EXPORT const char* mrmlguard_report_json(const mrmlguard_report* report);

/* ---- findings, by index 0 .. count-1 ---------------------------------- */
/* String accessors return NULL when the report is NULL or the index out of
 * range, and "" for a field that is not known. Numbers are 0 when unknown. */

/* Stable rule id, e.g. "zip.entry.path-traversal". */
MRMLGUARD_EXPORT const char* mrmlguard_finding_rule_id(const mrmlguard_report* report, size_t index);
/* MRMLGUARD_SEVERITY_OFF when the index is out of range. */
MRMLGUARD_EXPORT mrmlguard_severity mrmlguard_finding_severity(const mrmlguard_report* report,
                                                               size_t index);
/* Entry path inside the bundle; nested bundles joined with '!'. */
MRMLGUARD_EXPORT const char* mrmlguard_finding_entry(const mrmlguard_report* report, size_t index);
/* Byte offset in the file (or uncompressed entry): stores it in *offset and
 * returns MRMLGUARD_OK when known; MRMLGUARD_E_OUT_OF_RANGE when it is not
 * known or the index is out of range (*offset is then 0). */
MRMLGUARD_EXPORT mrmlguard_error mrmlguard_finding_offset(const mrmlguard_report* report,
                                                          size_t index, uint64_t* offset);
/* 1-based line and column; 0 when unknown. */
MRMLGUARD_EXPORT uint32_t mrmlguard_finding_line(const mrmlguard_report* report, size_t index);
MRMLGUARD_EXPORT uint32_t mrmlguard_finding_column(const mrmlguard_report* report, size_t index);
/* MRML node id and attribute name the finding is about. */
MRMLGUARD_EXPORT const char* mrmlguard_finding_node_id(const mrmlguard_report* report, size_t index);
MRMLGUARD_EXPORT const char* mrmlguard_finding_attribute(const mrmlguard_report* report,
                                                         size_t index);
/* Concrete message; text from the file is quoted and escaped. */
MRMLGUARD_EXPORT const char* mrmlguard_finding_message(const mrmlguard_report* report, size_t index);
/* Name of the limit breached ("max_xml_depth"), "" when not a limit finding. */
MRMLGUARD_EXPORT const char* mrmlguard_finding_limit(const mrmlguard_report* report, size_t index);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MRMLGUARD_MRMLGUARD_H_ */
