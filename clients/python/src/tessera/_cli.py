"""``python -m tessera``: the workload side of the Tessera command line (``run``)."""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import threading
from datetime import datetime, timezone
from typing import Dict, List, NoReturn, Optional, Sequence

from ._env import fetch_workload_env, settings_from_env, withheld_message
from ._errors import TesseraError
from ._redact import Redactor
from ._version import __version__

MAIN_HELP = """python -m tessera: the Tessera client for workloads (Python %s)

Usage:
  python -m tessera run [--workspace <id>] [--workload <name|id>] [options] -- <command> [args…]
  python -m tessera help [command]
  python -m tessera --version

Commands:
  run     Start a command with a workload's environment (secrets included), its output redacted
  help    Show help for a command

Environment:
  TESSERA_URL        Tessera's address (required)
  TESSERA_TOKEN      The workload token (tsr_wkl_…) for run: never taken as an argument
  TESSERA_WORKSPACE  The workspace ID (optional: the token knows its workspace)
  TESSERA_WORKLOAD   The workload, by name or ID (optional: the token knows its workload)
""" % __version__

RUN_HELP = """Usage: python -m tessera run [--workspace <id>] [--workload <name|id>] [options] -- <command> [args…]

Starts <command> with the workload's resolved environment added to this one. The workload token
(TESSERA_TOKEN) is exchanged for a credential that lives at most 15 minutes and opens this
workload's environment only; the token itself is not passed to the command. The command's stdout
and stderr are passed through with every value that comes from a secret replaced by
[redacted:NAME] (values of 4 bytes or more). The exit code is the command's (128 + the signal's
number when a signal ended it; 127 when the command is not found). SIGINT, SIGTERM, SIGHUP,
SIGQUIT, SIGUSR1 and SIGUSR2 are passed on to the command. PYTHONUNBUFFERED=1 is set for the
command unless already set, so that a Python command's output shows as it is written.

Options:
  --workspace <id>   The workspace ID (or TESSERA_WORKSPACE; default: the token's workspace)
  --workload <name|id>  The workload, by name or ID (or TESSERA_WORKLOAD; default: the token's workload)
  --url <url>        Tessera's address (or TESSERA_URL)
  --json             Before starting, print one JSON line to stderr: the variables set and redacted
                     (names only) and when the credential expires
  -h, --help         Show this help

Exit codes: the command's; 2 for a usage error; 1 when Tessera refused or could not be reached.

Example:
  TESSERA_URL=https://tessera.example.com TESSERA_TOKEN=tsr_wkl_… python -m tessera run -- python train.py
"""

#: Signals passed on to the command (those this platform has).
FORWARDED = [getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2") if hasattr(signal, n)]
#: Signals a terminal sends to its whole foreground process group (the command included).
FROM_TERMINAL = [getattr(signal, n) for n in ("SIGINT", "SIGQUIT") if hasattr(signal, n)]


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


# C0 and C1 control characters (line breaks and tabs included) and DEL: in text from the server
# they could move the cursor, recolour or clear the terminal, or start a line that looks like ours.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def safe_text(text: str) -> str:
    """Text to print on one line: every control character shown as U+FFFD (like the Node CLI's safeText)."""
    return _CONTROL.sub("\ufffd", text)


def _err(text: str) -> None:
    """One line on stderr; server text in it (error messages, variable names) cannot control the terminal."""
    _write_all(2, (safe_text(text[:-1] if text.endswith("\n") else text) + "\n").encode("utf-8", "replace"))


def _write_all(fd: int, data: bytes) -> bool:
    """Writes everything; False when the reader has gone (the bytes are dropped)."""
    view = memoryview(data)
    while view:
        try:
            n = os.write(fd, view)
        except BrokenPipeError:
            return False
        except InterruptedError:  # pragma: no cover - retried by Python itself since 3.5
            continue
        view = view[n:]
    return True


def _pump(source, fd: int, secrets: Dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Copies the command's output to ``fd``, redacted; reads to the end even if ``fd`` is closed."""
    redactor = Redactor(secrets)
    src = source.fileno()
    open_ = True
    while True:
        chunk = os.read(src, 65536)
        if not chunk:
            break
        out = redactor.feed(chunk)
        if open_ and out:
            open_ = _write_all(fd, out)
    rest = redactor.flush()
    if open_ and rest:
        _write_all(fd, rest)
    source.close()


class _Forwarder:
    """Passes signals this process gets on to the command, once.

    Installed before the command starts: a signal that arrives meanwhile is passed on as soon as
    the command exists. A terminal's Ctrl-C (SIGINT) or Ctrl-\\ (SIGQUIT) already reaches the
    command, which is in this process's foreground process group: those are not sent again (a
    second SIGINT would interrupt the command's own clean-up).
    """

    def __init__(self) -> None:
        self.child: Optional[subprocess.Popen] = None  # type: ignore[type-arg]
        self.pending: List[int] = []
        self.previous: Dict[int, object] = {}
        self.tty: Optional[int] = None

    def _foreground(self) -> bool:
        if self.tty is None:
            return False
        try:
            return os.tcgetpgrp(self.tty) == os.getpgrp()
        except OSError:
            return False

    def _handle(self, signum: int, _frame: object) -> None:
        if signum in FROM_TERMINAL and self._foreground():
            return
        if self.child is None:
            self.pending.append(signum)
            return
        try:
            self.child.send_signal(signum)
        except OSError:
            pass

    def started(self, child: subprocess.Popen) -> None:  # type: ignore[type-arg]
        self.child = child
        pending, self.pending = self.pending, []
        for signum in pending:
            self._handle(signum, None)

    def __enter__(self) -> "_Forwarder":
        try:
            self.tty = os.open("/dev/tty", os.O_RDONLY)
        except OSError:
            self.tty = None
        if threading.current_thread() is threading.main_thread():
            for s in FORWARDED:
                self.previous[s] = signal.signal(s, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for s, h in self.previous.items():
            signal.signal(s, h)  # type: ignore[arg-type]
        if self.tty is not None:
            os.close(self.tty)


def _wait(child: subprocess.Popen) -> int:  # type: ignore[type-arg]
    """Waits for the command without ever blocking signals' handlers for long.

    A signal that lands just before a blocking waitpid() starts is caught by Python's C handler but
    its Python handler (the forwarder) runs only when waitpid() returns, that is when the command
    ends: a SIGTERM would never be passed on. Waiting in short slices lets the handler run.
    """
    while True:
        try:
            return child.wait(timeout=0.25)
        except subprocess.TimeoutExpired:
            continue


def run_command(command: Sequence[str], env: Dict[str, str], secrets: Dict[str, str]) -> int:
    """Runs ``command`` with ``env``, its output redacted; returns its exit code as a shell reports it."""
    with _Forwarder() as forwarder:
        try:
            child = subprocess.Popen(list(command), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except FileNotFoundError:
            _err("tessera: cannot start %s: command not found" % command[0])
            return 127
        except PermissionError:
            _err("tessera: cannot start %s: permission denied" % command[0])
            return 126
        except OSError as err:
            _err("tessera: cannot start %s: %s" % (command[0], err.strerror or err))
            return 126
        forwarder.started(child)
        pumps = [
            threading.Thread(target=_pump, args=(child.stdout, 1, secrets), daemon=True),
            threading.Thread(target=_pump, args=(child.stderr, 2, secrets), daemon=True),
        ]
        # The pump threads block the forwarded signals, so that the kernel delivers them to this
        # (main) thread: Python runs signal handlers only there, and a signal taken by a thread
        # blocked in read() would wait until the command ended. Threads inherit the mask.
        mask = None
        if hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread():
            mask = signal.pthread_sigmask(signal.SIG_BLOCK, FORWARDED)
        try:
            for t in pumps:
                t.start()
        finally:
            if mask is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        code = _wait(child)
        for t in pumps:
            t.join()
    return code if code >= 0 else 128 - code


def _iso(at: datetime) -> str:
    """As JavaScript's toISOString writes it (the Node CLI's --json): UTC, milliseconds, Z."""
    u = at.astimezone(timezone.utc)
    return u.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (u.microsecond // 1000)


def _run(argv: List[str]) -> int:
    dash = argv.index("--") if "--" in argv else -1
    own = argv if dash < 0 else argv[:dash]
    command = [] if dash < 0 else argv[dash + 1:]
    parser = _Parser(prog="python -m tessera run", add_help=False)
    parser.add_argument("--workspace")
    parser.add_argument("--workload")
    parser.add_argument("--url")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-h", "--help", action="store_true")
    opts = parser.parse_args(own)
    if opts.help:
        sys.stdout.write(RUN_HELP)
        sys.stdout.flush()
        return 0
    if not command:
        raise UsageError("give the command to run after --, e.g. python -m tessera run -- python train.py")
    settings = settings_from_env(opts.url, None, opts.workspace, opts.workload)
    resolved, credential = fetch_workload_env(settings)
    secrets = resolved.secret_values()
    if opts.json:
        line = {
            "workloadId": resolved.workload_id,
            "variables": resolved.names,
            "redacted": list(secrets),
            "withheld": [{"envName": w.env_name, "reason": w.reason} for w in resolved.withheld],
            "credentialExpiresAt": _iso(credential.expires_at),
        }
        _err(json.dumps(line))
    else:
        for w in resolved.withheld:
            _err("tessera: warning: " + withheld_message(w))
    # The command gets this environment plus the workload's, without the token it does not need.
    env = dict(os.environ)
    env.update(resolved.env)
    env.pop("TESSERA_TOKEN", None)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return run_command(command, env, secrets)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    cmd = args[0] if args else None
    rest = args[1:]
    own = rest if "--" not in rest else rest[: rest.index("--")]
    as_json = cmd == "run" and "--json" in own
    try:
        if cmd in (None, "help", "--help", "-h"):
            sys.stdout.write(RUN_HELP if rest[:1] == ["run"] else MAIN_HELP)
            sys.stdout.flush()
            return 0
        if cmd in ("--version", "-V", "version"):
            sys.stdout.write("tessera-client %s (Python %d.%d)\n" % (__version__, sys.version_info[0], sys.version_info[1]))
            sys.stdout.flush()
            return 0
        if cmd == "run":
            return _run(rest)
        raise UsageError('unknown command "%s" (try: python -m tessera help)' % cmd)
    except UsageError as err:
        return _fail(str(err), 2, as_json)
    except TesseraError as err:
        # A missing or malformed setting is a usage error; a refusal or an unreachable server is not.
        return _fail(err.message, 2 if err.code == "CONFIGURATION" else 1, as_json)
    except KeyboardInterrupt:
        return 130


def _fail(message: str, code: int, as_json: bool) -> int:
    if as_json:
        _err(json.dumps({"error": {"message": message}}))
    else:
        _err("tessera: " + message)
    return code
