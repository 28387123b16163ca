"""A small typed client for Tessera's REST API (standard library only).

It covers what a workload and a script need: who am I, token and secret metadata, and a workload's
run-time calls (credential exchange, environment). Errors are :class:`TesseraError` with the
server's error envelope. 429 and 503 answers are retried after the Retry-After they carry (or a
short backoff), a bounded number of times.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import random
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, List, Mapping, Optional, Tuple, Type, TypeVar

from ._errors import TesseraError
from ._models import Me, ResolvedEnv, Secret, Token, WorkloadCredential, decode
from ._version import __version__

T = TypeVar("T")

#: Statuses that mean "not done, try again later": the request was refused before any change.
RETRY_STATUSES = frozenset([429, 503])


def parse_retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Retry-After in seconds from ``now``: a whole number of seconds or an HTTP date (past: 0)."""
    if value is None:
        return None
    text = value.strip()
    if re.fullmatch(r"\d+", text):
        return float(int(text))
    if not re.match(r"^[A-Za-z]{3},? ", text):
        return None
    try:
        at = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if at is None:
        return None
    return max(0.0, at.timestamp() - (time.time() if now is None else now))


def backoff_delay(attempt: int, base: float, cap: float, rnd: Any = random.random) -> float:
    """Equal-jitter exponential backoff for retry ``attempt`` (1 for the first retry), in seconds."""
    ceiling = min(cap, base * (2 ** max(0, attempt - 1)))
    return ceiling / 2 + rnd() * (ceiling / 2)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is never followed: the bearer credential must not travel to another address."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _path_param(name: str, value: str) -> str:
    if not isinstance(value, str) or value == "":
        raise TesseraError(0, "CONFIGURATION", "%s is required" % name)
    # "." and ".." survive quoting, and URL parsing would climb the path with them.
    if value in (".", ".."):
        raise TesseraError(0, "CONFIGURATION", "%r is not a valid %s" % (value, name))
    return urllib.parse.quote(value, safe="")


class Client:
    """A client of one Tessera server with one bearer token.

    ``base_url`` is the server's address (``https://tessera.example.com``; a path prefix is kept).
    ``token`` is any Tessera token (``tsr_…``); it is sent as ``Authorization: Bearer`` and never
    appears in a repr or an error. ``timeout`` is each request's timeout in seconds. A 429 or 503 is
    retried up to ``retries`` times, after its Retry-After or a backoff; a Retry-After longer than
    ``max_retry_delay`` seconds is not waited for (the error is raised, with ``retry_after``).
    """

    def __init__(
        self,
        base_url: str,
        token: Optional[str],
        *,
        timeout: float = 30.0,
        retries: int = 2,
        retry_base_delay: float = 0.25,
        max_retry_delay: float = 30.0,
        user_agent: Optional[str] = None,
    ) -> None:
        url = (base_url or "").strip()
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise TesseraError(0, "CONFIGURATION", "The Tessera URL must start with http:// or https:// (got %s)" % (_shown_url(url),))
        if parts.username or parts.password:
            raise TesseraError(0, "CONFIGURATION", "The Tessera URL must not hold a user name or password")
        self.base_url = url.rstrip("/")
        self._origin = "%s://%s" % (parts.scheme, parts.netloc)
        self._token = token
        self.timeout = timeout
        self.retries = max(0, retries)
        self.retry_base_delay = retry_base_delay
        self.max_retry_delay = max_retry_delay
        self.user_agent = user_agent or "tessera-python/%s" % __version__

    def __repr__(self) -> str:
        return "Client(base_url=%r, token=%s)" % (self.base_url, "<set>" if self._token else "None")

    # ---- Account ---------------------------------------------------------------------------

    def me(self) -> Me:
        """Who the caller is: the token (never its value), its workspace and role, its user."""
        return self._get(Me, "me.get", "/api/v1/me")

    # ---- Tokens ----------------------------------------------------------------------------

    def list_tokens(self, workspace_id: str) -> List[Token]:
        """The tokens the caller may see, newest first (metadata only)."""
        path = "/api/v1/workspaces/%s/tokens" % _path_param("workspace_id", workspace_id)
        return self._list(Token, "tokens.list", path)

    def get_token(self, workspace_id: str, token_id: str) -> Token:
        """One token's metadata, never its value."""
        path = "/api/v1/workspaces/%s/tokens/%s" % (_path_param("workspace_id", workspace_id), _path_param("token_id", token_id))
        return self._get(Token, "tokens.get", path)

    # ---- Secrets ---------------------------------------------------------------------------

    def list_secrets(self, workspace_id: str) -> List[Secret]:
        """The secrets the caller may see, by name (metadata only: values never leave Tessera this way)."""
        path = "/api/v1/workspaces/%s/secrets" % _path_param("workspace_id", workspace_id)
        return self._list(Secret, "secrets.list", path)

    def get_secret(self, workspace_id: str, secret_id: str) -> Secret:
        """One secret's metadata, never its value."""
        path = "/api/v1/workspaces/%s/secrets/%s" % (_path_param("workspace_id", workspace_id), _path_param("secret_id", secret_id))
        return self._get(Secret, "secrets.get", path)

    # ---- Workloads at run time -------------------------------------------------------------

    def issue_workload_credential(self, workspace_id: str, workload_id: str, ttl_seconds: Optional[int] = None) -> WorkloadCredential:
        """A workload token exchanges itself for a short-lived credential (at most 15 minutes)."""
        path = "/api/v1/workspaces/%s/workloads/%s/credentials" % (_path_param("workspace_id", workspace_id), _path_param("workload_id", workload_id))
        body: Dict[str, Any] = {} if ttl_seconds is None else {"ttlSeconds": ttl_seconds}
        status, data, rid = self._request("POST", path, "workloads.issueCredential", body=body)
        return decode(WorkloadCredential, data, "workloads.issueCredential", status, rid)

    def resolve_workload_env(self, workspace_id: str, workload_id: str, credential: WorkloadCredential) -> ResolvedEnv:
        """The workload's environment, read with a credential from :meth:`issue_workload_credential`."""
        path = "/api/v1/workspaces/%s/workloads/%s/env" % (_path_param("workspace_id", workspace_id), _path_param("workload_id", workload_id))
        status, data, rid = self._request("GET", path, "workloads.resolveEnv", bearer=credential.credential)
        return decode(ResolvedEnv, data, "workloads.resolveEnv", status, rid)

    # ---- Transport -------------------------------------------------------------------------

    def _get(self, cls: Type[T], operation: str, path: str) -> T:
        status, data, rid = self._request("GET", path, operation)
        return decode(cls, data, operation, status, rid)

    def _list(self, cls: Type[T], operation: str, path: str) -> List[T]:
        status, data, rid = self._request("GET", path, operation)
        if not isinstance(data, dict) or not isinstance(data.get("data"), list):
            raise TesseraError(status, "BAD_RESPONSE", "%s: the answer does not match the API document (data: expected a list)" % operation, rid)
        return [decode(cls, item, operation, status, rid) for item in data["data"]]

    def _request(self, method: str, path: str, operation: str, body: Any = None, bearer: Optional[str] = None) -> Tuple[int, Any, Optional[str]]:
        url = self.base_url + path
        credential = bearer if bearer is not None else self._token
        headers = {"Accept": "application/json", "User-Agent": self.user_agent}
        if credential:
            headers["Authorization"] = "Bearer " + credential
        payload = None
        if body is not None:
            payload = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        attempt = 0
        while True:
            attempt += 1
            ok, failure, retryable = self._attempt(method, url, headers, payload, operation, credential)
            if ok is not None:
                return ok
            assert failure is not None
            if not retryable or attempt > self.retries:
                raise failure
            delay = failure.retry_after if failure.retry_after is not None else backoff_delay(attempt, self.retry_base_delay, self.max_retry_delay)
            if delay > self.max_retry_delay:
                raise failure
            time.sleep(delay)

    def _attempt(
        self, method: str, url: str, headers: Mapping[str, str], payload: Optional[bytes], operation: str, credential: Optional[str]
    ) -> Tuple[Optional[Tuple[int, Any, Optional[str]]], Optional[TesseraError], bool]:
        """One request: ((status, json, request id), None, False), or (None, error, whether to retry)."""
        req = urllib.request.Request(url, data=payload, headers=dict(headers), method=method)
        timed_out = TesseraError(0, "TIMEOUT", "%s: no answer from Tessera at %s within %g s" % (operation, self._origin, self.timeout))
        try:
            with _OPENER.open(req, timeout=self.timeout) as res:
                status = res.status
                rid = res.headers.get("X-Request-Id")
                raw = res.read()
        except urllib.error.HTTPError as err:
            with err:
                return None, self._error_of(err, operation, credential), err.code in RETRY_STATUSES
        except (socket.timeout, TimeoutError):
            return None, timed_out, False
        except http.client.HTTPException:
            return None, TesseraError(0, "NETWORK", "%s: the connection to Tessera at %s broke" % (operation, self._origin)), method == "GET"
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            if isinstance(reason, (socket.timeout, TimeoutError)):
                return None, timed_out, False
            message = "Cannot reach Tessera at %s (%s). Is the server running? Set TESSERA_URL." % (self._origin, _reason(reason))
            # Sent again only where that is harmless: a read, or a connection that was never made.
            not_sent = isinstance(reason, (ConnectionRefusedError, socket.gaierror))
            return None, TesseraError(0, "NETWORK", self._redact(message, credential)), method == "GET" or not_sent
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None, TesseraError(status, "BAD_RESPONSE", "%s: the answer is not JSON" % operation, rid), False
        return (status, data, rid), None, False

    def _error_of(self, err: urllib.error.HTTPError, operation: str, credential: Optional[str]) -> TesseraError:
        status = err.code
        header_id = err.headers.get("X-Request-Id") if err.headers else None
        retry_after = parse_retry_after(err.headers.get("Retry-After")) if err.headers else None
        if 300 <= status < 400:
            where = err.headers.get("Location", "another address") if err.headers else "another address"
            return TesseraError(
                status, "BAD_RESPONSE",
                "%s: Tessera at %s answered with a redirect to %s; set TESSERA_URL to the address it names" % (operation, self._origin, _shown_url(where)),
                header_id,
            )
        try:
            envelope = json.loads(err.read().decode("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            envelope = None
        e = envelope.get("error") if isinstance(envelope, dict) else None
        if isinstance(e, dict) and isinstance(e.get("code"), str) and isinstance(e.get("message"), str):
            details = []
            for d in e.get("details") or []:
                if isinstance(d, dict) and isinstance(d.get("path"), str) and isinstance(d.get("message"), str):
                    details.append((d["path"], d["message"]))
            rid = e.get("requestId") if isinstance(e.get("requestId"), str) else header_id
            return TesseraError(status, e["code"], self._redact(e["message"], credential), rid, details=details, retry_after=retry_after)
        reason = (" " + err.reason) if isinstance(err.reason, str) and err.reason else ""
        return TesseraError(status, "BAD_RESPONSE", "%s: Tessera answered %d%s without an error envelope" % (operation, status, reason), header_id, retry_after=retry_after)

    def _redact(self, message: str, credential: Optional[str]) -> str:
        """Belt and braces: a credential never appears in a message, whatever a server or runtime said."""
        for t in (self._token, credential):
            if t and len(t) >= 8:
                message = message.replace(t, "[redacted]")
        return message


def _reason(reason: Any) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def _shown_url(url: str) -> str:
    """A URL as it may be shown: without any user information or query (they could hold a credential)."""
    try:
        p = urllib.parse.urlsplit(url)
    except ValueError:
        return "an invalid URL"
    host = p.hostname or ""
    if p.port:
        host = "%s:%d" % (host, p.port)
    if not p.scheme:
        return repr(url[:40]) if "tsr_" not in url else "an invalid URL"
    return "%s://%s%s" % (p.scheme, host, p.path)
