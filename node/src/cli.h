// The command line of the `weiquan` binary: parses options with CLI11, calls the commands in
// commands.h, prints their results and turns failures into exit codes (0 ok, 1 the command failed,
// 2 the command line was wrong).
#pragma once

namespace wq::node {

int run_cli(int argc, char** argv);

}  // namespace wq::node
