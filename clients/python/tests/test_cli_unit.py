# `python -m tessera` prints server text (error messages, variable names) to stderr: control
# characters in it (escape sequences, carriage returns, line breaks) are shown as U+FFFD, so that a
# hostile or broken server cannot recolour or clear the terminal, nor forge a line of its own.
import os
import subprocess
import sys
import unittest

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
sys.path.insert(0, SRC)

from tessera._cli import safe_text  # noqa: E402

HOSTILE = "denied\x1b[2J\x1b]0;title\x07\rtessera: all good\nX\t\x7f\x85\x9bY"

# main() with the environment fetch failing as the server said (HOSTILE), then a withheld warning.
SCRIPT = r"""
import sys
from tessera import _cli
from tessera._errors import TesseraError
from tessera._models import Withheld
from tessera._env import withheld_message
hostile = sys.argv[1]
def fail(*args, **kwargs):
    raise TesseraError(401, "UNAUTHORIZED", hostile)
_cli.settings_from_env = lambda *a, **k: None
_cli.fetch_workload_env = fail
code = _cli.main(["run", "--", "true"])
_cli._err("tessera: warning: " + withheld_message(Withheld(env_name=hostile, reason=hostile)))
sys.exit(code)
"""


class SafeTextTest(unittest.TestCase):
    def test_control_characters_become_replacement_characters(self):
        self.assertEqual(safe_text("a\x00b\x1bc\rd\ne\tf\x7fg\x80h\x9fi"), "a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\ufffdg\ufffdh\ufffdi")
        # Printable text, accents and other scripts stay.
        self.assertEqual(safe_text("naïve ✓ 日本 \u00a0x"), "naïve ✓ 日本 \u00a0x")

    def test_errors_from_the_server_reach_the_terminal_without_control_characters(self):
        env = dict(os.environ, PYTHONPATH=SRC, PYTHONIOENCODING="utf-8")
        done = subprocess.run([sys.executable, "-c", SCRIPT, HOSTILE], capture_output=True, env=env, timeout=60)
        self.assertEqual(done.returncode, 1)
        err = done.stderr.decode("utf-8")
        lines = err.split("\n")
        # Two lines (the error, the warning) and the final newline: nothing else.
        self.assertEqual(len(lines), 3, err)
        self.assertEqual(lines[2], "")
        self.assertTrue(lines[0].startswith("tessera: denied\ufffd[2J"), lines[0])
        self.assertTrue(lines[1].startswith("tessera: warning: denied\ufffd"), lines[1])
        for ch in lines[0] + lines[1]:
            self.assertFalse(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F, "control character %r in %r" % (ch, err))


if __name__ == "__main__":
    unittest.main()
