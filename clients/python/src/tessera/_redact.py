"""Output redaction for ``python -m tessera run`` (security.md SEC-15).

A port of lib/cli/redact.ts, with the same behaviour and edge cases:

- Matching is on bytes (each value's UTF-8), so a value split across chunks, or inside multi-byte
  text, is still found.
- A chunk's tail that could be the start of a value is held back until the next chunk (or the end)
  decides: a value is never let out in two pieces, and the output is the same however the input
  was split.
- Longer values are replaced first, so a value that contains another is replaced whole; at each
  position the scan takes the longest value that matches there, then goes on after it.
- Values shorter than 4 bytes are not redacted (they would mangle ordinary output); a value given
  under two names is replaced with the first name's marker.
"""

from __future__ import annotations

from typing import Dict, List, Mapping, NamedTuple, Tuple

#: Values shorter than this (in UTF-8 bytes) are not redacted.
MIN_REDACTED_LENGTH = 4


def redaction_marker(name: str) -> str:
    """The text that replaces the value of variable ``name``."""
    return "[redacted:%s]" % name


class _Needle(NamedTuple):
    value: bytes
    marker: bytes


def _needles(secrets: Mapping[str, str]) -> List[_Needle]:
    seen = set()
    found: List[_Needle] = []
    for name, value in secrets.items():
        raw = value.encode("utf-8")
        if len(raw) < MIN_REDACTED_LENGTH or raw in seen:
            continue
        seen.add(raw)
        found.append(_Needle(raw, redaction_marker(name).encode("utf-8")))
    # Stable: among values of one length, the first given comes first (as in the TypeScript).
    return sorted(found, key=lambda n: -len(n.value))


def _matches(data: bytes, needles: List[_Needle]) -> List[Tuple[int, int, _Needle]]:
    """Every whole occurrence, scanning left to right (longest value first at each position).

    The same result as trying each position in turn, found with ``bytes.find``: the next match
    starts where the earliest next occurrence of any value does.
    """
    found: List[Tuple[int, int, _Needle]] = []
    nxt: Dict[int, int] = {}  # needle index -> its next occurrence at or after pos (-1: none)
    pos = 0
    size = len(data)
    while pos < size:
        start = -1
        for i, n in enumerate(needles):
            at = nxt.get(i)
            if at is None or (0 <= at < pos):
                at = data.find(n.value, pos)
                nxt[i] = at
            if at >= 0 and (start < 0 or at < start):
                start = at
        if start < 0:
            break
        hit = next(n for n in needles if data.startswith(n.value, start))
        found.append((start, start + len(hit.value), hit))
        pos = start + len(hit.value)
    return found


def _replace_all(data: bytes, needles: List[_Needle]) -> bytes:
    out: List[bytes] = []
    at = 0
    for start, end, needle in _matches(data, needles):
        out.append(data[at:start])
        out.append(needle.marker)
        at = end
    out.append(data[at:])
    return b"".join(out)


def _safe_end(buf: bytes, needles: List[_Needle]) -> int:
    """Where the part that can be let out ends.

    Before the earliest tail that could still grow into a value (a proper prefix of one), moved back
    to the start of any whole value that spans it (so that a value is never cut in two either).
    """
    size = len(buf)
    end = size
    for n in needles:
        # Tails of this value's length or more cannot be a proper prefix of it.
        p = max(0, size - len(n.value) + 1)
        first = n.value[:1]
        while p < end:
            p = buf.find(first, p, end)
            if p < 0:
                break
            if n.value.startswith(buf[p:]):
                end = p
                break
            p += 1
    for start, stop, _ in _matches(buf, needles):
        if start < end < stop:
            end = start
    return end


class Redactor:
    """Passes bytes through with every exact value in ``secrets`` (name -> value) replaced by its marker.

    Call :meth:`feed` with each chunk, in order, and write what it returns; call :meth:`flush` at the
    end of the stream and write that too.
    """

    def __init__(self, secrets: Mapping[str, str]) -> None:
        self._needles = _needles(secrets)
        self._pending = b""

    def __repr__(self) -> str:
        return "Redactor(%d values)" % len(self._needles)

    def feed(self, chunk: bytes) -> bytes:
        if not self._needles:
            return bytes(chunk)
        buf = self._pending + bytes(chunk)
        end = _safe_end(buf, self._needles)
        self._pending = buf[end:]
        return _replace_all(buf[:end], self._needles)

    def flush(self) -> bytes:
        pending, self._pending = self._pending, b""
        return _replace_all(pending, self._needles) if pending else b""


def redact_text(text: str, secrets: Mapping[str, str]) -> str:
    """Redacts a whole string (for the command line's own messages)."""
    return _replace_all(text.encode("utf-8"), _needles(secrets)).decode("utf-8", "replace")
