#include "live/client/slot_map.hpp"

#include <algorithm>
#include <set>

#include "live/client/slot_hash.hpp"

namespace cachelab::live {
namespace {

std::optional<Endpoint> endpoint_of(const Reply& node, const Endpoint& replied_by) {
  // [host, port, id, {metadata}]: host may be "" (unknown: use the host we asked) or "?" (no endpoint).
  if (node.type() != Reply::Type::Array || node.size() < 2) return std::nullopt;
  if (node.element(1).type() != Reply::Type::Integer) return std::nullopt;
  std::string host(node.element(0).str());
  if (host == "?") return std::nullopt;
  if (host.empty()) host = replied_by.host;
  return Endpoint{host, static_cast<int>(node.element(1).integer())};
}

}  // namespace

uint16_t SlotMap::index_of(const Endpoint& node) {
  auto it = std::find(nodes_.begin(), nodes_.end(), node);
  if (it != nodes_.end()) return static_cast<uint16_t>(it - nodes_.begin());
  nodes_.push_back(node);
  return static_cast<uint16_t>(nodes_.size() - 1);
}

void SlotMap::assign_all(const Endpoint& node) {
  nodes_.clear();
  replicas_.clear();
  owner_.fill(index_of(node));
}

bool SlotMap::load_cluster_slots(const Reply& reply, const Endpoint& replied_by) {
  if (reply.type() != Reply::Type::Array) return false;
  SlotMap fresh;
  std::set<Endpoint> replicas;
  for (size_t i = 0; i < reply.size(); ++i) {
    Reply range = reply.element(i);
    if (range.size() < 3 || range.element(0).type() != Reply::Type::Integer) return false;
    const auto first = range.element(0).integer(), last = range.element(1).integer();
    if (first < 0 || last >= kClusterSlots || first > last) return false;
    auto master = endpoint_of(range.element(2), replied_by);
    if (!master) continue;
    const uint16_t idx = fresh.index_of(*master);
    std::fill(fresh.owner_.begin() + first, fresh.owner_.begin() + last + 1, idx);
    for (size_t r = 3; r < range.size(); ++r)
      if (auto rep = endpoint_of(range.element(r), replied_by)) replicas.insert(*rep);
  }
  fresh.replicas_.assign(replicas.begin(), replicas.end());
  *this = std::move(fresh);
  return true;
}

void SlotMap::set(int slot, const Endpoint& node) {
  if (slot < 0 || slot >= kClusterSlots) return;
  owner_[slot] = index_of(node);
}

std::optional<Endpoint> SlotMap::owner(int slot) const {
  if (slot < 0 || slot >= kClusterSlots || owner_[slot] == kNone) return std::nullopt;
  return nodes_[owner_[slot]];
}

int SlotMap::covered_slots() const {
  return static_cast<int>(std::count_if(owner_.begin(), owner_.end(), [](uint16_t o) { return o != kNone; }));
}

std::vector<Endpoint> SlotMap::known_nodes() const {
  std::vector<Endpoint> masters;
  for (uint16_t o : owner_)
    if (o != kNone && std::find(masters.begin(), masters.end(), nodes_[o]) == masters.end())
      masters.push_back(nodes_[o]);
  for (const auto& r : replicas_)
    if (std::find(masters.begin(), masters.end(), r) == masters.end()) masters.push_back(r);
  return masters;
}

}  // namespace cachelab::live
