// cachelab keyslot KEY... | -: prints KEY<TAB>SLOT per line, the number CLUSTER KEYSLOT gives.
// With "-", keys come from stdin, one per line (binary-safe except for newlines), for millions of keys.
#include <cstdio>
#include <iostream>
#include <string>

#include "cachelab/cluster/slots.hpp"
#include "commands.hpp"

namespace cachelab::cli {

static void add_keyslot(CLI::App& app, Context& ctx) {
  int* code_ptr = &ctx.code;  // captured by value: outlives this function
  auto* cmd = app.add_subcommand("keyslot", "print the hash slot of each key (as CLUSTER KEYSLOT)");
  auto keys = std::make_shared<std::vector<std::string>>();
  cmd->add_option("KEY", *keys, "keys, or - to read them from stdin")->required();
  cmd->callback([code_ptr, keys] {
    std::string out;
    out.reserve(1 << 16);
    auto emit = [&out](std::string_view k) {
      out.append(k);
      out.push_back('\t');
      out.append(std::to_string(key_hash_slot(k)));
      out.push_back('\n');
      if (out.size() > (1 << 16) - 256) {
        std::fwrite(out.data(), 1, out.size(), stdout);
        out.clear();
      }
    };
    for (const auto& k : *keys) {
      if (k != "-") {
        emit(k);
        continue;
      }
      // Big reads and a manual split: getline on 10M keys would dominate the cost.
      std::string buf(1 << 20, '\0'), carry;
      size_t n;
      while ((n = std::fread(buf.data(), 1, buf.size(), stdin)) > 0) {
        size_t start = 0;
        for (size_t i = 0; i < n; ++i) {
          if (buf[i] != '\n') continue;
          if (!carry.empty()) {
            carry.append(buf.data() + start, i - start);
            emit(carry);
            carry.clear();
          } else {
            emit(std::string_view(buf.data() + start, i - start));
          }
          start = i + 1;
        }
        carry.append(buf.data() + start, n - start);
      }
      if (!carry.empty()) emit(carry);
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    *code_ptr = kExitOk;
  });
}

static const Command registered("keyslot", add_keyslot);

}  // namespace cachelab::cli
