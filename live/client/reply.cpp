#include "live/client/reply.hpp"

#include <hiredis/hiredis.h>

namespace cachelab::live {

Reply Reply::adopt(redisReply* reply) {
  Reply r;
  if (!reply) return r;
  r.root_ = std::shared_ptr<redisReply>(reply, [](redisReply* p) { freeReplyObject(p); });
  r.node_ = reply;
  return r;
}

Reply::Type Reply::type() const {
  if (!node_) return Type::None;
  switch (node_->type) {
    case REDIS_REPLY_STRING:
      return Type::String;
    case REDIS_REPLY_ARRAY:
      return Type::Array;
    case REDIS_REPLY_INTEGER:
      return Type::Integer;
    case REDIS_REPLY_NIL:
      return Type::Nil;
    case REDIS_REPLY_STATUS:
      return Type::Status;
    case REDIS_REPLY_ERROR:
      return Type::Error;
    default:
      return Type::None;
  }
}

std::string_view Reply::str() const {
  if (!node_ || !node_->str) return {};
  return {node_->str, node_->len};
}

int64_t Reply::integer() const { return node_ ? node_->integer : 0; }

size_t Reply::size() const { return node_ && node_->type == REDIS_REPLY_ARRAY ? node_->elements : 0; }

Reply Reply::element(size_t i) const {
  Reply r;
  if (i >= size()) return r;
  r.root_ = root_;
  r.node_ = node_->element[i];
  return r;
}

std::string Reply::describe() const {
  switch (type()) {
    case Type::None:
      return "(no reply)";
    case Type::Nil:
      return "(nil)";
    case Type::Integer:
      return "(integer) " + std::to_string(integer());
    case Type::Error:
      return "(error) " + std::string(str());
    case Type::Array:
      return "(array of " + std::to_string(size()) + ")";
    default:
      return std::string(str());
  }
}

}  // namespace cachelab::live
