#include "model/event_details.hpp"

#include <QStringList>

#include "app/format.hpp"
#include "cachelab/io/number_format.hpp"

namespace cachelab::gui {
namespace {

bool eventDetailsIsBytes(const std::string& key) {
  return key.size() >= 6 && key.compare(key.size() - 6, 6, "_bytes") == 0;
}

QString eventDetailsValue(const std::string& key, const nlohmann::json& v);

// A node as the layout lists it: its name, then its role, master, slots and size ("master-1 (master, slots 0-5460,
// maxmemory 64.0 MiB)").
QString eventDetailsNode(const nlohmann::json& n) {
  QStringList parts;
  const std::string role = n.value("role", std::string());
  if (n.contains("master") && n["master"].is_string())
    parts << QString::fromStdString(role.empty() ? "replica" : role) + " of " +
                 QString::fromStdString(n["master"].get<std::string>());
  else if (!role.empty())
    parts << QString::fromStdString(role);
  for (const auto& [k, v] : n.items()) {
    if (k == "node" || k == "role" || k == "master" || v.is_null()) continue;
    if (k == "slot_ranges") {
      if (!v.empty()) parts << "slots " + eventDetailsValue(k, v);
      continue;
    }
    parts << QString::fromStdString(k == "maxmemory_bytes" ? std::string("maxmemory") : k) + " " +
                 eventDetailsValue(k, v);
  }
  return QString::fromStdString(n["node"].get<std::string>()) + (parts.empty() ? "" : " (" + parts.join(", ") + ")");
}

QString eventDetailsValue(const std::string& key, const nlohmann::json& v) {
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_number()) {
    const double x = v.get<double>();
    if (eventDetailsIsBytes(key)) return formatBytes(x);
    // A slot number (slot, slot_ranges) and an epoch (epoch, config_epoch) are names, not amounts: "slot 5461";
    // a count of slots ("slots 2,000" of a reshard) is an amount.
    const bool epoch = key.size() >= 5 && key.compare(key.size() - 5, 5, "epoch") == 0;
    if ((v.is_number_integer() || v.is_number_unsigned()) && (key == "slot" || key == "slot_ranges" || epoch))
      return QString::number(v.get<long long>());
    if (v.is_number_integer() || v.is_number_unsigned()) return formatCount(x);
    return QString::fromStdString(cachelab::fmt::sig(x, 4));
  }
  if (v.is_string()) return QString::fromStdString(v.get<std::string>());
  if (v.is_array()) {
    QStringList items;
    if (key == "slot_ranges") {  // [[first, last], ...]
      for (const auto& r : v)
        if (r.is_array() && r.size() == 2 && r[0].is_number() && r[1].is_number())
          items << (r[0] == r[1] ? eventDetailsValue(key, r[0])
                                 : eventDetailsValue(key, r[0]) + "-" + eventDetailsValue(key, r[1]));
      return items.join(", ");
    }
    bool objects = false;
    for (const auto& e : v) {
      if (e.is_object() && e.contains("node") && e["node"].is_string()) {
        items << eventDetailsNode(e);
        objects = true;
      } else if (e.is_array()) {
        items << "[" + eventDetailsValue(key, e) + "]";
      } else {
        items << eventDetailsValue(key, e);
      }
    }
    return items.join(objects ? "; " : ", ");
  }
  if (v.is_object()) {
    if (v.contains("node") && v["node"].is_string()) return eventDetailsNode(v);
    QStringList parts;
    for (const auto& [k, x] : v.items())
      if (!x.is_null()) parts << QString::fromStdString(k) + " " + eventDetailsValue(k, x);
    return "(" + parts.join(", ") + ")";
  }
  return {};
}

}  // namespace

QString eventDetailsText(const nlohmann::json& details) {
  QStringList parts;
  for (const auto& [k, v] : details.items())
    if (!v.is_null()) parts << QString::fromStdString(k) + " " + eventDetailsValue(k, v);
  return parts.join(", ");
}

}  // namespace cachelab::gui
