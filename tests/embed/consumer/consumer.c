/* SPDX-License-Identifier: BSD-3-Clause */
/* A C program built against the INSTALLED mrmlguard through pkg-config:
 *   cc consumer.c $(pkg-config --cflags --libs mrmlguard)
 * Usage: consumer <scratch-dir>. Writes a small valid scene and a hostile one,
 * and checks that the first is accepted and the second rejected. */
#include <stdio.h>
#include <string.h>

#include <mrmlguard/mrmlguard.h>

static int write_file(const char* path, const char* text) {
  FILE* f = fopen(path, "wb");
  if (f == NULL) return 0;
  fputs(text, f);
  return fclose(f) == 0;
}

static int check(const mrmlguard_policy* policy, const char* path, int want_accepted) {
  mrmlguard_report* report = NULL;
  mrmlguard_error rc = mrmlguard_validate_file(policy, path, &report);
  size_t i, n;
  int ok;
  if (rc != MRMLGUARD_OK) {
    fprintf(stderr, "%s: %s (%s)\n", path, mrmlguard_strerror(rc),
            report != NULL ? mrmlguard_report_status_message(report) : "");
    mrmlguard_report_free(report);
    return 0;
  }
  n = mrmlguard_report_finding_count(report);
  for (i = 0; i < n; ++i) {
    printf("%s:%u:%u: %s: %s [%s]\n", path, (unsigned)mrmlguard_finding_line(report, i),
           (unsigned)mrmlguard_finding_column(report, i),
           mrmlguard_severity_name(mrmlguard_finding_severity(report, i)),
           mrmlguard_finding_message(report, i), mrmlguard_finding_rule_id(report, i));
  }
  ok = mrmlguard_report_accepted(report) == want_accepted;
  printf("%s: %s\n", path, mrmlguard_report_accepted(report) ? "accepted" : "rejected");
  mrmlguard_report_free(report);
  return ok;
}

int main(int argc, char** argv) {
  char good[4096], bad[4096];
  mrmlguard_policy* policy;
  int ok;
  if (argc != 2 || strlen(argv[1]) > 4000) return 2;
  sprintf(good, "%s/good.mrml", argv[1]);
  sprintf(bad, "%s/bad.mrml", argv[1]);
  if (!write_file(good, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<MRML version=\"Slicer4.4.0\" userTags=\"\">\n</MRML>\n") ||
      !write_file(bad, "<?xml version=\"1.0\"?>\n<!DOCTYPE MRML [<!ENTITY a \"x\">]>\n"
                       "<MRML>&a;</MRML>\n")) {
    return 2;
  }
  printf("mrmlguard %s\n", mrmlguard_version());
  policy = mrmlguard_policy_new("default");
  if (policy == NULL) return 2;
  ok = check(policy, good, 1) && check(policy, bad, 0);
  mrmlguard_policy_free(policy);
  return ok ? 0 : 1;
}
