#include "views/requests_view.hpp"

#include <filesystem>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

#include "model/request_trace_model.hpp"
#include "widgets/sequence_diagram_widget.hpp"

namespace cachelab::gui {

RequestsView::RequestsView(const RunSet& runs, QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  status_ = new QLabel(this);
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(status_);

  const auto& run = *runs.front();
  const std::filesystem::path path = run.dir / cachelab::results::kRequestsFile;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    status_->setText("This run has no " + QString(cachelab::results::kRequestsFile) +
                     ". Run the scenario with <code>cachelab run FILE --trace-requests N</code> (add "
                     "<code>--trace-window FROM:TO</code> to sample the seconds around a fault) to follow requests "
                     "hop by hop.");
    layout->addStretch();
    return;
  }
  try {
    file_ = cachelab::results::load_requests(run.dir);
  } catch (const std::exception& e) {  // a broken file: say what is wrong, draw nothing
    status_->setText("Cannot show the requests: " + QString::fromStdString(e.what()).toHtmlEscaped());
    layout->addStretch();
    return;
  }
  const auto& f = *file_;
  status_->setText(QString("%1 requests followed of %2 issued%3 (%4)")
                       .arg(f.requests.size())
                       .arg(f.seen)
                       .arg(f.from_s > 0 || !std::isnan(f.to_s)
                                ? QString(" between %1 s and %2")
                                      .arg(f.from_s)
                                      .arg(std::isnan(f.to_s) ? QString("the end") : QString::number(f.to_s) + " s")
                                : QString())
                       .arg(QString::fromStdString(f.sample)));

  auto* split = new QSplitter(Qt::Horizontal, this);
  auto* left = new QWidget(split);
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  auto* row = new QHBoxLayout;
  row->addWidget(new QLabel("Show", left));
  filter_ = new QComboBox(left);
  filter_->addItems({"all", "redirected (MOVED/ASK)", "failed", "degraded", "slowest 20"});
  row->addWidget(filter_, 1);
  leftLayout->addLayout(row);
  list_ = new QListWidget(left);
  leftLayout->addWidget(list_, 1);

  auto* right = new QWidget(split);
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(0, 0, 0, 0);
  title_ = new QLabel(right);
  title_->setWordWrap(true);
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  rightLayout->addWidget(title_);
  diagram_ = new SequenceDiagramWidget(right);
  auto* scroll = new QScrollArea(right);
  scroll->setWidget(diagram_);
  scroll->setWidgetResizable(true);
  rightLayout->addWidget(scroll, 1);
  split->addWidget(left);
  split->addWidget(right);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 3);
  split->setSizes({330, 950});
  layout->addWidget(split, 1);

  connect(filter_, &QComboBox::currentIndexChanged, this, [this] { refill(); });
  connect(list_, &QListWidget::currentRowChanged, this, [this](int r) {
    if (r >= 0 && static_cast<std::size_t>(r) < listed_.size()) show(static_cast<long>(listed_[r]));
  });
  const long first = defaultRequest(f);
  if (first >= 0 && f.requests[static_cast<std::size_t>(first)].redirects > 0)
    filter_->setCurrentIndex(1);
  else if (first >= 0 && f.requests[static_cast<std::size_t>(first)].outcome == "failed")
    filter_->setCurrentIndex(2);
  refill();
}

void RequestsView::refill() {
  if (!file_) return;
  const auto filter = static_cast<RequestFilter>(filter_->currentIndex());
  listed_ = filterRequests(*file_, filter, 20);
  const QSignalBlocker block(list_);
  list_->clear();
  for (std::size_t i : listed_) list_->addItem(requestListLabel(file_->requests[i]));
  if (listed_.empty()) {
    show(-1);
    return;
  }
  list_->setCurrentRow(0);
  show(static_cast<long>(listed_.front()));
}

void RequestsView::show(long index) {
  shown_ = index;
  if (index < 0) {
    title_->setText("No request matches this filter.");
    diagram_->setDiagram({}, 0);
    return;
  }
  const auto& r = file_->requests[static_cast<std::size_t>(index)];
  SequenceDiagram d = buildSequence(r);
  title_->setText("<b>" + d.title.toHtmlEscaped() + "</b><br>" + requestListLabel(r).toHtmlEscaped());
  diagram_->setDiagram(std::move(d), r.due_ns);
}

bool RequestsView::selectRequest(std::uint64_t seq) {
  if (!file_) return false;
  const long index = findRequest(*file_, seq);
  if (index < 0) return false;
  auto row = std::find(listed_.begin(), listed_.end(), static_cast<std::size_t>(index));
  if (row == listed_.end()) {
    filter_->setCurrentIndex(0);  // refills with every request
    row = std::find(listed_.begin(), listed_.end(), static_cast<std::size_t>(index));
  }
  list_->setCurrentRow(static_cast<int>(row - listed_.begin()));
  show(index);
  return true;
}

long long RequestsView::shownSeq() const {
  return file_ && shown_ >= 0 ? static_cast<long long>(file_->requests[static_cast<std::size_t>(shown_)].seq) : -1;
}

int RequestsView::listedCount() const { return static_cast<int>(listed_.size()); }

}  // namespace cachelab::gui
