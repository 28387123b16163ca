"""An in-tree PEP 517 / PEP 660 build backend for the Tessera Python client: standard library only.

Why it exists: ``pip install clients/python`` must work offline. setuptools' backend needs the
``wheel`` package to build a wheel (setuptools < 70.1), which is not always installed, and with
build isolation pip would download setuptools itself. This backend declares no build
requirements (``requires = []``), so pip needs nothing from an index, with or without build
isolation. It builds a pure-Python wheel with ``zipfile``: the ``src/tessera`` package as it is,
plus the metadata from ``pyproject.toml``'s ``[project]`` table (the version from
``src/tessera/_version.py``).

Hooks: build_wheel, build_sdist, build_editable (``pip install -e``), prepare_metadata_for_*,
get_requires_for_* (all empty). Output is reproducible: fixed timestamps, sorted entries.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile
from typing import Any, Dict, List, Optional, Tuple

PACKAGE = "tessera"
#: Zip entries get this time (zip cannot store dates before 1980), or SOURCE_DATE_EPOCH when set.
_EPOCH = (1980, 1, 1, 0, 0, 0)


# ---- pyproject.toml -------------------------------------------------------------------------


def _root() -> str:
    # PEP 517: hooks run with the working directory at the root of the source tree.
    return os.getcwd()


def read_toml(text: str) -> Dict[str, Any]:
    """Parses TOML: ``tomllib`` where Python has it (3.11+), else :func:`read_toml_subset`."""
    try:
        import tomllib  # type: ignore[import-not-found]
    except ImportError:
        return read_toml_subset(text)
    return tomllib.loads(text)


_BARE_KEY = r"[A-Za-z0-9_-]+"
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


def read_toml_subset(text: str) -> Dict[str, Any]:
    """The part of TOML that a ``pyproject.toml`` like ours uses, for Python 3.9 and 3.10.

    Tables (``[a.b]``), bare or quoted keys, dotted keys, basic and literal strings, integers,
    booleans, arrays (also over several lines, with trailing commas) and inline tables. Anything
    else raises ``ValueError`` rather than being read wrongly.
    """
    doc: Dict[str, Any] = {}
    table = doc
    pos = 0
    n = len(text)

    def skip_space(p: int, newlines: bool) -> int:
        while p < n:
            c = text[p]
            if c in " \t" or (newlines and c in "\r\n"):
                p += 1
            elif c == "#":
                while p < n and text[p] != "\n":
                    p += 1
            else:
                break
        return p

    def key_path(p: int) -> Tuple[List[str], int]:
        parts: List[str] = []
        while True:
            p = skip_space(p, False)
            if p < n and text[p] in "\"'":
                k, p = string(p)
            else:
                m = re.compile(_BARE_KEY).match(text, p)
                if not m:
                    raise ValueError("TOML: a key expected at offset %d" % p)
                k, p = m.group(0), m.end()
            parts.append(k)
            p = skip_space(p, False)
            if p < n and text[p] == ".":
                p += 1
                continue
            return parts, p

    def string(p: int) -> Tuple[str, int]:
        quote = text[p]
        if text.startswith(quote * 3, p):
            raise ValueError("TOML: multi-line strings are not supported here (offset %d)" % p)
        p += 1
        out: List[str] = []
        while p < n and text[p] != quote:
            c = text[p]
            if c == "\n":
                raise ValueError("TOML: a string ends at the line's end (offset %d)" % p)
            if c == "\\" and quote == '"':
                e = text[p + 1 : p + 2]
                if e in _ESCAPES:
                    out.append(_ESCAPES[e])
                    p += 2
                elif e in ("u", "U"):
                    size = 4 if e == "u" else 8
                    out.append(chr(int(text[p + 2 : p + 2 + size], 16)))
                    p += 2 + size
                else:
                    raise ValueError("TOML: unknown escape at offset %d" % p)
                continue
            out.append(c)
            p += 1
        if p >= n:
            raise ValueError("TOML: unterminated string")
        return "".join(out), p + 1

    def value(p: int) -> Tuple[Any, int]:
        p = skip_space(p, False)
        c = text[p : p + 1]
        if c in ('"', "'"):
            return string(p)
        if c == "[":
            items: List[Any] = []
            p += 1
            while True:
                p = skip_space(p, True)
                if text[p : p + 1] == "]":
                    return items, p + 1
                item, p = value(p)
                items.append(item)
                p = skip_space(p, True)
                if text[p : p + 1] == ",":
                    p += 1
                elif text[p : p + 1] != "]":
                    raise ValueError("TOML: ',' or ']' expected at offset %d" % p)
        if c == "{":
            inline: Dict[str, Any] = {}
            p = skip_space(p + 1, False)
            if text[p : p + 1] == "}":
                return inline, p + 1
            while True:
                keys, p = key_path(p)
                if text[p : p + 1] != "=":
                    raise ValueError("TOML: '=' expected at offset %d" % p)
                v, p = value(p + 1)
                put(inline, keys, v)
                p = skip_space(p, False)
                if text[p : p + 1] == ",":
                    p = skip_space(p + 1, False)
                elif text[p : p + 1] == "}":
                    return inline, p + 1
                else:
                    raise ValueError("TOML: ',' or '}' expected at offset %d" % p)
        m = re.compile(r"true|false|[+-]?\d[\d_]*").match(text, p)
        if not m:
            raise ValueError("TOML: a value of a kind not supported here at offset %d" % p)
        word = m.group(0)
        if word in ("true", "false"):
            return word == "true", m.end()
        return int(word.replace("_", "")), m.end()

    def put(where: Dict[str, Any], keys: List[str], v: Any) -> None:
        for k in keys[:-1]:
            where = where.setdefault(k, {})
            if not isinstance(where, dict):
                raise ValueError("TOML: %s is not a table" % k)
        if keys[-1] in where:
            raise ValueError("TOML: %s is defined twice" % ".".join(keys))
        where[keys[-1]] = v

    while True:
        pos = skip_space(pos, True)
        if pos >= n:
            return doc
        if text[pos] == "[":
            if text.startswith("[[", pos):
                raise ValueError("TOML: arrays of tables are not supported here")
            keys, pos = key_path(pos + 1)
            if text[pos : pos + 1] != "]":
                raise ValueError("TOML: ']' expected at offset %d" % pos)
            pos += 1
            table = doc
            for k in keys:
                table = table.setdefault(k, {})
        else:
            keys, pos = key_path(pos)
            if text[pos : pos + 1] != "=":
                raise ValueError("TOML: '=' expected at offset %d" % pos)
            v, pos = value(pos + 1)
            put(table, keys, v)
        pos = skip_space(pos, False)
        if pos < n and text[pos] not in "\r\n":
            raise ValueError("TOML: the line goes on after its value (offset %d)" % pos)


# ---- Metadata -------------------------------------------------------------------------------


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def project() -> Dict[str, Any]:
    """The ``[project]`` table, with the version filled in from the package."""
    root = _root()
    table = dict(read_toml(_read(os.path.join(root, "pyproject.toml"))).get("project") or {})
    if "version" in table.get("dynamic", []):
        m = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', _read(os.path.join(root, "src", PACKAGE, "_version.py")), re.M)
        if not m:
            raise ValueError("src/%s/_version.py has no __version__" % PACKAGE)
        table["version"] = m.group(1)
    for key in ("name", "version"):
        if not table.get(key):
            raise ValueError("pyproject.toml: [project] needs %s" % key)
    return table


def _dist_name(p: Dict[str, Any]) -> str:
    """The name as it appears in file names (PEP 427/503: runs of -_. become _)."""
    return re.sub(r"[-_.]+", "_", p["name"]).lower()


def metadata_text(p: Dict[str, Any]) -> str:
    """Core metadata 2.1 (METADATA in a wheel, PKG-INFO in an sdist)."""
    lines = ["Metadata-Version: 2.1", "Name: %s" % p["name"], "Version: %s" % p["version"]]
    if p.get("description"):
        lines.append("Summary: %s" % p["description"])
    if p.get("requires-python"):
        lines.append("Requires-Python: %s" % p["requires-python"])
    if p.get("keywords"):
        lines.append("Keywords: %s" % ",".join(p["keywords"]))
    for author in p.get("authors", []):
        if author.get("name"):
            lines.append("Author: %s" % author["name"])
    for c in p.get("classifiers", []):
        lines.append("Classifier: %s" % c)
    for label, url in (p.get("urls") or {}).items():
        lines.append("Project-URL: %s, %s" % (label, url))
    for dep in p.get("dependencies", []):
        lines.append("Requires-Dist: %s" % dep)
    body = ""
    readme = p.get("readme")
    if isinstance(readme, str):
        body = _read(os.path.join(_root(), readme))
        lines.append("Description-Content-Type: %s" % ("text/markdown" if readme.lower().endswith(".md") else "text/plain"))
    return "\n".join(lines) + "\n\n" + body


def _wheel_text() -> str:
    return "Wheel-Version: 1.0\nGenerator: tessera_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def _dist_info_files(p: Dict[str, Any]) -> Dict[str, bytes]:
    return {
        "METADATA": metadata_text(p).encode("utf-8"),
        "WHEEL": _wheel_text().encode("utf-8"),
        "top_level.txt": (PACKAGE + "\n").encode("utf-8"),
    }


def _package_files() -> List[Tuple[str, str]]:
    """(path in the wheel, path on disk) of every file of the package, sorted; no caches."""
    base = os.path.join(_root(), "src")
    found: List[Tuple[str, str]] = []
    for folder, dirs, files in os.walk(os.path.join(base, PACKAGE)):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for f in files:
            if f.endswith((".pyc", ".pyo")):
                continue
            full = os.path.join(folder, f)
            found.append((os.path.relpath(full, base).replace(os.sep, "/"), full))
    return sorted(found)


# ---- Wheels ---------------------------------------------------------------------------------


def _date() -> Tuple[int, int, int, int, int, int]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        import time

        t = time.gmtime(max(int(epoch), 315532800))
        return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)
    return _EPOCH


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def _write_wheel(wheel_directory: str, entries: List[Tuple[str, bytes]], p: Dict[str, Any]) -> str:
    dist_info = "%s-%s.dist-info" % (_dist_name(p), p["version"])
    name = "%s-%s-py3-none-any.whl" % (_dist_name(p), p["version"])
    files = list(entries) + [("%s/%s" % (dist_info, k), v) for k, v in sorted(_dist_info_files(p).items())]
    record = "".join("%s,%s,%d\n" % (path, _record_hash(data), len(data)) for path, data in files)
    record += "%s/RECORD,,\n" % dist_info
    files.append(("%s/RECORD" % dist_info, record.encode("utf-8")))
    os.makedirs(wheel_directory, exist_ok=True)
    target = os.path.join(wheel_directory, name)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for path, data in files:
            info = zipfile.ZipInfo(path, date_time=_date())
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return name


def build_wheel(wheel_directory: str, config_settings: Optional[Dict[str, Any]] = None, metadata_directory: Optional[str] = None) -> str:
    p = project()
    entries = []
    for arc, full in _package_files():
        with open(full, "rb") as f:
            entries.append((arc, f.read()))
    return _write_wheel(wheel_directory, entries, p)


def build_editable(wheel_directory: str, config_settings: Optional[Dict[str, Any]] = None, metadata_directory: Optional[str] = None) -> str:
    """PEP 660: a wheel holding a .pth file that puts ``src`` on sys.path."""
    p = project()
    src = os.path.join(os.path.abspath(_root()), "src")
    return _write_wheel(wheel_directory, [("__editable__.%s.pth" % _dist_name(p), (src + "\n").encode("utf-8"))], p)


def _prepare_metadata(metadata_directory: str) -> str:
    p = project()
    dist_info = "%s-%s.dist-info" % (_dist_name(p), p["version"])
    folder = os.path.join(metadata_directory, dist_info)
    os.makedirs(folder, exist_ok=True)
    for k, v in _dist_info_files(p).items():
        with open(os.path.join(folder, k), "wb") as f:
            f.write(v)
    return dist_info


def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: Optional[Dict[str, Any]] = None) -> str:
    return _prepare_metadata(metadata_directory)


def prepare_metadata_for_build_editable(metadata_directory: str, config_settings: Optional[Dict[str, Any]] = None) -> str:
    return _prepare_metadata(metadata_directory)


def get_requires_for_build_wheel(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return []


def get_requires_for_build_editable(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return []


def get_requires_for_build_sdist(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return []


# ---- Source distribution --------------------------------------------------------------------


def build_sdist(sdist_directory: str, config_settings: Optional[Dict[str, Any]] = None) -> str:
    p = project()
    base = "%s-%s" % (_dist_name(p), p["version"])
    root = _root()
    members: List[Tuple[str, str]] = []
    for top in ("pyproject.toml", "README.md"):
        if os.path.isfile(os.path.join(root, top)):
            members.append((top, os.path.join(root, top)))
    for sub in ("_build", "src", "tests"):
        for folder, dirs, files in os.walk(os.path.join(root, sub)):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for f in sorted(files):
                if not f.endswith((".pyc", ".pyo")):
                    full = os.path.join(folder, f)
                    members.append((os.path.relpath(full, root).replace(os.sep, "/"), full))
    os.makedirs(sdist_directory, exist_ok=True)
    name = base + ".tar.gz"
    mtime = 315532800  # 1980-01-01, as the wheels

    def add(tar: tarfile.TarFile, arc: str, data: bytes) -> None:
        info = tarfile.TarInfo("%s/%s" % (base, arc))
        info.size = len(data)
        info.mtime = mtime
        info.mode = 0o644
        tar.addfile(info, io.BytesIO(data))

    with tarfile.open(os.path.join(sdist_directory, name), "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for arc, full in sorted(members):
            with open(full, "rb") as f:
                add(tar, arc, f.read())
        add(tar, "PKG-INFO", metadata_text(p).encode("utf-8"))
    return name
