// Writing a file so that a crash leaves either no file or the whole file: the bytes go to a
// temporary file beside it (a unique name, so concurrent writers do not meet), which is synced and
// then renamed over `path`.
//
// Thread safety: safe from any thread; concurrent writers of one path leave one whole version.
// Failure codes: node.io.
#pragma once

#include <filesystem>
#include <string_view>

#include "weiquan/result.h"

namespace wq::node {

Status write_file_atomically(const std::filesystem::path& path, std::string_view text);

}  // namespace wq::node
