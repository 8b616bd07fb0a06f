#include "model/knob_tree.hpp"

#include <cmath>

#include <QLocale>

#include "cachelab/scenario/loader.hpp"
#include "model/scenario_edit.hpp"

namespace cachelab::gui {
namespace {

using cachelab::schema::FieldSpec;
using cachelab::schema::Kind;
using cachelab::schema::ObjectSpec;
using nlohmann::json;

// Bounds as people read them: 10,000,000 rather than 1e+07; only huge ones (2^53) in scientific notation.
QString num(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e13) return QLocale(QLocale::English).toString(static_cast<qlonglong>(v));
  return QString::number(v, 'g', 3);
}

// Interval notation for the declared bounds: [1, 1000], (0, 1], ≥ 0, < 100.
QString rangeText(const FieldSpec& f) {
  if (f.kind != Kind::Integer && f.kind != Kind::Number && f.kind != Kind::Size) return {};
  const bool lo = std::isfinite(f.lo), hi = std::isfinite(f.hi);
  if (lo && hi) return QString("%1%2, %3%4").arg(f.lo_open ? "(" : "[", num(f.lo), num(f.hi), f.hi_open ? ")" : "]");
  if (lo) return (f.lo_open ? "> " : QString::fromUtf8("≥ ")) + num(f.lo);
  if (hi) return (f.hi_open ? "< " : QString::fromUtf8("≤ ")) + num(f.hi);
  return {};
}

// The schema's type text (what `cachelab knobs` prints), with a hint where a field takes a special form.
QString typeText(const FieldSpec& f) {
  const QString base = QString::fromStdString(kind_text(f));
  switch (f.kind) {
    case Kind::String:
      return f.check_doc.empty() ? base : base + " (" + QString::fromStdString(f.check_doc) + ")";
    case Kind::Size:
      return base + " (bytes, or \"256mb\")";
    case Kind::Enum:
      return "one of " + base;
    default:
      return base;
  }
}

const ObjectSpec* variantSpec(const FieldSpec& f, const json& value) {
  if (!value.is_object() || !value.contains(f.tag) || !value[f.tag].is_string()) return nullptr;
  for (const auto& [n, spec] : f.variants)
    if (n == value[f.tag].get<std::string>()) return spec.get();
  return nullptr;
}

void fillObject(const ObjectSpec& spec, const json& value, const QString& prefix, std::vector<KnobNode>& out);

KnobNode makeNode(const FieldSpec& f, const json& value, const QString& pointer, const QString& name) {
  KnobNode n;
  n.pointer = pointer;
  n.name = name;
  n.type = typeText(f);
  n.range = rangeText(f);
  n.unit = QString::fromStdString(f.unit);
  n.doc = QString::fromStdString(f.doc);
  n.defaultText = f.required ? "(required)" : f.kind == Kind::Object ? QString() : knobValueText(f.def);
  n.value = value;
  if (f.kind == Kind::Enum)
    for (const auto& c : f.choices) n.choices << QString::fromStdString(c);
  if (f.kind == Kind::Boolean) n.choices = {"true", "false"};
  if (f.kind == Kind::Variant) {
    n.variantTag = QString::fromStdString(f.tag);
    for (const auto& [v, _] : f.variants) n.choices << QString::fromStdString(v);
    if (f.nullable) n.choices << "null";
    if (const ObjectSpec* vs = variantSpec(f, value)) fillObject(*vs, value, pointer, n.children);
  }
  if (f.kind == Kind::Object && f.object && value.is_object()) fillObject(*f.object, value, pointer, n.children);
  if (f.kind == Kind::Array && value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      const QString p = pointer + "/" + QString::number(i);
      KnobNode el;
      el.pointer = p;
      el.name = QString("[%1]").arg(i);
      el.type = "element";
      el.value = value[i];
      el.editable = false;
      if (!f.tag.empty()) {  // a variant array (the fault timeline): the element's tag picks its fields
        FieldSpec as_variant = f;
        as_variant.kind = Kind::Variant;
        if (const ObjectSpec* vs = variantSpec(as_variant, value[i])) {
          el.type = QString::fromStdString(f.tag) + " " + QString::fromStdString(value[i][f.tag].get<std::string>());
          fillObject(*vs, value[i], p, el.children);
        }
      } else if (f.object) {
        fillObject(*f.object, value[i], p, el.children);
      }
      n.children.push_back(std::move(el));
    }
  }
  return n;
}

void fillObject(const ObjectSpec& spec, const json& value, const QString& prefix, std::vector<KnobNode>& out) {
  for (const auto& f : spec.fields) {
    const json v = value.is_object() && value.contains(f.name) ? value[f.name] : json();
    const QString name = QString::fromStdString(f.name);
    out.push_back(makeNode(f, v, prefix + "/" + name, name));
  }
}

}  // namespace

std::vector<KnobNode> knobTree(const json& resolved) {
  std::vector<KnobNode> out;
  fillObject(cachelab::scenario_spec(), resolved, "", out);
  return out;
}

QString knobAssignmentText(const KnobNode& node, const QString& text) {
  if (node.variantTag.isEmpty() || text == "null" || text.trimmed().startsWith('{')) return text;
  return QString::fromStdString(json{{node.variantTag.toStdString(), text.toStdString()}}.dump());
}

const KnobNode* findKnob(const std::vector<KnobNode>& tree, const QString& pointer) {
  for (const auto& n : tree) {
    if (n.pointer == pointer) return &n;
    if (pointer.startsWith(n.pointer + "/"))
      if (const KnobNode* hit = findKnob(n.children, pointer)) return hit;
  }
  return nullptr;
}

}  // namespace cachelab::gui
