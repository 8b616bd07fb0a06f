#pragma once
// The scenario's fault timeline on real servers: live mode's FaultTarget (sim/include/cachelab/faults/fault.hpp),
// dispatched by the run session exactly as the simulator's. Each action is a method here, done for real on the
// servers of a spawned lab (FaultInjector: signals, CLUSTER FAILOVER; reshard: redis-cli's migration, beside the
// workload on its own connections). What live mode cannot do is refused up front with the reason (supports(),
// refusal()), never silently skipped. Adding a live fault: its method here and its name in
// FaultInjector::check_supported.
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/core/scheduler.hpp"
#include "cachelab/faults/fault.hpp"
#include "live/faults/fault_injector.hpp"
#include "live/lab/lab.hpp"
#include "live/replay/failover_watch.hpp"

namespace cachelab::live {

class LiveFaultTarget final : public FaultTarget {
 public:
  using EventSink = std::function<void(nlohmann::json)>;
  // Why live mode cannot do `action` ("" when it can). `spawned`: the servers are ours (--spawn), so process faults
  // are possible; against --redis only client-side faults are.
  static std::string refusal(const std::string& action, bool spawned);

  // `lab`: null against --redis. `names`: the results' node names (master-1 ...), `lab_names` the lab's own (the
  // same except "standalone"), index for index. `clock`: the run's clock, for the reshards' times.
  LiveFaultTarget(Lab* lab, std::vector<std::string> names, std::vector<std::string> lab_names,
                  const WallScheduler& clock, EventSink events);
  // The failover watcher stops polling a node before it goes away (a paused node would stall its poll).
  void set_watch(FailoverWatch* watch) { watch_ = watch; }
  // Waits for the reshards still running (their failure fails the run): a `reshard_end` event each, and the
  // summary's `resharding` entries in start order.
  nlohmann::json finish_reshards();
  bool resharded() const { return !reshards_.empty(); }

  bool supports(const std::string& action, std::string* why) const override;
  int node_index(const std::string& name) const override;
  void reshard(int from, int to, int count) override;
  void kill(int node) override;
  void restart(int node) override;
  void pause(int node) override;
  void resume(int node) override;
  void failover(int replica, const std::string& mode) override;
  // Refused up front (supports()); reaching one is a logic error.
  void partition(const std::vector<int>& side, bool bus_only) override;
  void heal() override;
  void add_node() override;
  void remove_node(int node) override;

 private:
  const std::string& lab_name(int node) const;
  const std::string& name(int node) const;
  [[noreturn]] void unreachable(const char* action) const;

  Lab* lab_;
  std::optional<FaultInjector> injector_;
  std::vector<std::string> names_, lab_names_;
  const WallScheduler& clock_;
  EventSink events_;
  FailoverWatch* watch_ = nullptr;
  std::vector<std::future<nlohmann::json>> reshards_;
};

}  // namespace cachelab::live
