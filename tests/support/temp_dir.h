// TempDir: a fresh directory under the system temp dir for one test, removed with everything in it
// when the object goes out of scope.
#pragma once

#include <filesystem>
#include <string>

namespace wq::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path file(const std::string& name) const { return path_ / name; }
  // The path of `name` inside the directory, as a string for command lines.
  std::string operator/(const std::string& name) const { return file(name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace wq::testing
