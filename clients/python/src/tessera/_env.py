"""A workload's environment: settings from the process environment, the credential exchange, load_env()."""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from typing import List, MutableMapping, Optional, Tuple

from ._client import Client
from ._errors import TesseraError, TesseraWarning
from ._models import ResolvedEnv, Withheld, WorkloadCredential

#: Never taken from a workload's environment: the process keeps its own token (and `run` drops it).
_NEVER_SET = frozenset(["TESSERA_TOKEN"])


@dataclass(frozen=True)
class WorkloadSettings:
    """Where the workload's environment comes from. The token is never in a repr."""

    url: str
    token: str = field(repr=False)
    workspace_id: Optional[str]
    workload_id: Optional[str]


def settings_from_env(
    url: Optional[str] = None,
    token: Optional[str] = None,
    workspace: Optional[str] = None,
    workload: Optional[str] = None,
    environ: Optional[MutableMapping[str, str]] = None,
) -> WorkloadSettings:
    """Arguments first, then TESSERA_URL, TESSERA_TOKEN, TESSERA_WORKSPACE and TESSERA_WORKLOAD.

    TESSERA_WORKSPACE_ID and TESSERA_WORKLOAD_ID (the Node CLI's names) are read too.
    """
    env = os.environ if environ is None else environ
    url = url or env.get("TESSERA_URL")
    token = token or env.get("TESSERA_TOKEN")
    if not url:
        raise TesseraError(0, "CONFIGURATION", "Set TESSERA_URL to Tessera's address (e.g. https://tessera.example.com)")
    if not token:
        raise TesseraError(0, "CONFIGURATION", "Set TESSERA_TOKEN to the workload's token (tsr_wkl_…); it is never taken as an argument")
    workspace = workspace or env.get("TESSERA_WORKSPACE") or env.get("TESSERA_WORKSPACE_ID") or None
    workload = workload or env.get("TESSERA_WORKLOAD") or env.get("TESSERA_WORKLOAD_ID") or None
    return WorkloadSettings(url=url, token=token, workspace_id=workspace, workload_id=workload)


def fetch_workload_env(settings: WorkloadSettings, ttl_seconds: Optional[int] = None) -> Tuple[ResolvedEnv, WorkloadCredential]:
    """Exchanges the workload token for a short-lived credential and reads the environment with it.

    Missing ids are read from GET /api/v1/me with the token: its workspace and its workload.
    """
    client = Client(settings.url, settings.token)
    workspace_id, workload_id = settings.workspace_id, settings.workload_id
    # The token's own workload and workspace, read with the token: the workload may be given by name
    # or id (a workload token cannot list workloads, so it is matched against the token's own).
    me = client.me()
    if me.token.kind != "workload":
        # What the credential exchange would answer (403), said before it: there is no workload to ask about.
        raise TesseraError(403, "FORBIDDEN", "TESSERA_TOKEN is a %s token: a workload's environment needs a workload token (tsr_wkl_…)" % me.token.kind)
    if not me.token.workload_id:
        raise TesseraError(403, "FORBIDDEN", "The workload token is not assigned to a workload: assign it to one (Tokens page: reassign)")
    if workload_id and workload_id not in (me.token.workload_id, me.token.workload_name):
        raise TesseraError(
            0,
            "CONFIGURATION",
            "This token belongs to workload %s (%s), not %s" % (me.token.workload_name or "?", me.token.workload_id, workload_id),
        )
    workspace_id = workspace_id or me.workspace.id
    workload_id = me.token.workload_id
    credential = client.issue_workload_credential(workspace_id, workload_id, ttl_seconds)
    return client.resolve_workload_env(workspace_id, workload_id, credential), credential


def withheld_message(w: Withheld) -> str:
    """Why a variable was left out, in the words of the Node CLI."""
    if w.reason == "private_secret":
        why = "it comes from a private secret, which opens only for a workload token that the secret's creator minted and put on this workload"
    elif w.reason == "loader_variable":
        why = "it makes a process load code, and this workspace does not allow that name (Settings > General)"
    else:
        why = "the server gave the reason %r" % w.reason
    return "%s left out: %s" % (w.env_name, why)


def load_env(
    *,
    override: bool = False,
    url: Optional[str] = None,
    token: Optional[str] = None,
    workspace: Optional[str] = None,
    workload: Optional[str] = None,
    ttl_seconds: Optional[int] = None,
    environ: Optional[MutableMapping[str, str]] = None,
) -> List[str]:
    """Sets this process's environment to the workload's, and returns the names that now hold it.

    Reads TESSERA_URL and TESSERA_TOKEN (a workload token, ``tsr_wkl_…``), and TESSERA_WORKSPACE and
    TESSERA_WORKLOAD when set (otherwise GET /api/v1/me with the token says which). The token is
    exchanged for a credential that lives at most 15 minutes, which reads the environment once.

    A variable already set in the environment is kept unless ``override=True`` (as with
    python-dotenv's ``load_dotenv``): a value given to the process on purpose wins. When a kept
    value differs from the workload's, a :class:`TesseraWarning` names the variable (never a value).
    TESSERA_TOKEN itself is never replaced. Variables the server withheld (a private secret, a
    code-loading name) are named in a :class:`TesseraWarning` each.

    Returns the names, in the workload's order, whose values are now the workload's (set now, or
    already equal). Raises :class:`TesseraError` when Tessera refuses or cannot be reached.
    """
    target = os.environ if environ is None else environ
    settings = settings_from_env(url, token, workspace, workload, target)
    resolved, _credential = fetch_workload_env(settings, ttl_seconds)
    for w in resolved.withheld:
        warnings.warn("Tessera: " + withheld_message(w), TesseraWarning, stacklevel=2)
    loaded: List[str] = []
    kept: List[str] = []
    for name, value in resolved.env.items():
        if name in _NEVER_SET:
            continue
        current = target.get(name)
        if current is None or override:
            target[name] = value
            loaded.append(name)
        elif current == value:
            loaded.append(name)
        else:
            kept.append(name)
    if kept:
        warnings.warn(
            "Tessera: kept %s from the environment: %s from the workload's value (load_env(override=True) replaces it)"
            % (", ".join(kept), "it differs" if len(kept) == 1 else "they differ"),
            TesseraWarning,
            stacklevel=2,
        )
    return loaded
