#!/usr/bin/env python3
"""The instructor guide's slide figures (issue 17 part 6) are what tools/workshop-figures.sh makes: the committed
PNGs under docs/workshop/figures/ are exactly its --list, each a 1280x720 PNG, each shown in docs/workshop/README.md,
and each step it was drawn from is in runs.sha256 (whose freshness `workshop-figures.sh --check` tests)."""
import struct
import subprocess
import sys
from pathlib import Path


def main() -> int:
    repo = Path(sys.argv[1])
    figures = repo / "docs/workshop/figures"
    listed = subprocess.run(["bash", str(repo / "tools/workshop-figures.sh"), "--list"], check=True,
                            capture_output=True, text=True).stdout.split("\n")
    names = [line.split()[0] for line in listed if line.strip()]
    problems = []
    committed = sorted(p.name for p in figures.glob("*.png"))
    for extra in sorted(set(committed) - set(names)):
        problems.append(f"{figures / extra}: committed but not made by tools/workshop-figures.sh (delete it)")
    for missing in sorted(set(names) - set(committed)):
        problems.append(f"{figures / missing}: listed by tools/workshop-figures.sh but not committed (make figures)")
    guide = (repo / "docs/workshop/README.md").read_text(encoding="utf-8")
    digests = (figures / "runs.sha256").read_text(encoding="utf-8") if (figures / "runs.sha256").exists() else ""
    for name in names:
        png = figures / name
        if png.exists():
            head = png.read_bytes()[:24]
            if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
                problems.append(f"{png}: not a PNG")
            else:
                width, height = struct.unpack(">II", head[16:24])
                if (width, height) != (1280, 720):
                    problems.append(f"{png}: {width}x{height}, expected 1280x720 (16:9 slides)")
        if f"figures/{name}" not in guide:
            problems.append(f"docs/workshop/README.md: does not show figures/{name}")
        if not any(line.startswith(name[:-4] + " ") for line in digests.splitlines()):
            problems.append(f"{figures / 'runs.sha256'}: no run recorded for {name} (make figures)")
    for p in problems:
        print(p)
    if not problems:
        print(f"{len(names)} figures: committed, 1280x720, shown in the guide, runs recorded")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
