"""Typed results of the API, with the fields the OpenAPI document (GET /api/v1/openapi.json) gives.

Field names are the document's, in snake_case (``workspaceId`` -> ``workspace_id``); dates are
timezone-aware ``datetime`` objects. Fields the document adds later are ignored, so a newer server
does not break an older client. A token's or a credential's value, and a secret's value, are never
part of a repr.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, Type, TypeVar

from ._errors import TesseraError

T = TypeVar("T")


def parse_datetime(value: str) -> datetime:
    """An ISO 8601 date-time as the server writes it (``2026-12-01T09:30:00.000Z``), timezone-aware."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # Python < 3.11 reads 0, 3 or 6 fractional digits only: pad or cut to 6.
    m = re.match(r"^(.*T\d\d:\d\d:\d\d)\.(\d+)(.*)$", text)
    if m:
        text = "%s.%s%s" % (m.group(1), (m.group(2) + "000000")[:6], m.group(3))
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


class _Bad(Exception):
    pass


def _check(kind: Any, value: Any, where: str) -> Any:
    """Checks (and converts) one wire value against a field's declared kind."""
    if kind == "str":
        if not isinstance(value, str):
            raise _Bad("%s: expected a string" % where)
        return value
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise _Bad("%s: expected a whole number" % where)
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise _Bad("%s: expected true or false" % where)
        return value
    if kind == "datetime":
        if not isinstance(value, str):
            raise _Bad("%s: expected a date-time string" % where)
        try:
            return parse_datetime(value)
        except ValueError:
            raise _Bad("%s: not an ISO 8601 date-time" % where) from None
    if kind == "[str]":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _Bad("%s: expected a list of strings" % where)
        return list(value)
    if kind == "{str:str}":
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise _Bad("%s: expected an object of strings" % where)
        return dict(value)
    if isinstance(kind, tuple) and kind[0] == "list":
        if not isinstance(value, list):
            raise _Bad("%s: expected a list" % where)
        return [_build(kind[1], v, "%s[%d]" % (where, i)) for i, v in enumerate(value)]
    if isinstance(kind, type):
        return _build(kind, value, where)
    raise AssertionError("unknown field kind %r" % (kind,))


def _build(cls: Type[T], obj: Any, where: str) -> T:
    if not isinstance(obj, dict):
        raise _Bad("%s: expected an object" % where)
    kinds: Mapping[str, Tuple[Any, bool]] = getattr(cls, "_KINDS")
    values: Dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        kind, nullable = kinds[f.name]
        key = _camel(f.name)
        path = "%s.%s" % (where, key) if where else key
        if key not in obj:
            raise _Bad("%s: missing" % path)
        value = obj[key]
        if value is None:
            if not nullable:
                raise _Bad("%s: must not be null" % path)
            values[f.name] = None
        else:
            values[f.name] = _check(kind, value, path)
    return cls(**values)  # type: ignore[call-arg]


def decode(cls: Type[T], obj: Any, operation: str, status: int, request_id: Optional[str]) -> T:
    """Reads an answer into ``cls``; an answer that does not match is a ``BAD_RESPONSE`` error."""
    try:
        return _build(cls, obj, "")
    except _Bad as err:
        raise TesseraError(status, "BAD_RESPONSE", "%s: the answer does not match the API document (%s)" % (operation, err), request_id) from None


class _Nullable:
    def __init__(self, kind: Any) -> None:
        self.kind = kind


def _kinds(**spec: Any) -> Callable[[Type[T]], Type[T]]:
    """Declares each field's wire kind; ``"str?"`` or ``_Nullable(kind)`` means it may be null."""

    def attach(cls: Type[T]) -> Type[T]:
        table: Dict[str, Tuple[Any, bool]] = {}
        for name, kind in spec.items():
            if isinstance(kind, _Nullable):
                table[name] = (kind.kind, True)
            elif isinstance(kind, str) and kind.endswith("?"):
                table[name] = (kind[:-1], True)
            else:
                table[name] = (kind, False)
        setattr(cls, "_KINDS", table)
        return cls

    return attach


@_kinds(
    id="str", workspace_id="str", kind="str", name="str", description="str?", partial_key="str", scopes="[str]", role="str?",
    status="str", expired="bool", expires_soon="bool", expires_at="datetime", workload_id="str?", created_by_id="str?",
    last_used_at="datetime?", last_used_ip="str?", created_at="datetime",
)
@dataclass(frozen=True)
class Token:
    """A token as lists show it: never its value or its hash (the ``Token`` schema)."""

    id: str
    workspace_id: str
    #: ``user``, ``workspace`` or ``workload``.
    kind: str
    name: str
    description: Optional[str]
    #: The value's prefix and last four characters (``tsr_wsp_…AbCd``).
    partial_key: str
    #: ``full`` or ``read``, optionally with ``platform``.
    scopes: List[str]
    #: A workspace token's role; None for user and workload tokens.
    role: Optional[str]
    #: ``active`` or ``cancelled``.
    status: str
    expired: bool
    expires_soon: bool
    expires_at: datetime
    workload_id: Optional[str]
    created_by_id: Optional[str]
    last_used_at: Optional[datetime]
    last_used_ip: Optional[str]
    created_at: datetime


@_kinds(
    id="str", workspace_id="str", name="str", preset="str", env_name="str?", visibility="str", version="int", created_by_id="str?",
    orphaned="bool", expires_at="datetime?", expired="bool", expires_soon="bool", created_at="datetime", updated_at="datetime",
)
@dataclass(frozen=True)
class Secret:
    """A secret's metadata (the ``Secret`` schema). Its value is write-only and never returned."""

    id: str
    workspace_id: str
    name: str
    #: The kind of credential (``huggingface``, ``github``, ``custom``, ...).
    preset: str
    #: The environment variable workloads get it as by default, or None.
    env_name: Optional[str]
    #: ``private`` or ``public``.
    visibility: str
    version: int
    created_by_id: Optional[str]
    #: Another member's private secret whose creator has left: only owners see it, to delete it.
    orphaned: bool
    expires_at: Optional[datetime]
    expired: bool
    expires_soon: bool
    created_at: datetime
    updated_at: datetime


@_kinds(id="str", email="str", name="str?", is_platform_admin="bool")
@dataclass(frozen=True)
class MeUser:
    """The user a user token acts as (its creator)."""

    id: str
    email: str
    name: Optional[str]
    is_platform_admin: bool


@_kinds(id="str", kind="str", name="str", scopes="[str]", role="str?", workload_id="str?", workload_name="str?", expires_at="datetime")
@dataclass(frozen=True)
class MeToken:
    """The token the request was made with (never its value)."""

    id: str
    kind: str
    name: str
    scopes: List[str]
    role: Optional[str]
    workload_id: Optional[str]
    workload_name: Optional[str]
    expires_at: datetime


@_kinds(id="str", name="str", status="str", role="str?")
@dataclass(frozen=True)
class MeWorkspace:
    """The token's workspace, and the role the token acts with there (None for workload tokens)."""

    id: str
    name: str
    status: str
    role: Optional[str]


@_kinds(user=_Nullable(MeUser), token=MeToken, workspace=MeWorkspace)
@dataclass(frozen=True)
class Me:
    """Who the caller is (GET /api/v1/me). ``user`` is None for workspace and workload tokens."""

    user: Optional[MeUser]
    token: MeToken
    workspace: MeWorkspace


@_kinds(credential="str", token_id="str", workspace_id="str", workload_id="str", expires_at="datetime", ttl_seconds="int")
@dataclass(frozen=True)
class WorkloadCredential:
    """A short-lived credential (``tsr_wlc_…``) for one workload's environment. Never in a repr."""

    credential: str = field(repr=False)
    token_id: str
    workspace_id: str
    workload_id: str
    expires_at: datetime
    ttl_seconds: int


@_kinds(env_name="str", reason="str")
@dataclass(frozen=True)
class Withheld:
    """A variable the server left out, and why: ``private_secret`` or ``loader_variable``."""

    env_name: str
    reason: str


@_kinds(workload_id="str", env="{str:str}", secrets="[str]", withheld=("list", Withheld))
@dataclass(frozen=True)
class ResolvedEnv:
    """A workload's environment. Its repr names the variables, never their values."""

    workload_id: str
    env: Dict[str, str] = field(repr=False)
    #: The variables whose values come from secrets (what ``run`` redacts).
    secrets: List[str]
    withheld: List[Withheld]

    @property
    def names(self) -> List[str]:
        return list(self.env)

    def secret_values(self) -> Dict[str, str]:
        """Name -> value of the variables that come from secrets (for redaction)."""
        return {n: self.env[n] for n in self.secrets if n in self.env}

    def __repr__(self) -> str:
        return "ResolvedEnv(workload_id=%r, names=%r, secrets=%r, withheld=%r)" % (self.workload_id, self.names, self.secrets, self.withheld)
