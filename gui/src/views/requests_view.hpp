#pragma once
// Follow one request (issue 18 part 4): the run's requests.jsonl (`cachelab run --trace-requests N`) as a picker
// filtered by outcome (all, redirected, failed, degraded, the slowest) and the chosen request as a sequence diagram.
// A run without the file, or with a broken one, shows why instead (the reader's message).
#include <memory>
#include <optional>

#include <QWidget>

#include "cachelab/results/request_trace.hpp"
#include "model/run_set.hpp"

class QComboBox;
class QLabel;
class QListWidget;

namespace cachelab::gui {

class SequenceDiagramWidget;

class RequestsView : public QWidget {
  Q_OBJECT
 public:
  explicit RequestsView(const RunSet& runs, QWidget* parent = nullptr);
  // Shows the request with this seq (also choosing the filter "all" when the current one hides it). False when the
  // file has no such request.
  bool selectRequest(std::uint64_t seq);
  // The seq of the request shown, or -1.
  long long shownSeq() const;
  const SequenceDiagramWidget* diagram() const { return diagram_; }
  int listedCount() const;

 private:
  void refill();
  void show(long index);

  std::optional<cachelab::results::RequestTraceFile> file_;
  QComboBox* filter_ = nullptr;
  QListWidget* list_ = nullptr;
  QLabel* title_ = nullptr;
  QLabel* status_ = nullptr;
  SequenceDiagramWidget* diagram_ = nullptr;
  std::vector<std::size_t> listed_;
  long shown_ = -1;
};

}  // namespace cachelab::gui
