"""The client's one error type."""

from __future__ import annotations

from typing import List, Optional, Tuple


class TesseraError(Exception):
    """A call to Tessera failed, or the client is not configured.

    ``status`` is the HTTP status (0 when no answer arrived or no request was made). ``code`` is the
    error envelope's code (``NOT_FOUND``, ``VALIDATION_FAILED``, ``RATE_LIMITED``, ...) or the
    client's own:

    - ``NETWORK``: the server could not be reached, or the connection broke;
    - ``TIMEOUT``: no answer within the client's timeout;
    - ``BAD_RESPONSE``: an answer that is not what the API document says (not JSON, a missing field,
      a redirect, an error without the envelope);
    - ``CONFIGURATION``: a setting is missing or wrong (``TESSERA_URL``, ``TESSERA_TOKEN``, an id).

    ``message`` is the server's (safe to show: it never holds a credential or a secret value) or
    the client's own, which never holds one either. ``request_id`` is the server's request id, to
    quote in a support request. ``details`` lists ``(field, problem)`` pairs for
    ``VALIDATION_FAILED``; ``retry_after`` is the wait in seconds that a 429 or 503 asked for.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        request_id: Optional[str] = None,
        *,
        details: Optional[List[Tuple[str, str]]] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.details = list(details or [])
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return "TesseraError(status=%r, code=%r, message=%r, request_id=%r)" % (self.status, self.code, self.message, self.request_id)

    def __reduce__(self):  # picklable (e.g. across multiprocessing), with its fields
        return (_rebuild, (self.status, self.code, self.message, self.request_id, self.details, self.retry_after))


def _rebuild(status, code, message, request_id, details, retry_after):  # type: ignore[no-untyped-def]
    return TesseraError(status, code, message, request_id, details=details, retry_after=retry_after)


class TesseraWarning(UserWarning):
    """Something the caller should know that does not stop the call (a variable left out, or kept)."""
