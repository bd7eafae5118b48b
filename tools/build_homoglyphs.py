"""Build ``namecleaner/data/unicode/homoglyphs.tsv`` from Unicode UTS #39 confusables.

Two letters are lookalikes when confusables.txt maps them to the same one-character
prototype. We keep pairs of one Latin letter and one Cyrillic or Greek letter of the same
case, which is what homoglyph repair needs. Run from the repository root:

    python tools/build_homoglyphs.py ../shared/data/reference/unicode/confusables.txt
"""

from __future__ import annotations

import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import icu

OUTPUT = Path("namecleaner/data/unicode/homoglyphs.tsv")
OTHER_SCRIPTS = ("Cyrl", "Grek")


def script_of(char: str) -> str:
    return icu.Script.getScript(ord(char)).getShortName()


def read_groups(confusables: Path) -> tuple[str, dict[str, set[str]]]:
    """The file's version line and the letters grouped by their one-character prototype."""
    version = ""
    groups: dict[str, set[str]] = defaultdict(set)
    for line in confusables.read_text(encoding="utf-8-sig").splitlines():
        if line.startswith("# Version:"):
            version = line.split(":", 1)[1].strip()
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        source, target = (field.strip() for field in data.split(";")[:2])
        if " " in source or " " in target:
            continue
        char, prototype = chr(int(source, 16)), chr(int(target, 16))
        groups[prototype].update((char, prototype))
    return version, groups


def lookalike_pairs(groups: dict[str, set[str]]) -> list[tuple[str, str, str]]:
    """(latin, other, other_script) for letters of equal case sharing a prototype."""
    pairs = set()
    for members in groups.values():
        letters = [c for c in members if unicodedata.category(c) in ("Lu", "Ll")]
        latin = [c for c in letters if script_of(c) == "Latn" and c.isascii()]
        for other in letters:
            script = script_of(other)
            if script not in OTHER_SCRIPTS:
                continue
            for candidate in latin:
                if unicodedata.category(candidate) == unicodedata.category(other):
                    pairs.add((candidate, other, script))
    return sorted(pairs, key=lambda p: (p[2], ord(p[1]), ord(p[0])))


def main(confusables: str) -> None:
    version, groups = read_groups(Path(confusables))
    lines = [
        "# id: unicode-confusables-homoglyphs",
        "# title: Latin lookalikes of Cyrillic and Greek letters",
        f"# version: {version}",
        "# source: Unicode UTS #39 confusables.txt (one-character prototypes shared by letters of equal case)",
        "# licence: Unicode-3.0",
        "# generated-by: tools/build_homoglyphs.py",
        "latin\tother\tother_script\tlatin_codepoint\tother_codepoint",
    ]
    for latin, other, script in lookalike_pairs(groups):
        lines.append(f"{latin}\t{other}\t{script}\tU+{ord(latin):04X}\tU+{ord(other):04X}")
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(lines) - 7} pairs, confusables {version})")


if __name__ == "__main__":
    main(sys.argv[1])
