"""Tessera's Python client for workloads: load a workload's environment, run a command with it, read metadata.

- :func:`load_env` sets ``os.environ`` from the workload's environment (TESSERA_URL, TESSERA_TOKEN).
- ``python -m tessera run -- CMD…`` runs a command with it, its output redacted.
- :class:`Client` reads tokens' and secrets' metadata, and who the caller is.

Standard library only; Python 3.9 or later. A token, a credential or a secret value never appears
in a repr, an error or a warning.
"""

from ._client import Client, backoff_delay, parse_retry_after
from ._env import WorkloadSettings, fetch_workload_env, load_env, settings_from_env
from ._errors import TesseraError, TesseraWarning
from ._models import Me, MeToken, MeUser, MeWorkspace, ResolvedEnv, Secret, Token, Withheld, WorkloadCredential, parse_datetime
from ._redact import MIN_REDACTED_LENGTH, Redactor, redact_text, redaction_marker
from ._version import __version__

__all__ = [
    "Client",
    "Me",
    "MeToken",
    "MeUser",
    "MeWorkspace",
    "MIN_REDACTED_LENGTH",
    "Redactor",
    "ResolvedEnv",
    "Secret",
    "TesseraError",
    "TesseraWarning",
    "Token",
    "Withheld",
    "WorkloadCredential",
    "WorkloadSettings",
    "__version__",
    "backoff_delay",
    "fetch_workload_env",
    "load_env",
    "parse_datetime",
    "parse_retry_after",
    "redact_text",
    "redaction_marker",
    "settings_from_env",
]
