// Shared by the tests of the office database (accounts, business directory, their commands):
// valid identifiers to fill it with, and reading its files raw.
#pragma once

#include <filesystem>
#include <string>

namespace wq::testing {

// The n-th of a family of valid unified social credit codes (registered in Guangdong, 44), each
// with correct check characters.
std::string make_uscc(unsigned n);

// The bytes of office.db and of its write-ahead log, concatenated (what a thief would copy).
std::string raw_database_bytes(const std::filesystem::path& db);

}  // namespace wq::testing
