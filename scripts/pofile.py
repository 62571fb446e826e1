"""A small reader and writer for gettext .po catalogues (no dependency needed).

Used by check_translations.py and by translators' helper scripts.
"""

import ast
import re
from dataclasses import dataclass, field

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")\s*$')


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def is_header(self):
        return self.msgid == "" and self.msgctxt is None

    @property
    def translated(self):
        return bool(self.msgstr) and all(value.strip() for value in self.msgstr.values())

    @property
    def fuzzy(self):
        return "fuzzy" in self.flags


def parse(text: str) -> list[Entry]:
    entries, entry, last = [], Entry(), None

    def flush():
        nonlocal entry, last
        if last is not None:
            entries.append(entry)
        entry, last = Entry(), None

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if line.startswith("#,"):
            if last is not None and last != "comment":
                flush()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            if last is not None and last != "comment":
                flush()
            entry.comments.append(raw)
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, value = match.group(1), ast.literal_eval(match.group(2))
            if keyword == "msgid" and last not in (None, "comment", "msgctxt"):
                flush()
            last = keyword
            _append(entry, keyword, value)
        elif line.startswith('"') and last:
            _append(entry, last, ast.literal_eval(line))
    flush()
    return [e for e in entries if not e.obsolete]


def _append(entry, keyword, value):
    if keyword == "msgid":
        entry.msgid += value
    elif keyword == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + value
    elif keyword == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + value
    else:
        index = int(keyword[7:-1]) if "[" in keyword else 0
        entry.msgstr[index] = entry.msgstr.get(index, "") + value


def quote(text: str) -> str:
    """One .po string literal; text with newlines is split after each one."""

    def literal(part):
        escaped = part.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
        return f'"{escaped}"'

    if "\n" not in text.rstrip("\n"):
        return literal(text)
    parts = text.splitlines(keepends=True)
    return '""\n' + "\n".join(literal(part) for part in parts)


def format_entry(entry: Entry) -> str:
    lines = [comment for comment in entry.comments]
    if entry.flags:
        lines.append("#, " + ", ".join(sorted(entry.flags)))
    if entry.msgctxt is not None:
        lines.append("msgctxt " + quote(entry.msgctxt))
    lines.append("msgid " + quote(entry.msgid))
    if entry.msgid_plural is not None:
        lines.append("msgid_plural " + quote(entry.msgid_plural))
        for index in sorted(entry.msgstr) or [0]:
            lines.append(f"msgstr[{index}] " + quote(entry.msgstr.get(index, "")))
    else:
        lines.append("msgstr " + quote(entry.msgstr.get(0, "")))
    return "\n".join(lines) + "\n"


def write(header: str, entries: list[Entry]) -> str:
    """A catalogue: the header's msgstr (its lines, each ending in a newline), then the entries."""
    head = Entry(msgid="", msgstr={0: header})
    return "\n".join(format_entry(entry) for entry in [head, *entries])
