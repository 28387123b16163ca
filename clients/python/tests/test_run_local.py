# How `run` runs the command, without a server: tessera._cli.run_command in a process of its own,
# as `python -m tessera run` calls it once the environment is fetched. Signals are passed on once,
# the exit code is the command's (128 + the signal's number when a signal ended it, 127 when it is
# not found), and its output goes through the redactor on both streams.
import os
import signal
import subprocess
import sys
import unittest

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")

# `run_command(command, env, secrets)` with the secret MODEL_KEY, in a child Python.
WRAPPER = r"""
import json, os, sys
from tessera._cli import run_command
env = dict(os.environ, MODEL_KEY="local-secret-value-42")
sys.exit(run_command(json.loads(sys.argv[1]), env, {"MODEL_KEY": "local-secret-value-42"}))
"""

# Waits for signals: reports each one it gets, and ends with 3 on SIGTERM.
SIGNALS = r"""
import os, signal, sys
def handler(signum, frame):
    os.write(1, (signal.Signals(signum).name + "\n").encode())
    if signum == signal.SIGTERM:
        sys.exit(3)
for name in ("SIGINT", "SIGUSR1", "SIGUSR2", "SIGHUP", "SIGQUIT", "SIGTERM"):
    signal.signal(getattr(signal, name), handler)
os.write(1, b"ready\n")
while True:
    signal.pause()
"""


def wrapper(command, **popen):
    import json

    env = dict(os.environ)
    if env.get("TESSERA_TEST_INSTALLED") != "1":
        env["PYTHONPATH"] = SRC
    return subprocess.Popen([sys.executable, "-c", WRAPPER, json.dumps(command)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)


def run(command):
    p = wrapper(command, stdin=subprocess.DEVNULL)
    out, err = p.communicate(timeout=120)
    return p.returncode, out.decode(), err.decode()


@unittest.skipUnless(hasattr(signal, "SIGUSR1"), "POSIX signals")
class RunCommandTest(unittest.TestCase):
    def test_output_is_redacted_on_both_streams(self):
        script = "import os, sys; v = os.environ['MODEL_KEY']; print('out=' + v); sys.stderr.write('err=' + v[:5]); sys.stderr.flush(); sys.stderr.write(v[5:] + '\\n')"
        code, out, err = run([sys.executable, "-c", script])
        self.assertEqual((code, out, err), (0, "out=[redacted:MODEL_KEY]\n", "err=[redacted:MODEL_KEY]\n"))

    def test_exit_codes_are_the_commands(self):
        self.assertEqual(run([sys.executable, "-c", "raise SystemExit(9)"])[0], 9)
        code, _, _ = run([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"])
        self.assertEqual(code, 128 + signal.SIGKILL)
        code, _, err = run(["no-such-command-xyz"])
        self.assertEqual((code, err), (127, "tessera: cannot start no-such-command-xyz: command not found\n"))
        code, _, err = run([os.path.dirname(SRC)])  # a folder: not executable
        self.assertEqual(code, 126)
        self.assertIn("permission denied", err)

    def test_signals_are_passed_on_once_and_the_exit_code_is_the_commands(self):
        # A session of its own: no terminal, as in a container (a terminal's Ctrl-C reaches the
        # command directly, in the same process group, and is not sent again).
        p = wrapper([sys.executable, "-c", SIGNALS], stdin=subprocess.DEVNULL, start_new_session=True)
        self.addCleanup(p.stderr.close)
        self.addCleanup(p.stdout.close)
        self.addCleanup(lambda: p.poll() is None and p.kill())
        self.assertEqual(p.stdout.readline(), b"ready\n")
        for name in ("SIGUSR1", "SIGINT", "SIGHUP", "SIGUSR2", "SIGQUIT"):
            p.send_signal(getattr(signal, name))
            self.assertEqual(p.stdout.readline(), (name + "\n").encode())
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.stdout.readline(), b"SIGTERM\n")
        self.assertEqual(p.wait(timeout=60), 3)
        self.assertEqual(p.stdout.read(), b"")  # each signal once: nothing more was reported


if __name__ == "__main__":
    unittest.main()
