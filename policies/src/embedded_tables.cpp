#include "embedded_tables.h"

// .incbin places each file's bytes in .rodata between two symbols; the paths come from CMake.
#define WQ_EMBED(symbol, path)                                  \
  __asm__(".section .rodata\n"                                  \
          ".global " #symbol "_begin\n" #symbol "_begin:\n"     \
          ".incbin \"" path "\"\n"                              \
          ".global " #symbol "_end\n" #symbol "_end:\n"         \
          ".byte 0\n"                                           \
          ".previous\n");                                       \
  extern "C" const char symbol##_begin[];                       \
  extern "C" const char symbol##_end[];

WQ_EMBED(wq_regions_tsv, WEIQUAN_REGIONS_TSV)
WQ_EMBED(wq_holidays_tsv, WEIQUAN_HOLIDAYS_TSV)
WQ_EMBED(wq_lifecycle_json, WEIQUAN_LIFECYCLE_JSON)
WQ_EMBED(wq_policy_documents_json, WEIQUAN_POLICY_DOCUMENTS_JSON)

namespace wq::policies::embedded {

std::string_view regions_tsv() {
  return {wq_regions_tsv_begin, static_cast<std::size_t>(wq_regions_tsv_end - wq_regions_tsv_begin)};
}
std::string_view holidays_tsv() {
  return {wq_holidays_tsv_begin,
          static_cast<std::size_t>(wq_holidays_tsv_end - wq_holidays_tsv_begin)};
}
std::string_view lifecycle_json() {
  return {wq_lifecycle_json_begin,
          static_cast<std::size_t>(wq_lifecycle_json_end - wq_lifecycle_json_begin)};
}
std::string_view policy_documents_json() {
  return {wq_policy_documents_json_begin,
          static_cast<std::size_t>(wq_policy_documents_json_end - wq_policy_documents_json_begin)};
}

}  // namespace wq::policies::embedded
