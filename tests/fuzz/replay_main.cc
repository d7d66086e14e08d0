// main() for running a fuzz target without libFuzzer: feeds every file named
// on the command line (directories: every regular file in them, recursively,
// in sorted order) to LLVMFuzzerTestOneInput once. CTest runs the seed corpus
// and the saved crash regressions this way in the normal and sanitizer
// builds; a broken invariant aborts the process and fails the test.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_check.h"

namespace {

bool ReadFile(const std::filesystem::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg(argv[i]);
    std::error_code error;
    if (fs::is_directory(arg, error)) {
      for (const auto& entry : fs::recursive_directory_iterator(arg)) {
        if (entry.is_regular_file()) inputs.push_back(entry.path());
      }
    } else if (fs::is_regular_file(arg, error)) {
      inputs.push_back(arg);
    } else {
      std::cerr << "replay: no such file or directory: " << arg.string() << "\n";
      return 2;
    }
  }
  std::sort(inputs.begin(), inputs.end());
  std::string data;
  for (const fs::path& input : inputs) {
    if (!ReadFile(input, data)) {
      std::cerr << "replay: cannot read " << input.string() << "\n";
      return 2;
    }
    std::cerr << "replay: " << input.string() << "\n";
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
  }
  std::cout << "replay: " << inputs.size() << " inputs, no failure\n";
  return 0;
}
