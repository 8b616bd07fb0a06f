#include "json_scan.hpp"

#include <unordered_set>

#include <nlohmann/json.hpp>

#include "cachelab/schema/json_pointer.hpp"

namespace cachelab::scan {

namespace {

using nlohmann::json;

// Line and column (1-based) of a byte offset; one pass, only on the error path.
void line_col(const std::string& text, size_t byte, size_t& line, size_t& col) {
  line = 1;
  col = 1;
  for (size_t i = 0; i < text.size() && i + 1 < byte; ++i) {
    if (text[i] == '\n')
      ++line, col = 1;
    else
      ++col;
  }
}

// Every container on the path from the root; the pointer of a value is built from the tokens only when an issue
// names it, so the pass is linear in the text whatever the nesting (a pointer per frame would be quadratic).
struct Frame {
  std::string token;  // this container's key or index in its parent ("" for the root)
  bool is_object;
  size_t index = 0;
  std::string pending_key;
  std::unordered_set<std::string> keys;
};

struct Sax : json::json_sax_t {
  const std::string* text;
  std::string base;
  std::vector<Frame> stack;
  Result* out;
  size_t duplicates = 0;

  std::string pointer_of(const std::string& last) const {
    std::string p = base;
    for (size_t i = 1; i < stack.size(); ++i) p += "/" + schema::escape_pointer_token(stack[i].token);
    return p + "/" + schema::escape_pointer_token(last);
  }
  // The token of the value about to be read in the current container.
  std::string next_token() {
    if (stack.empty()) return "";
    Frame& f = stack.back();
    return f.is_object ? f.pending_key : std::to_string(f.index++);
  }
  bool value() {
    if (!stack.empty() && !stack.back().is_object) ++stack.back().index;
    return true;
  }
  bool open(bool is_object) {
    if (stack.size() >= kMaxDepth) {
      const std::string t = next_token();
      out->error = "JSON nested at most " + std::to_string(kMaxDepth) + " levels deep (objects and arrays), found " +
                   "deeper nesting at " + (stack.empty() ? "the root" : pointer_of(t));
      return false;
    }
    Frame f;
    f.token = next_token();
    f.is_object = is_object;
    stack.push_back(std::move(f));
    return true;
  }
  bool too_long(const std::string& s, const std::string& at) {
    if (s.size() <= kMaxStringBytes) return false;
    out->issues.push_back({at, "a string of at most " + std::to_string(kMaxStringBytes) + " bytes",
                           "a string of " + std::to_string(s.size()) + " bytes"});
    return true;
  }
  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t& s) override {
    if (s.size() > kMaxStringBytes) {
      std::string t =
          stack.empty() ? "" : (stack.back().is_object ? stack.back().pending_key : std::to_string(stack.back().index));
      too_long(s, stack.empty() ? base : pointer_of(t));
    }
    return value();
  }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override { return open(true); }
  bool key(string_t& k) override {
    Frame& f = stack.back();
    if (too_long(k, pointer_of(k.substr(0, 64)) + "...")) {
      f.pending_key = k.substr(0, 64);
      return true;
    }
    if (!f.keys.insert(k).second) {
      if (duplicates < kMaxDuplicateReports)
        out->issues.push_back({pointer_of(k), "each key once in an object", "\"" + k + "\" twice"});
      ++duplicates;
    }
    f.pending_key = k;
    return true;
  }
  bool end_object() override {
    stack.pop_back();
    return value();
  }
  bool start_array(std::size_t) override { return open(false); }
  bool end_array() override {
    stack.pop_back();
    return value();
  }
  bool parse_error(std::size_t byte, const std::string&, const nlohmann::detail::exception& e) override {
    size_t line, col;
    line_col(*text, byte, line, col);
    const std::string what = e.what();
    std::string detail;
    if (e.id == 406) {  // out_of_range: "number overflow parsing '1e400'"
      out->number_overflow = true;
      const auto q = what.find("parsing ");
      detail = "a number too large for a double (at most about 1.8e308)" +
               (q != std::string::npos ? ": " + what.substr(q + 8) : std::string());
    } else {
      const auto pos = what.find("syntax error");
      detail = pos != std::string::npos ? what.substr(pos) : what;
    }
    out->error =
        "invalid JSON at line " + std::to_string(line) + ", column " + std::to_string(col) + " (" + detail + ")";
    return false;
  }
};

}  // namespace

Result scan(const std::string& text, const std::string& base) {
  Result r;
  Sax sax;
  sax.text = &text;
  sax.base = base;
  sax.out = &r;
  r.parsed = json::sax_parse(text, &sax) && r.error.empty();
  if (sax.duplicates > kMaxDuplicateReports)
    r.issues.push_back({base.empty() ? "(document)" : base, "each key once in an object",
                        std::to_string(sax.duplicates - kMaxDuplicateReports) + " more duplicate keys"});
  return r;
}

}  // namespace cachelab::scan
