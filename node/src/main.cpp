#include "cli.h"

int main(int argc, char** argv) {
  return wq::node::run_cli(argc, argv);
}
