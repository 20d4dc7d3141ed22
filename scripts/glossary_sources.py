"""Compute each glossary entry's `sources` (the articles that name the term) and write them into
corpus/glossary.yaml, keeping the file's comments and layout.

    python scripts/glossary_sources.py           # rewrite the sources in place
    python scripts/glossary_sources.py --check   # exit 1 if the file is out of date
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.glossary import Glossary, compute_sources  # noqa: E402
from assistant.ingest import load_articles  # noqa: E402

ENTRY = re.compile(r"^- id:\s*(\S+)\s*$")


def rewrite(text: str, sources: dict[str, list[str]]) -> str:
    """``text`` with every entry's sources block replaced by ``sources[id]`` (placed before `related:`)."""
    out: list[str] = []
    current: str | None = None
    skipping = False
    for line in text.splitlines():
        match = ENTRY.match(line)
        if match:
            current = match.group(1)
        if skipping:
            if line.startswith("    - "):
                continue
            skipping = False
        if current and line.startswith("  sources:"):
            skipping = line.rstrip() == "  sources:"
            continue
        if current and line.startswith("  related:"):
            ids = sources.get(current, [])
            out.extend(["  sources:", *[f"    - {i}" for i in ids]] if ids else ["  sources: []"])
        out.append(line)
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when out of date")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = parser.parse_args()
    path = args.corpus / "glossary.yaml"
    glossary = Glossary.load(path)
    sources = compute_sources(glossary, load_articles(args.corpus / "articles"))
    text = path.read_text(encoding="utf-8")
    new = rewrite(text, sources)
    if args.check:
        if new != text:
            print(f"{path} sources are out of date: run python scripts/glossary_sources.py", file=sys.stderr)
            return 1
        print("glossary sources are up to date")
        return 0
    if new != text:
        path.write_text(new, encoding="utf-8")
    unused = [t.id for t in glossary if not sources[t.id]]
    print(f"{len(glossary)} entries; {len(unused)} named in no article: {', '.join(unused) or '-'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
