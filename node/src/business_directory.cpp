#include "weiquan/node/business_directory.h"

#include <algorithm>
#include <array>
#include <istream>

#include "csv_reader.h"
#include "weiquan/policies/validation.h"

namespace wq::node {
namespace {

namespace sql = sync::sql;

constexpr std::size_t kMaxRecordBytes = 1024 * 1024;
constexpr std::size_t kMaxLines = 10'000'000;
constexpr std::size_t kMaxNameCharacters = 200;
constexpr std::size_t kMaxAddressCharacters = 500;
constexpr std::array<std::string_view, 4> kHeader = {"uscc", "name", "region", "address"};
constexpr std::string_view kColumns = "SELECT uscc, name, region, address FROM businesses ";

Result<Business> validate(CsvRecord& record, const policies::RegionTable& regions) {
  if (!record.error.empty()) return make_error("node.bad_csv", record.error);
  if (record.fields.size() != kHeader.size()) {
    return make_error("node.bad_csv", "expected 4 fields (uscc,name,region,address), found " +
                                          std::to_string(record.fields.size()));
  }
  Business business{std::move(record.fields[0]), std::move(record.fields[1]),
                    std::move(record.fields[2]), std::move(record.fields[3])};
  if (auto uscc = policies::parse_uscc(business.uscc, regions); !uscc) return uscc.error();
  if (business.name.empty()) return make_error("node.bad_csv", "name: empty");
  if (Status ok =
          policies::check_text(business.name, kMaxNameCharacters, policies::TextLines::single);
      !ok) {
    return make_error(ok.error().code, "name: " + ok.error().message);
  }
  auto region = regions.lookup(business.region);
  if (!region) return region.error();
  if (region->level != policies::Level::county && region->level != policies::Level::station) {
    return make_error("policies.unknown_region",
                      "region " + business.region + " is not a county or township code");
  }
  if (Status ok = policies::check_text(business.address, kMaxAddressCharacters,
                                       policies::TextLines::single);
      !ok) {
    return make_error(ok.error().code, "address: " + ok.error().message);
  }
  return business;
}

Status check_header(const std::optional<CsvRecord>& header) {
  if (!header) return make_error("node.bad_csv", "the file is empty; line 1 must be the header");
  if (!header->error.empty() ||
      !std::equal(header->fields.begin(), header->fields.end(), kHeader.begin(), kHeader.end())) {
    return make_error("node.bad_csv", "line 1 must be the header uscc,name,region,address");
  }
  return {};
}

struct Upserted {
  std::size_t added = 0;
  std::size_t updated = 0;
};

Result<Upserted> write_batch(OfficeDb& db, const std::vector<Business>& batch) {
  Upserted counts;
  if (batch.empty()) return counts;
  auto lock = db.lock();
  auto transaction = sql::Transaction::begin(lock.db());
  if (!transaction) return transaction.error();
  auto exists = lock.statement("SELECT 1 FROM businesses WHERE uscc = ?1");
  if (!exists) return exists.error();
  auto upsert = lock.statement(
      "INSERT INTO businesses (uscc, name, region, address) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (uscc) DO UPDATE SET name = excluded.name, region = excluded.region, "
      "address = excluded.address");
  if (!upsert) return upsert.error();
  for (const Business& business : batch) {
    auto found = (*exists)->bind(1, business.uscc).step();
    (*exists)->reset();
    if (!found) return found.error();
    ++(*found ? counts.updated : counts.added);
    if (Status ok = (*upsert)
                        ->bind(1, business.uscc)
                        .bind(2, business.name)
                        .bind(3, business.region)
                        .bind(4, business.address)
                        .run();
        !ok) {
      return ok.error();
    }
  }
  if (Status ok = transaction->commit(); !ok) return ok.error();
  return counts;
}

Business business_from(const sql::Stmt& row) {
  return Business{std::string(row.text(0)), std::string(row.text(1)), std::string(row.text(2)),
                  std::string(row.text(3))};
}

// Appends the rows of `stmt` (bound, not yet stepped) to `out`.
Status collect(sql::Stmt& stmt, std::vector<Business>& out) {
  for (;;) {
    auto row = stmt.step();
    if (!row) return row.error();
    if (!*row) return {};
    out.push_back(business_from(stmt));
  }
}

}  // namespace

Result<ImportReport> BusinessDirectory::import_csv(std::istream& in,
                                                   const policies::RegionTable& regions,
                                                   const ImportProgress& progress) {
  CsvReader reader(in, kMaxRecordBytes, kMaxLines);
  auto header = reader.next();
  if (!header) return header.error();
  if (Status ok = check_header(*header); !ok) return ok.error();

  ImportReport report;
  std::vector<Business> batch;
  batch.reserve(kImportBatchRows);
  const auto flush = [&]() -> Status {
    auto written = write_batch(db_, batch);
    if (!written) return written.error();
    report.added += written->added;
    report.updated += written->updated;
    batch.clear();
    return {};
  };
  for (std::size_t rows = 1;; ++rows) {
    auto record = reader.next();
    if (!record) return record.error();
    if (!*record) break;
    if (progress && rows % kImportProgressRows == 0) progress(rows);
    auto business = validate(**record, regions);
    if (!business) {
      ++report.rejected;
      if (report.errors.size() < kMaxImportErrors) {
        report.errors.push_back({(*record)->line, business.error().message});
      }
      continue;
    }
    batch.push_back(std::move(*business));
    if (batch.size() == kImportBatchRows) {
      if (Status ok = flush(); !ok) return ok.error();
    }
  }
  if (Status ok = flush(); !ok) return ok.error();
  return report;
}

Result<std::optional<Business>> BusinessDirectory::find_by_uscc(std::string_view uscc) {
  auto lock = db_.lock();
  auto stmt = lock.statement(std::string(kColumns) + "WHERE uscc = ?1");
  if (!stmt) return stmt.error();
  auto row = (*stmt)->bind(1, uscc).step();
  if (!row) return row.error();
  if (!*row) return std::optional<Business>();
  return std::optional<Business>(business_from(**stmt));
}

Result<std::vector<Business>> BusinessDirectory::find_by_name(std::string_view name) {
  auto lock = db_.lock();
  auto stmt = lock.statement(std::string(kColumns) + "WHERE name = ?1 ORDER BY uscc LIMIT ?2");
  if (!stmt) return stmt.error();
  (*stmt)->bind(1, name).bind(2, static_cast<std::int64_t>(kMaxSearchResults));
  std::vector<Business> found;
  if (Status ok = collect(**stmt, found); !ok) return ok.error();
  return found;
}

Result<std::vector<Business>> BusinessDirectory::search(std::string_view text, std::size_t limit) {
  limit = std::min(limit, kMaxSearchResults);
  std::vector<Business> found;
  if (text.empty() || limit == 0) return found;
  // Every name that starts with `text` sorts below text + 0xFF, a byte UTF-8 never contains.
  const std::string upper = std::string(text) + '\xFF';
  auto lock = db_.lock();
  auto prefix = lock.statement(std::string(kColumns) +
                               "WHERE name >= ?1 AND name < ?2 ORDER BY name LIMIT ?3");
  if (!prefix) return prefix.error();
  (*prefix)->bind(1, text).bind(2, upper).bind(3, static_cast<std::int64_t>(limit));
  if (Status ok = collect(**prefix, found); !ok) return ok.error();
  if (found.size() == limit) return found;
  auto inside = lock.statement(std::string(kColumns) + "WHERE instr(name, ?1) > 1 LIMIT ?2");
  if (!inside) return inside.error();
  (*inside)->bind(1, text).bind(2, static_cast<std::int64_t>(limit - found.size()));
  if (Status ok = collect(**inside, found); !ok) return ok.error();
  return found;
}

}  // namespace wq::node
