#pragma once
// Internal to the run session: the scenario's fault timeline, the same in both modes. Every action is checked
// against the world's FaultTarget before anything runs (supports()), scheduled at its time on the world's scheduler
// in file order, written to events.jsonl as a `fault` row and applied through its registered FaultKind. Faults on
// the client side (client_crash: an application instance loses its write-behind buffer; client_pause: it stalls) act
// on the session's client logic whatever the world, so the world's target never sees them.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/client/client_logic.hpp"
#include "cachelab/core/scheduler.hpp"
#include "cachelab/faults/fault.hpp"

namespace cachelab {

class RunSession;

class FaultTimeline final : private EventHandler, private FaultTarget {
 public:
  // Throws std::invalid_argument naming the first fault `world` refuses and why.
  FaultTimeline(const nlohmann::json& faults, FaultTarget& world, RunSession& session);
  // Schedules every fault; call once, after the world has started.
  void schedule(Scheduler& sched);

 private:
  void on_event(Time now, uint64_t index) override;

  // FaultTarget: the world's, except for the client side.
  int node_index(const std::string& name) const override { return world_.node_index(name); }
  bool supports(const std::string& action, std::string* why) const override { return world_.supports(action, why); }
  void reshard(int from, int to, int count) override { world_.reshard(from, to, count); }
  void kill(int node) override { world_.kill(node); }
  void restart(int node) override { world_.restart(node); }
  void pause(int node) override { world_.pause(node); }
  void resume(int node) override { world_.resume(node); }
  void partition(const std::vector<int>& side, bool bus_only) override { world_.partition(side, bus_only); }
  void partition_clients(const std::vector<int>& nodes, const std::vector<int>& clients) override {
    world_.partition_clients(nodes, clients);
  }
  const Placement* placement() const override { return world_.placement(); }
  void heal() override { world_.heal(); }
  void failover(int replica, const std::string& mode) override { world_.failover(replica, mode); }
  void add_node() override { world_.add_node(); }
  void remove_node(int node) override { world_.remove_node(node); }
  void crash_client(int instance) override;
  void pause_client(int instance, double duration_ms) override;
  void change_links(const std::vector<int>& from, const std::vector<int>& to, const nlohmann::json& latency_us,
                    const nlohmann::json& loss, bool one_way) override {
    world_.change_links(from, to, latency_us, loss, one_way);
  }
  void slow_node(int node, double factor, double duration_s) override { world_.slow_node(node, factor, duration_s); }

  struct Item {
    Time at;
    const FaultKind* kind;
    nlohmann::json row;  // the item as given
  };
  std::vector<Item> items_;
  FaultTarget& world_;
  RunSession& session_;
  Scheduler* sched_ = nullptr;
};

}  // namespace cachelab
