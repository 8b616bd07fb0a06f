#include "cachelab/cluster/migration.hpp"

namespace cachelab {

Migrator::Migrator(Simulation& sim, std::vector<Node>& nodes, Network& net, const KeyNamer& namer, EventSink events)
    : sim_(sim), nodes_(nodes), net_(net), namer_(namer), events_(std::move(events)), member_(nodes.size(), 1) {}

void Migrator::set_member(int node, bool member) {
  if (static_cast<size_t>(node) >= member_.size()) member_.resize(static_cast<size_t>(node) + 1, 1);
  member_[static_cast<size_t>(node)] = member ? 1 : 0;
}

void Migrator::reshard(int from, int to, int count) {
  std::vector<int> slots;
  for (int slot = 0; slot < 16384 && static_cast<int>(slots.size()) < count; ++slot)
    if (nodes_[static_cast<size_t>(from)].owner(slot) == from) slots.push_back(slot);
  move_slots(from, to, std::move(slots), -1);
}

void Migrator::move_slots(int from, int to, std::vector<int> slots, int group) {
  queue_.push_back(Job{from, to, std::move(slots), 0, reports_.size()});
  Report r;
  r.from = from;
  r.to = to;
  r.t_start_s = sim_.now().seconds();
  r.group = group;
  reports_.push_back(r);
  if (!busy_) start_next_job();
}

void Migrator::start_next_job() {
  bool finished_any = false;
  while (!queue_.empty() && queue_.front().next >= queue_.front().slots.size()) {
    finished_any = true;
    // Finished (or empty) job.
    Report& r = reports_[queue_.front().report];
    r.t_end_s = sim_.now().seconds();
    events_({{"t_s", r.t_end_s},
             {"type", "reshard_end"},
             {"from", nodes_[static_cast<size_t>(r.from)].name()},
             {"to", nodes_[static_cast<size_t>(r.to)].name()},
             {"slots", r.slots},
             {"keys_moved", r.keys_moved}});
    queue_.erase(queue_.begin());
  }
  if (queue_.empty()) {
    busy_ = false;
    if (finished_any && on_idle) on_idle();
    return;
  }
  busy_ = true;
  Job& job = queue_.front();
  if (job.next == 0) {
    reports_[job.report].t_start_s = sim_.now().seconds();  // queued moves start when the previous one ends
    events_({{"t_s", sim_.now().seconds()},
             {"type", "reshard_start"},
             {"from", nodes_[static_cast<size_t>(job.from)].name()},
             {"to", nodes_[static_cast<size_t>(job.to)].name()},
             {"slots", job.slots.size()}});
  }
  slot_ = job.slots[job.next];
  slot_started_ = sim_.now();
  command(job.to, kImporting);
}

void Migrator::command(int node, Step step) {
  const Time rtt = net_.sample_rtt();
  const Time there = Time::ns(rtt.nanos() / 2);
  cmd_node_ = node;
  cmd_step_ = step;
  cmd_back_ = rtt - there;
  ++reports_[queue_.front().report].commands;
  sim_.at(sim_.now() + there, this, static_cast<uint64_t>(step) << 1);
}

Time Migrator::run_step(Node& n, Step step, Time arrival) {
  Job& job = queue_.front();
  Node& source = nodes_[static_cast<size_t>(job.from)];
  Node& target = nodes_[static_cast<size_t>(job.to)];
  switch (step) {
    case kImporting:
      n.set_importing(slot_, static_cast<uint16_t>(job.from));
      break;
    case kMigrating:
      n.set_migrating(slot_, static_cast<uint16_t>(job.to));
      break;
    case kGetKeys:
      batch_.clear();
      n.store().keys_in_slot(static_cast<uint16_t>(slot_), kPipeline, batch_);
      break;
    case kMigrate: {
      // MIGRATE is synchronous: the source serialises the batch, sends it, waits for the target to RESTORE it,
      // then deletes the keys. Its thread is blocked for the whole exchange.
      const Time per_key = n.sample_service();
      const Time serialized = n.occupy(arrival, per_key * static_cast<int64_t>(batch_.size()));
      const Time link = net_.sample_rtt();
      const Time restored =
          target.occupy(serialized + Time::ns(link.nanos() / 2), per_key * static_cast<int64_t>(batch_.size()));
      const Time acked = restored + (link - Time::ns(link.nanos() / 2));
      Report* rep = &reports_[job.report];
      for (uint64_t key : batch_) {
        if (!source.store().exists(key, arrival)) {  // an expired key is not migrated; it goes away
          source.mutable_store().del(key, arrival);
          continue;
        }
        const Store::Entry e = source.store().peek(key);
        target.mutable_store().make_room(arrival);
        // With workload.hash_objects every data key is a hash (the locks are strings).
        const bool hash = target.store().config().hash.fields > 0 && !(key & kLockKeyBit);
        target.mutable_store().set(key, static_cast<uint32_t>(namer_.length(key)), e.value_bytes, e.expire_at_ms,
                                   arrival, static_cast<uint16_t>(slot_), 0, e.version, hash);
        source.mutable_store().del(key, arrival);
        if (rep) {
          ++rep->keys_moved;
          rep->bytes_moved += e.value_bytes;
        }
      }
      return n.occupy(serialized, (acked - serialized) + per_key * static_cast<int64_t>(batch_.size()));
    }
    case kSetNodeTarget:
      n.set_owner(slot_, static_cast<uint16_t>(job.to));
      n.set_importing(slot_, Node::kNoNode);
      break;
    case kSetNodeSource:
    case kSetNodeOther:
      n.set_owner(slot_, static_cast<uint16_t>(job.to));
      n.set_migrating(slot_, Node::kNoNode);
      break;
    case kNextSlot:
      break;
  }
  return n.occupy(arrival, n.sample_service());
}

void Migrator::on_event(Time now, uint64_t tag) {
  const Step step = static_cast<Step>(tag >> 1);
  if ((tag & 1) == 0) {  // the command reaches its node
    const Time done = run_step(nodes_[static_cast<size_t>(cmd_node_)], step, now);
    sim_.at(done + cmd_back_, this, (static_cast<uint64_t>(step) << 1) | 1);
    return;
  }
  Job& job = queue_.front();
  auto next_other = [&](int after) {
    for (int i = after + 1; i < static_cast<int>(nodes_.size()); ++i)
      if (i != job.from && i != job.to && member_[static_cast<size_t>(i)]) return i;
    return -1;
  };
  auto finish_slot = [&] {
    ++reports_[job.report].slots;
    events_({{"t_s", now.seconds()},
             {"type", "slot_moved"},
             {"slot", slot_},
             {"from", nodes_[static_cast<size_t>(job.from)].name()},
             {"to", nodes_[static_cast<size_t>(job.to)].name()},
             {"t_start_s", slot_started_.seconds()}});  // SETSLOT IMPORTING sent: the slot was migrating since
    ++job.next;
    start_next_job();
  };
  switch (step) {
    case kImporting:
      command(job.from, kMigrating);
      break;
    case kMigrating:
      command(job.from, kGetKeys);
      break;
    case kGetKeys:
      if (batch_.empty())
        command(job.to, kSetNodeTarget);
      else
        command(job.from, kMigrate);
      break;
    case kMigrate:
      command(job.from, kGetKeys);
      break;
    case kSetNodeTarget:
      command(job.from, kSetNodeSource);
      break;
    case kSetNodeSource:
    case kSetNodeOther: {
      other_ = next_other(step == kSetNodeSource ? -1 : cmd_node_);
      if (other_ >= 0)
        command(other_, kSetNodeOther);
      else
        finish_slot();
      break;
    }
    case kNextSlot:
      break;
  }
}

}  // namespace cachelab
