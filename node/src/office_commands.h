// The operator commands on a node's office database (office.db): `weiquan user add` and
// `weiquan business import`. cli.cpp parses their options and prints their results.
//
// Thread safety: one command at a time per node directory (the running node may hold office.db
// open: SQLite serialises the writers).
// Failure codes: node.config_missing / config_invalid (not a node directory), node.io (the CSV
// file cannot be opened), crypto.key_file_* (reading node.key), and those of accounts.h,
// business_directory.h and office_db.h.
#pragma once

#include <filesystem>
#include <string>

#include "weiquan/node/accounts.h"
#include "weiquan/node/business_directory.h"
#include "weiquan/node/node_dir.h"

namespace wq::node {

struct AddUserOptions {
  NodeDir dir;
  Role role = Role::officer;
  std::string name;
  std::string uscc;   // enterprise accounts only
  std::string login;  // empty: "<role>-<n>"
  crypto::PasswordCost cost = crypto::PasswordCost::interactive();
};

Result<NewAccount> add_user(const AddUserOptions& options);

Result<ImportReport> import_businesses(const NodeDir& dir, const std::filesystem::path& csv,
                                       const ImportProgress& progress);

}  // namespace wq::node
