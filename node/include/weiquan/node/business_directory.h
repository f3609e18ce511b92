// BusinessDirectory: the businesses this office knows, by unified social credit code (USCC), so
// that a consumer who names a business by name or code gets the right office (DESIGN.md §5,
// jurisdiction follows the business's region). Kept in office.db (office_db.h), filled from the
// registration authority's CSV export with `weiquan business import`.
//
// CSV format: UTF-8 (a leading byte-order mark is skipped), RFC 4180 — fields separated by commas,
// a field in double quotes may hold commas, line breaks and doubled quotes (""); lines end in LF or
// CRLF; blank lines are skipped. The first line is the header `uscc,name,region,address`. Each
// record is at most 1 MiB and a file at most 10,000,000 lines. A row is accepted when its USCC is
// valid (check characters included), its name is 1-200 characters on one line, its region is a
// county or township code of the region table, and its address is at most 500 characters on one
// line. Accepted rows are upserted by USCC (a later row replaces an earlier one, in the file or in
// the directory) in one transaction per 10,000 rows; a failure stops the import, leaving the
// batches committed so far (re-running the same file is harmless).
//
// Ownership: refers to the OfficeDb given, which must outlive it, unmoved.
// Thread safety: every member may be called from any thread; an import holds the database only
// while it writes a batch.
// Failure codes: node.bad_csv (no or wrong header line, more than 10,000,000 lines), node.io (the
// stream cannot be read), sync.db.
#pragma once

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weiquan/node/office_db.h"
#include "weiquan/policies/regions.h"

namespace wq::node {

struct Business {
  std::string uscc;
  std::string name;
  std::string region;  // county or township code (GB/T 2260)
  std::string address;
};

inline constexpr std::size_t kImportBatchRows = 10'000;
inline constexpr std::size_t kImportProgressRows = 100'000;
inline constexpr std::size_t kMaxImportErrors = 100;
inline constexpr std::size_t kMaxSearchResults = 100;

struct ImportError {
  std::size_t line = 0;  // where the record starts, 1-based, the header being line 1
  std::string reason;
};

struct ImportReport {
  std::size_t added = 0;            // USCCs new to the directory
  std::size_t updated = 0;          // USCCs already there (from earlier imports or earlier rows)
  std::size_t rejected = 0;         // rows refused
  std::vector<ImportError> errors;  // the first kMaxImportErrors refused rows
};

// Called with the number of rows read so far, every kImportProgressRows rows.
using ImportProgress = std::function<void(std::size_t rows)>;

class BusinessDirectory {
 public:
  explicit BusinessDirectory(OfficeDb& db) : db_(db) {}

  Result<ImportReport> import_csv(std::istream& in, const policies::RegionTable& regions,
                                  const ImportProgress& progress = {});

  Result<std::optional<Business>> find_by_uscc(std::string_view uscc);
  // Every business of exactly this name (names are not unique), in USCC order.
  Result<std::vector<Business>> find_by_name(std::string_view name);
  // Businesses whose name starts with `text`, in name order, then those whose name contains it;
  // at most min(limit, kMaxSearchResults). Empty text finds nothing. A prefix is found through
  // the name index; a substring beyond the prefix matches scans the directory until enough match.
  Result<std::vector<Business>> search(std::string_view text, std::size_t limit);

 private:
  OfficeDb& db_;
};

}  // namespace wq::node
