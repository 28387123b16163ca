# The in-tree build backend (_build/tessera_build.py): its TOML reader for Python < 3.11 reads
# pyproject.toml as tomllib does, and the wheel it builds is well-formed (RECORD hashes, metadata).
import base64
import hashlib
import os
import sys
import tempfile
import unittest
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "_build"))

import tessera_build  # noqa: E402

import tessera  # noqa: E402


class InRoot:
    """PEP 517 hooks run in the source tree's root."""

    def __enter__(self):
        self.before = os.getcwd()
        os.chdir(ROOT)

    def __exit__(self, *exc):
        os.chdir(self.before)


class TomlSubsetTest(unittest.TestCase):
    def test_reads_pyproject_as_tomllib_does(self):
        with open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8") as f:
            text = f.read()
        doc = tessera_build.read_toml_subset(text)
        self.assertEqual(doc["build-system"], {"requires": [], "build-backend": "tessera_build", "backend-path": ["_build"]})
        self.assertEqual((doc["project"]["name"], doc["project"]["dynamic"]), ("tessera-client", ["version"]))
        try:
            import tomllib
        except ImportError:  # Python < 3.11: the subset reader is what the backend uses
            return
        self.assertEqual(doc, tomllib.loads(text))

    def test_values_and_refusals(self):
        doc = tessera_build.read_toml_subset(
            '# c\n[a]\nx = "q\\"\\u00e9" # c\ny = \'lit\\\'\nz = [\n  "1", # one\n  "2",\n]\n[a.b]\nn = 42\nt = true\ni = { text = "MIT", k = [] }\n"quoted key".d = 1\n'
        )
        self.assertEqual(doc, {"a": {"x": 'q"é', "y": "lit\\", "z": ["1", "2"], "b": {"n": 42, "t": True, "i": {"text": "MIT", "k": []}, "quoted key": {"d": 1}}}})
        for bad in ('x = """a"""', "[[t]]", "x = 1.5", 'x = "a" y', 'x = 1\nx = 2', 'x = "open'):
            with self.assertRaises(ValueError, msg=bad):
                tessera_build.read_toml_subset(bad)


class WheelTest(unittest.TestCase):
    def test_the_wheel_holds_the_package_and_a_correct_record(self):
        with InRoot(), tempfile.TemporaryDirectory() as out:
            self.assertEqual(tessera_build.get_requires_for_build_wheel(), [])
            name = tessera_build.build_wheel(out)
            self.assertEqual(name, "tessera_client-%s-py3-none-any.whl" % tessera.__version__)
            with zipfile.ZipFile(os.path.join(out, name)) as z:
                names = z.namelist()
                self.assertIn("tessera/__init__.py", names)
                self.assertIn("tessera/py.typed", names)
                self.assertFalse([n for n in names if "__pycache__" in n or n.endswith(".pyc")])
                info = "tessera_client-%s.dist-info" % tessera.__version__
                meta = z.read(info + "/METADATA").decode()
                self.assertIn("Name: tessera-client\n", meta)
                self.assertIn("Version: %s\n" % tessera.__version__, meta)
                self.assertIn("Requires-Python: >=3.9\n", meta)
                self.assertIn("Tag: py3-none-any", z.read(info + "/WHEEL").decode())
                record = z.read(info + "/RECORD").decode().splitlines()
                self.assertEqual(sorted(r.split(",")[0] for r in record), sorted(names))
                for row in record:
                    path, digest, size = row.split(",")
                    if path.endswith("RECORD"):
                        continue
                    data = z.read(path)
                    self.assertEqual(int(size), len(data))
                    self.assertEqual(digest, "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode())
            # Reproducible: the same bytes again.
            with open(os.path.join(out, name), "rb") as f:
                first = f.read()
            os.remove(os.path.join(out, name))
            tessera_build.build_wheel(out)
            with open(os.path.join(out, name), "rb") as f:
                self.assertEqual(f.read(), first)

    def test_metadata_and_editable_hooks(self):
        with InRoot(), tempfile.TemporaryDirectory() as out:
            info = tessera_build.prepare_metadata_for_build_wheel(out)
            self.assertTrue(os.path.isfile(os.path.join(out, info, "METADATA")))
            name = tessera_build.build_editable(out)
            with zipfile.ZipFile(os.path.join(out, name)) as z:
                pth = [n for n in z.namelist() if n.endswith(".pth")]
                self.assertEqual(len(pth), 1)
                self.assertEqual(z.read(pth[0]).decode().strip(), os.path.join(ROOT, "src"))


if __name__ == "__main__":
    unittest.main()
