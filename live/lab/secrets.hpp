#pragma once
// The lab's secret: a random password per lab, and files that hold it readable by us only.
#include <string>

namespace cachelab::live {

// 32 hex digits (128 bits) from the kernel's random source (getrandom). Throws std::runtime_error when it fails.
std::string random_password();

// Creates or truncates `path` with mode 0600 (also when it existed with a wider mode) and writes `text`; refuses
// to follow a symlink. Throws std::runtime_error naming the path on any failure.
void write_private_file(const std::string& path, const std::string& text);

}  // namespace cachelab::live
