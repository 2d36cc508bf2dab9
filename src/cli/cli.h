// The `mcdewey` command line: ingest | search | stats | serve.
#pragma once

namespace mcdewey::cli {

// Exit codes: 0 success; 1 the command ran but some inputs failed (files, batch lines);
// 2 usage error or the command could not run at all.
inline constexpr int kExitOk = 0;
inline constexpr int kExitPartial = 1;
inline constexpr int kExitError = 2;

int run(int argc, char** argv);

}  // namespace mcdewey::cli
