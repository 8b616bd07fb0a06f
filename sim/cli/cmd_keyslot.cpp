// cachelab keyslot KEY... | -: prints KEY<TAB>SLOT per line, the number CLUSTER KEYSLOT gives.
// With "-", keys come from stdin, one per line (binary-safe except for newlines), for millions of keys.
#include <cstdio>
#include <cstring>
#include <vector>
#include <iostream>
#include <string>

#include "cachelab/cluster/slots.hpp"
#include "commands.hpp"

namespace cachelab::cli {

namespace {

// Output without per-line allocation: one big buffer, slots printed with a hand-written itoa (at most 5 digits).
class SlotWriter {
 public:
  SlotWriter() : buf_(kSize) {}
  void emit(const char* key, size_t len) {
    if (len + 8 > buf_.size() - used_) {
      flush();
      if (len + 8 > buf_.size()) buf_.resize(len + 8);
    }
    char* p = buf_.data() + used_;
    std::memcpy(p, key, len);
    p += len;
    *p++ = '\t';
    unsigned slot = static_cast<unsigned>(key_hash_slot(std::string_view(key, len)));
    char digits[5];
    int n = 0;
    do {
      digits[n++] = static_cast<char>('0' + slot % 10);
      slot /= 10;
    } while (slot);
    while (n) *p++ = digits[--n];
    *p++ = '\n';
    used_ = static_cast<size_t>(p - buf_.data());
  }
  void flush() {
    std::fwrite(buf_.data(), 1, used_, stdout);
    used_ = 0;
  }
  ~SlotWriter() { std::fflush(stdout); }

 private:
  static constexpr size_t kSize = 1 << 20;
  std::vector<char> buf_;
  size_t used_ = 0;
};

// Keys from stdin, one per line, in big reads split by hand (getline on 10M keys would dominate the cost). A line
// cut by the end of a read is moved to the front and completed by the next read; the buffer grows for long keys.
void keyslot_stdin(SlotWriter& out) {
  std::vector<char> buf(1 << 20);
  size_t have = 0;
  for (;;) {
    if (have == buf.size()) buf.resize(buf.size() * 2);
    const size_t n = std::fread(buf.data() + have, 1, buf.size() - have, stdin);
    if (n == 0) break;
    const char* p = buf.data();
    const char* end = p + have + n;
    for (;;) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      if (!nl) break;
      out.emit(p, static_cast<size_t>(nl - p));
      p = nl + 1;
    }
    have = static_cast<size_t>(end - p);
    std::memmove(buf.data(), p, have);
  }
  if (have) out.emit(buf.data(), have);  // a last key without a newline
}

}  // namespace

static void add_keyslot(CLI::App& app, Context& ctx) {
  int* code_ptr = &ctx.code;  // captured by value: outlives this function
  auto* cmd = app.add_subcommand("keyslot", "print the hash slot of each key (as CLUSTER KEYSLOT)");
  auto keys = std::make_shared<std::vector<std::string>>();
  cmd->add_option("KEY", *keys, "keys, or - to read them from stdin")->required();
  cmd->callback([code_ptr, keys] {
    SlotWriter out;
    for (const auto& k : *keys) {
      if (k == "-") {
        keyslot_stdin(out);
      } else {
        out.emit(k.data(), k.size());
      }
    }
    out.flush();
    *code_ptr = kExitOk;
  });
}

static const Command keyslot_command("keyslot", add_keyslot);

}  // namespace cachelab::cli
