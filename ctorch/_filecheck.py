"""torch.FileCheck (PyTorch also names it torch.testing.FileCheck): checks that a text holds
strings in a given order, as LLVM's FileCheck does for compiler output.

A FileCheck collects directives and runs them over a text:

    FileCheck().check("add").check_next("mul").check_not("sub").run(text)

Matching goes left to right from where the previous directive's match
ended:
- check(s): s occurs from here on;
- check_next(s): s occurs on the next line (after the next newline, with no
  newline between it and s);
- check_same(s): s occurs on the current line;
- check_count(s, n, exactly=False): s occurs n times (without overlap) from
  here on; exactly=True also asks that it does not occur again up to the
  next directive's match;
- check_dag(s): consecutive check_dag strings occur in any order from here on
  (the group ends at the furthest match);
- check_not(s): s does not occur between the previous directive's match and
  the next one's (or the end of the text);
- check_regex(r): the regular expression matches from here on;
- check_source_highlighted(s): s occurs with "~" under each of its characters
  on the following line (a highlighted source range in an error message).

run(checks, text) takes the directives from `# CHECK: s`, `# CHECK-NEXT: s`,
`# CHECK-SAME`, `-NOT`, `-DAG`, `-REGEX`, `-SOURCE-HIGHLIGHTED`,
`-COUNT-<n>` and `-COUNT-EXACTLY-<n>` comments of `checks` (the string is
the rest of the line after ": "). A failing directive raises RuntimeError
naming what was expected, showing where in the text, and the directive
("From CHECK-NEXT: mul"). Loaded on first use (ctorch._LAZY)."""
import re
import sys

__all__ = ["FileCheck"]

_CHECK, _NEXT, _SAME, _NOT, _COUNT, _DAG, _REGEX, _HIGHLIGHTED = range(8)
_NAMES = {_CHECK: "CHECK", _NEXT: "CHECK-NEXT", _SAME: "CHECK-SAME", _NOT: "CHECK-NOT",
          _COUNT: "CHECK-COUNT", _DAG: "CHECK-DAG", _REGEX: "CHECK-REGEX",
          _HIGHLIGHTED: "CHECK-SOURCE-HIGHLIGHTED"}
# the directives of a checks file: "CHECK" and what follows it up to ": "
_SUFFIXES = {"": _CHECK, "-NEXT": _NEXT, "-SAME": _SAME, "-NOT": _NOT, "-DAG": _DAG,
             "-REGEX": _REGEX, "-SOURCE-HIGHLIGHTED": _HIGHLIGHTED}
_DIRECTIVE = re.compile(r"CHECK(-COUNT-EXACTLY-\d+|-COUNT-\d+|-SOURCE-HIGHLIGHTED|-NEXT|-SAME|"
                        r"-NOT|-DAG|-REGEX|): ")
_CONTEXT = 2        # lines of text shown before and after a highlighted range


def _quoted(s):
    """s in double quotes, with quotes, backslashes and control characters
    escaped."""
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "\n\t\r\f\b":
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r", "\f": "\\f", "\b": "\\b"}[ch])
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\{ord(ch):03o}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _highlight(text, start, end):
    """The lines of text around [start, end), each line of the range followed
    by a line marking its characters with "~", the last with " <--- HERE";
    "" when the range starts past the text."""
    if start > len(text) or not text:
        return ""
    start = min(start, len(text))
    end = min(max(end, start), len(text))
    lines = text.split("\n")
    # (line number, column) of a position
    def where(pos):
        row = text.count("\n", 0, pos)
        return row, pos - (text.rfind("\n", 0, pos) + 1)
    r0, c0 = where(start)
    r1, c1 = where(end) if end > start else (r0, c0 + 1)
    if c1 == 0 and r1 > r0:         # the range ends with its line's newline
        r1, c1 = r1 - 1, len(lines[r1 - 1])
    out = lines[max(r0 - _CONTEXT, 0):r0]
    for row in range(r0, r1 + 1):
        line = lines[row]
        a = c0 if row == r0 else 0
        b = c1 if row == r1 else len(line)
        out.append(line)
        out.append(" " * a + "~" * max(b - a, 1) + (" <--- HERE" if row == r1 else ""))
    out += lines[r1 + 1:r1 + 1 + _CONTEXT]
    while out and out[-1] == "":
        out.pop()
    return "".join(line + "\n" for line in out)


class _Check:
    __slots__ = ("kind", "string", "count")

    def __init__(self, kind, string, count=None):
        self.kind = kind
        self.string = string
        self.count = count

    def __str__(self):
        name = f"CHECK-COUNT-{self.count}" if self.kind == _COUNT else _NAMES[self.kind]
        return f"{name}: {self.string}"


class _Run:
    """One run of a FileCheck's directives over a text."""

    def __init__(self, text):
        self.text = text

    def fail_find(self, check, s, start, regex=False):
        what = "regex " if regex else ""
        raise RuntimeError(f"Expected to find {what}{_quoted(s)} but did not find it\n"
                           f"Searched string:\n"
                           f"{_highlight(self.text, start, start + max(len(s), 1))}"
                           f"From {check}\n")

    def find(self, check, s, start, end=None):
        """The range of s's first occurrence in [start, end); raises if none."""
        pos = self.text.find(s, start)
        if pos < 0 or (end is not None and pos + len(s) > end):
            self.fail_find(check, s, start)
        return pos, pos + len(s)

    def find_not(self, check, s, start, end):
        """Raises if s occurs in [start, end)."""
        pos = self.text.find(s, start)
        if 0 <= pos and pos + len(s) <= end:
            raise RuntimeError(f"Expected to not find {_quoted(s)} but found it\n"
                               f"{_highlight(self.text, pos, pos + len(s))}From {check}\n")

    def match(self, group, start):
        """The range a group of directives (not CHECK-NOTs) matches from start."""
        check = group[0]
        s = check.string
        if check.kind == _DAG:
            ranges = [self.find(c, c.string, start) for c in group]
            return min(r[0] for r in ranges), max(r[1] for r in ranges)
        if check.kind == _CHECK:
            return self.find(check, s, start)
        if check.kind == _SAME:
            found = self.find(check, s, start)
            self.find_not(check, "\n", start, found[0])
            return found
        if check.kind == _NEXT:
            newline = self.find(check, "\n", start)
            found = self.find(check, s, newline[1])
            self.find_not(check, "\n", newline[1], found[0])
            return found
        if check.kind == _COUNT:
            first = None
            pos = start
            for _ in range(check.count):
                a, pos = self.find(check, s, pos)
                first = a if first is None else first
            return first, pos
        if check.kind == _REGEX:
            try:
                pattern = re.compile(s)
            except re.error as e:
                raise RuntimeError(f"invalid regular expression {_quoted(s)}: {e}") from None
            m = pattern.search(self.text, start)
            if m is None:
                self.fail_find(check, s, start, regex=True)
            return m.start(), m.end()
        return self.highlighted(check, s, start)

    def highlighted(self, check, s, start):
        text = self.text
        first = self.find(check, s, start)
        pos = first[0]
        while pos >= 0:
            line_start = text.rfind("\n", 0, pos) + 1
            col = pos - line_start
            next_start = text.find("\n", pos)
            if next_start >= 0:
                next_end = text.find("\n", next_start + 1)
                below = text[next_start + 1:len(text) if next_end < 0 else next_end]
                if (below[col:col + len(s)] == "~" * len(s) and len(below) >= col + len(s)
                        and below[col + len(s):col + len(s) + 1] != "~"):
                    return pos, pos + len(s)
            pos = text.find(s, pos + 1)
        raise RuntimeError(f"Expected to find {_quoted(s)}highlighted but it is not.\n"
                           f"{_highlight(text, first[0], first[1])}")

    def run(self, checks):
        # consecutive CHECK-NOTs form one group, and so do consecutive
        # CHECK-DAGs; every other directive is a group of its own
        groups = []
        for c in checks:
            if groups and c.kind in (_NOT, _DAG) and groups[-1][0].kind == c.kind:
                groups[-1].append(c)
            else:
                groups.append([c])
        end = 0
        i = 0
        while i < len(groups):
            group = groups[i]
            if group[0].kind != _NOT:
                end = self.match(group, end)[1]
            else:
                # the strings must not occur between the previous match and
                # the next group's (or the end of the text)
                if i + 1 < len(groups):
                    nxt = self.match(groups[i + 1], end)
                    limit = nxt[0]
                    i += 1
                else:
                    nxt, limit = None, len(self.text) + 1
                for c in group:
                    self.find_not(c, c.string, end, limit)
                if nxt is not None:
                    end = nxt[1]
            i += 1


def _string_arg(where, s):
    if not isinstance(s, str):
        raise TypeError(f"FileCheck.{where}(): expected a str, got {type(s).__name__}")
    return s


class FileCheck:
    """Directives over a text, checked in order by run(); each directive
    method returns this FileCheck, so that they chain."""

    def __init__(self):
        self._checks = []
        self._has_run = False

    def _add(self, where, kind, s, count=None):
        self._checks.append(_Check(kind, _string_arg(where, s), count))
        return self

    def check(self, s):
        return self._add("check", _CHECK, s)

    def check_next(self, s):
        return self._add("check_next", _NEXT, s)

    def check_same(self, s):
        return self._add("check_same", _SAME, s)

    def check_not(self, s):
        return self._add("check_not", _NOT, s)

    def check_dag(self, s):
        return self._add("check_dag", _DAG, s)

    def check_regex(self, s):
        return self._add("check_regex", _REGEX, s)

    def check_source_highlighted(self, s):
        return self._add("check_source_highlighted", _HIGHLIGHTED, s)

    def check_count(self, s, count, exactly=False):
        """s occurs `count` times from here on; with exactly=True, and not
        once more before the next directive's match."""
        _string_arg("check_count", s)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise TypeError(f"FileCheck.check_count(): count must be a non-negative int, got "
                            f"{count!r}")
        if count == 0 and not exactly:
            raise RuntimeError("Count == 0 && !exactly doesn't do anything")
        if count:
            self._add("check_count", _COUNT, s, count)
        if exactly:
            self._add("check_count", _NOT, s)
        return self

    def _parse(self, checks):
        """Adds the directives of `# CHECK...: s` comments."""
        pos = checks.find("#")
        while pos >= 0:
            at = pos + 1
            while at < len(checks) and checks[at] in " \t":
                at += 1
            if checks.startswith("CHECK", at):
                m = _DIRECTIVE.match(checks, at)
                if m is None:
                    here = at + len("CHECK")
                    line_start = checks.rfind("\n", 0, here) + 1
                    line_end = checks.find("\n", here)
                    line = checks[line_start:len(checks) if line_end < 0 else line_end]
                    raise RuntimeError(f"Could not parse check at:\n{line}\n"
                                       f"{' ' * (here - line_start)}~ <--- HERE\n"
                                       f"Check for bad input.")
                line_end = checks.find("\n", m.end())
                s = checks[m.end():len(checks) if line_end < 0 else line_end]
                suffix = m.group(1)
                if suffix.startswith("-COUNT-"):
                    exactly = suffix.startswith("-COUNT-EXACTLY-")
                    count = int(suffix.rpartition("-")[2])
                    if count == 0 and not exactly:
                        raise RuntimeError(f"CHECK{suffix}: a count of 0 checks nothing; use "
                                           f"CHECK-NOT")
                    self.check_count(s, count, exactly)
                else:
                    self._checks.append(_Check(_SUFFIXES[suffix], s))
                pos = checks.find("#", m.end() + len(s))
            else:
                pos = checks.find("#", at)

    def run(self, *args):
        """run(text), or run(checks, text) with the directives taken from the
        `# CHECK` comments of `checks`: raises RuntimeError at the first
        directive the text does not satisfy."""
        if len(args) not in (1, 2):
            raise TypeError(f"FileCheck.run() takes the text, or the checks and the text "
                            f"({len(args)} arguments given)")
        for a in args:
            _string_arg("run", a)
        self._has_run = True
        if len(args) == 2:
            self._parse(args[0])
        if not self._checks:
            raise RuntimeError("No checks have been added to this instance ofFilecheck! Check "
                               "for bad input.")
        _Run(args[-1]).run(self._checks)

    def __del__(self):
        # as PyTorch's: a FileCheck dropped without running says so
        try:
            if not self._has_run and sys.stdout is not None:
                sys.stdout.write("You have not run this instance of FileCheck!\nFileCheck "
                                 "checks:\n" + "".join(f"\t{c}\n" for c in self._checks))
        except Exception:
            pass
