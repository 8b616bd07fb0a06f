#!/usr/bin/env python3
"""The include check of the kernel's layers (issue 14 part 5; sim/README.md, "Modules").

Usage: check_layers.py SIM_DIR MODULES_JSON

MODULES_JSON is written by CMake from sim/cmake/modules.cmake, the one declaration of the modules and their
dependencies. Every `#include "cachelab/<module>/..."` in SIM_DIR/src and SIM_DIR/include must name the including
file's own module, one of its DEPS, or one of its PENDING edges (inversions still to move away; printed). Fails on a
forbidden include (file, line, the edge), a cycle among DEPS, a dependency on a module declared later, a file in no
module, and a PENDING edge no longer used (remove it from modules.cmake).
"""
import json
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*"cachelab/([^"]+)"')


def main():
    sim_dir, table_path = sys.argv[1], sys.argv[2]
    with open(table_path, encoding="utf-8") as f:
        modules = json.load(f)  # insertion order = declaration order, bottom to top
    order = list(modules)
    by_dir, by_header = {}, {}
    for m, spec in modules.items():
        for d in spec["dirs"]:
            by_dir[d] = m
        for h in spec["headers"]:
            by_header[h] = m
    errors = []

    # The declaration itself: dependencies point down (declared earlier), so DEPS form a DAG.
    for i, (m, spec) in enumerate(modules.items()):
        for d in spec["deps"] + spec["pending"]:
            if d not in modules:
                errors.append(f"sim/cmake/modules.cmake: {m} depends on unknown module {d}")
        for d in spec["deps"]:
            if d in modules and order.index(d) >= i:
                errors.append(f"sim/cmake/modules.cmake: {m} depends on {d}, which is declared above it: "
                              f"declare modules bottom to top")

    def module_of(rel):  # rel: a path under include/cachelab/ or src/
        if rel in by_header:
            return by_header[rel]
        return by_dir.get(rel.split("/")[0])

    used_pending = set()
    notes = []
    for root, prefix in ((os.path.join(sim_dir, "include", "cachelab"), "sim/include/cachelab/"),
                         (os.path.join(sim_dir, "src"), "sim/src/")):
        for dirpath, _, files in os.walk(root):
            for name in sorted(files):
                if not name.endswith((".hpp", ".cpp", ".h", ".inc")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root).replace(os.sep, "/")
                here = module_of(rel)
                shown = prefix + rel
                if here is None:
                    errors.append(f"{shown}: in no module (sim/cmake/modules.cmake)")
                    continue
                spec = modules[here]
                with open(path, encoding="utf-8") as f:
                    for line_no, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = module_of(m.group(1))
                        if target is None:
                            errors.append(f"{shown}:{line_no}: includes cachelab/{m.group(1)}, in no module")
                        elif target == here or target in spec["deps"]:
                            continue
                        elif target in spec["pending"]:
                            used_pending.add((here, target))
                            notes.append(f"{shown}:{line_no}: pending inversion {here} -> {target} "
                                         f"(cachelab/{m.group(1)})")
                        else:
                            errors.append(f"{shown}:{line_no}: {here} may not include {target} "
                                          f"(cachelab/{m.group(1)}): {here} depends on "
                                          f"{', '.join(spec['deps']) or 'nothing'} (sim/cmake/modules.cmake)")
    for m, spec in modules.items():
        for d in spec["pending"]:
            if (m, d) not in used_pending:
                errors.append(f"sim/cmake/modules.cmake: the pending edge {m} -> {d} is no longer used: remove it")
    for n in notes:
        print("note:", n)
    for e in errors:
        print("error:", e)
    if errors:
        print(f"{len(errors)} layering error(s)")
        return 1
    print(f"layers ok: {len(modules)} modules, {len(notes)} include(s) on pending edges")
    return 0


if __name__ == "__main__":
    sys.exit(main())
