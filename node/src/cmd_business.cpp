#include <fstream>

#include "office_commands.h"

namespace wq::node {

Result<ImportReport> import_businesses(const NodeDir& dir, const std::filesystem::path& csv,
                                       const ImportProgress& progress) {
  if (auto config = load_config(dir); !config) return config.error();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(csv, ec)) {
    return make_error("node.io", csv.string() + " is not a readable file");
  }
  std::ifstream in(csv, std::ios::binary);
  if (!in) return make_error("node.io", "cannot open " + csv.string());
  auto db = OfficeDb::open(dir.office_path());
  if (!db) return db.error();
  BusinessDirectory directory(*db);
  return directory.import_csv(in, policies::RegionTable::builtin(), progress);
}

}  // namespace wq::node
