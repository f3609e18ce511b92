#include "office_commands.h"
#include "weiquan/crypto/key_file.h"

namespace wq::node {

Result<NewAccount> add_user(const AddUserOptions& options) {
  if (auto config = load_config(options.dir); !config) return config.error();
  auto keys = crypto::read_key_file(options.dir.key_path());
  if (!keys) return keys.error();
  auto db = OfficeDb::open(options.dir.office_path());
  if (!db) return db.error();
  auto accounts = Accounts::open(*db, keys->box, {.cost = options.cost});
  if (!accounts) return accounts.error();
  return accounts->add_staff(options.role, options.name, options.uscc, options.login);
}

}  // namespace wq::node
