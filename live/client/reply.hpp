#pragma once
// An owned Redis reply. hiredis allocates the reply tree; we keep it as is (no copy) and share ownership between
// a reply and the elements taken out of it.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct redisReply;

namespace cachelab::live {

class Reply {
 public:
  enum class Type { None, String, Array, Integer, Nil, Status, Error };

  Reply() = default;
  // Takes ownership of a reply returned by hiredis (freeReplyObject when the last copy goes).
  static Reply adopt(redisReply* reply);

  Type type() const;
  bool is_error() const { return type() == Type::Error; }
  bool is_nil() const { return type() == Type::Nil; }
  bool empty() const { return node_ == nullptr; }
  // String, Status and Error text.
  std::string_view str() const;
  int64_t integer() const;
  size_t size() const;            // number of elements of an Array
  Reply element(size_t i) const;  // shares the tree
  std::string describe() const;   // for messages and logs

 private:
  std::shared_ptr<redisReply> root_;
  const redisReply* node_ = nullptr;
};

}  // namespace cachelab::live
