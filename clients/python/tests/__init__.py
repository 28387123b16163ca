# Tests of the Tessera Python client. Run from clients/python:
#
#   python3 -m unittest discover -s tests -t .
#
# They import the package from src/ (TESSERA_TEST_INSTALLED=1: from wherever it is installed).
# The tests against a real server need TESSERA_TEST_URL and the ids and tokens that
# tests/e2e/python-client.test.ts sets up (see tests/test_server.py); without them they are skipped.
import os
import sys

if os.environ.get("TESSERA_TEST_INSTALLED") != "1":
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src"))
