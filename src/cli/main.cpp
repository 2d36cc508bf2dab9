#include "cli/cli.h"

int main(int argc, char** argv) { return mcdewey::cli::run(argc, argv); }
