#pragma once
// The knob panel's tree, generated from sim's knob declarations (scenario_spec(): the same table `cachelab knobs`
// prints) and filled with a resolved scenario's values: one node per knob with its type, unit, range, default,
// doc and, for enums and variants, the allowed values. Arrays show one group per element.
#include <vector>

#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace cachelab::gui {

struct KnobNode {
  QString pointer;  // JSON Pointer in the scenario: "/cluster/masters", "/faults/0/at_s"
  QString name;     // the key, or "[i]" for an array element
  QString type;     // integer, number, boolean, string, size, enum, object, array, or "<tag>: a|b|c"
  QString range;    // "[1, 1000]", "> 0", "" when unbounded
  QString unit, doc, defaultText;
  QStringList choices;   // enum values, variant names (with "null" when it may be off), true/false
  nlohmann::json value;  // the resolved value (null when absent or off)
  QString variantTag;    // a variant ("dist", "action"): choosing a value replaces the object by {tag: value}
  bool editable = true;  // array elements' groups are not: their fields are
  std::vector<KnobNode> children;
};

std::vector<KnobNode> knobTree(const nlohmann::json& resolved);

// The `--set` value text that sets `node` to the value the user typed or picked: the text itself, or for a
// variant `{"dist":"lognormal"}` (the loader then names the parameters the new choice needs).
QString knobAssignmentText(const KnobNode& node, const QString& text);

// Depth-first search by pointer; nullptr when absent.
const KnobNode* findKnob(const std::vector<KnobNode>& tree, const QString& pointer);

}  // namespace cachelab::gui
