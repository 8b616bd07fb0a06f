// A/B compare (issue 18, part 2): two runs of different scenarios, or one scenario with other knobs, show each
// metric's difference with the direction that is better; the tolerance verdicts stay for sim vs live.
#include <QApplication>
#include <QTableWidget>

#include <gtest/gtest.h>

#include "model/effect_table.hpp"
#include "views/compare_view.hpp"
#include "test_dirs.hpp"

namespace {

using namespace cachelab::gui;
using cachelab::testing::fixtureRun;
using cachelab::testing::ScratchRun;

RunPtr load(const std::filesystem::path& p) { return loadRun(QString::fromStdString(p.string())); }

const EffectRow* row(const std::vector<EffectRow>& rows, const std::string& name) {
  for (const auto& r : rows)
    if (r.name == name) return &r;
  return nullptr;
}

QStringList firstColumn(const QTableWidget* t) {
  QStringList out;
  for (int r = 0; r < t->rowCount(); ++r)
    if (t->item(r, 0)) out << t->item(r, 0)->text();
  return out;
}

TEST(EffectTable, DifferencesWithTheBetterDirection) {
  // The fixture has 2130 database requests, a hit ratio of 0.87 and a p99 of 15 ms; the changed copy halves the
  // database load (better), lowers the hit ratio (worse) and keeps the request count.
  ScratchRun changed;
  ASSERT_TRUE(changed.replace("summary.json", "\"requests\": 2130", "\"requests\": 1065"));
  ASSERT_TRUE(changed.replace("summary.json", "\"hit_ratio\": 0.87", "\"hit_ratio\": 0.8"));
  ASSERT_TRUE(changed.replace("summary.json", "\"p99\": 15000.0", "\"p99\": 1500.0"));
  const auto rows = effectRows(compareAgainstReference({load(changed.dir()), load(fixtureRun())}));

  const EffectRow* db = row(rows, "origin.requests");
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->info.label, "database requests");
  EXPECT_DOUBLE_EQ(db->primary, 1065);
  EXPECT_DOUBLE_EQ(db->reference, 2130);
  EXPECT_EQ(db->diffText, QString::fromUtf8("−1,065"));
  EXPECT_EQ(db->relText, QString::fromUtf8("−50%"));
  EXPECT_EQ(db->effect, 1);
  EXPECT_EQ(db->effectText, "better");

  const EffectRow* hr = row(rows, "hit_ratio");
  ASSERT_NE(hr, nullptr);
  EXPECT_EQ(hr->effect, -1);
  EXPECT_EQ(hr->diffText, QString::fromUtf8("−0.0700"));

  const EffectRow* p99 = row(rows, "latency_us.p99");
  ASSERT_NE(p99, nullptr);
  EXPECT_EQ(p99->info.label, "latency p99");
  EXPECT_EQ(p99->primaryText, "1.50 ms");
  EXPECT_EQ(p99->referenceText, "15.0 ms");
  EXPECT_EQ(p99->effect, 1);

  const EffectRow* requests = row(rows, "requests");
  ASSERT_NE(requests, nullptr);
  EXPECT_FALSE(requests->changed());
  EXPECT_EQ(requests->effectText, "same");
}

// Every metric compare lists reads in its unit with a name for people (results/metric_info.hpp, the table the
// command's cells use too): a key hit ratio of 0.9908 against 0.7839, read as a count, was "1" against "1" with a
// difference of "+0" and a relative change of "+26%", and an error rate of 0.0021 was "0".
TEST(EffectTable, EveryMetricReadsInItsUnit) {
  ScratchRun reference, primary;
  ASSERT_TRUE(reference.replace("summary.json", "\"hit_ratio\": 0.87,",
                                "\"hit_ratio\": 0.87, \"key_hit_ratio\": 0.7839, \"error_rate\": 0,"));
  ASSERT_TRUE(primary.replace("summary.json", "\"hit_ratio\": 0.87,",
                              "\"hit_ratio\": 0.87, \"key_hit_ratio\": 0.9908, \"error_rate\": 0.0021,"));
  const auto rows = effectRows(compareAgainstReference({load(primary.dir()), load(reference.dir())}));
  const EffectRow* keys = row(rows, "key_hit_ratio");
  ASSERT_NE(keys, nullptr);
  EXPECT_EQ(keys->info.label, "key hit ratio (keys of reads found)");
  EXPECT_EQ(keys->primaryText, "0.9908");
  EXPECT_EQ(keys->referenceText, "0.7839");
  EXPECT_EQ(keys->diffText, "+0.2069");
  EXPECT_EQ(keys->effectText, "better");
  const EffectRow* errors = row(rows, "error_rate");
  ASSERT_NE(errors, nullptr);
  EXPECT_EQ(errors->info.label, "error rate");
  EXPECT_EQ(errors->primaryText, "0.00210");
  EXPECT_EQ(errors->effectText, "worse");
  // No row falls back to its raw name: every name compare lists is in the table.
  for (const auto& r : rows) EXPECT_TRUE(cachelab::results::metric_info(r.name).known) << r.name;
}

TEST(EffectTable, NumbersReadAtTheirMagnitude) {
  EXPECT_EQ(formatRelative(1.03), "+103%");
  EXPECT_EQ(formatRelative(-0.042), QString::fromUtf8("−4.2%"));
  EXPECT_EQ(formatRelative(0.0035), "+0.35%");
  EXPECT_EQ(formatRelative(-1e-6), "<0.01%");
  EXPECT_EQ(formatSignedMetric(7229.6, MetricUnit::Micros), "+7.23 ms");
  EXPECT_EQ(formatSignedMetric(0, MetricUnit::Count), "0");
  EXPECT_EQ(formatMetric(2.5e6, MetricUnit::Micros), "2.50 s");
}

TEST(EffectTable, VerdictsOnlyForSimAndLiveOfOneScenario) {
  ScratchRun live, other;
  ASSERT_TRUE(live.replace("run.json", "\"mode\": \"sim\"", "\"mode\": \"live\""));
  ASSERT_TRUE(other.replace("run.json", "\"name\": \"run-small\"", "\"name\": \"run-other\""));
  const RunPtr sim = load(fixtureRun());
  EXPECT_TRUE(isSimLivePair({sim, load(live.dir())}));
  EXPECT_FALSE(isSimLivePair({sim, load(other.dir())}));
  EXPECT_FALSE(isSimLivePair({sim, sim}));

  // The view: tolerance verdicts for sim vs live, the effect table for two scenarios.
  CompareView pair({sim, load(live.dir())});
  EXPECT_EQ(pair.findChild<QTableWidget*>("effects"), nullptr);
  bool verdictRow = false;
  for (auto* t : pair.findChildren<QTableWidget*>())
    verdictRow = verdictRow || firstColumn(t).contains("cachelab compare");
  EXPECT_TRUE(verdictRow);

  CompareView ab({load(other.dir()), sim});
  auto* effects = ab.findChild<QTableWidget*>("effects");
  ASSERT_NE(effects, nullptr);
  for (auto* t : ab.findChildren<QTableWidget*>()) EXPECT_FALSE(firstColumn(t).contains("cachelab compare"));
  // Identical summaries: every row is unchanged, so every row is hidden until asked for.
  int visible = 0;
  for (int r = 0; r < effects->rowCount(); ++r) visible += effects->isRowHidden(r) ? 0 : 1;
  EXPECT_EQ(visible, 0);
  EXPECT_GT(effects->rowCount(), 20);
}

}  // namespace
