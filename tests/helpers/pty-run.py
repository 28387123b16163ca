"""Runs a command in a pseudo-terminal, as a person at a terminal would, for the CLI's prompts.

usage: python3 pty-run.py '<json: [[prompt, answer], ...]>' -- command [args...]

Each time the terminal shows `prompt` (in order), `answer` is typed followed by Enter. Prints one
JSON object: {"code": exit code, "output": everything the terminal showed}. Standard library only.
"""
import json
import os
import pty
import select
import sys


def main() -> int:
    steps = json.loads(sys.argv[1])
    cmd = sys.argv[sys.argv.index("--") + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    out = b""
    seen = 0
    while True:
        try:
            ready, _, _ = select.select([fd], [], [], 120)
        except InterruptedError:
            continue
        if not ready:
            break
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
        while steps and steps[0][0].encode() in out[seen:]:
            seen = out.index(steps[0][0].encode(), seen) + len(steps[0][0])
            os.write(fd, steps[0][1].encode() + b"\r")
            steps.pop(0)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    print(json.dumps({"code": code, "output": out.decode("utf-8", "replace"), "unanswered": [s[0] for s in steps]}))
    return 0


sys.exit(main())
