# The client against a real Tessera server, which tests/e2e/python-client.test.ts starts and fills:
# load_env(), `python -m tessera run` (redaction, exit codes; signals: test_run_local.py), and the typed client
# (me, tokens, secrets; errors; retries on 429 and 503 through a proxy that answers them itself).
#
# The environment names the server and what is in it:
#   TESSERA_TEST_URL                 the server
#   TESSERA_TEST_WORKSPACE           the workspace's id
#   TESSERA_TEST_WORKLOAD            a workload: MODEL_KEY (a public secret), MODE=production
#   TESSERA_TEST_WORKLOAD_TOKEN      its workload token (minted by the owner)
#   TESSERA_TEST_WORKLOAD_TOKEN_ID   that token's id
#   TESSERA_TEST_PRIVATE_WORKLOAD    a workload: PRIV (the owner's private secret), MODE=p
#   TESSERA_TEST_ADMINS_TOKEN        a workload token for it minted by an admin (PRIV is withheld)
#   TESSERA_TEST_API_TOKEN           a workspace token with the admin role
#   TESSERA_TEST_API_TOKEN_ID        that token's id
#   TESSERA_TEST_SECRET_ID           the public secret's id; TESSERA_TEST_SECRET_NAME its name
#   TESSERA_TEST_CANARY              MODEL_KEY's value; TESSERA_TEST_PRIVATE_CANARY PRIV's
import hashlib
import http.client
import http.server
import json
import os
import subprocess
import sys
import threading
import unittest
import urllib.parse
import urllib.request
import warnings
from dataclasses import fields
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from unittest import mock

import tessera
from tessera import Client, Secret, TesseraError, TesseraWarning, Token, load_env
from tessera._models import Me, MeToken, MeUser, MeWorkspace

E = os.environ
HAVE_SERVER = bool(E.get("TESSERA_TEST_URL"))
SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")


def need(name):
    value = E.get(name)
    if not value:
        raise AssertionError("%s is not set" % name)
    return value


def camel(name):
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def cli(args, token=None, extra=None):
    """`python -m tessera …` as a user runs it: only the environment a workload would have."""
    env = {"PATH": E.get("PATH", "/usr/bin:/bin"), "HOME": E.get("HOME", "/tmp"), "TESSERA_URL": need("TESSERA_TEST_URL")}
    env["TESSERA_TOKEN"] = need("TESSERA_TEST_WORKLOAD_TOKEN") if token is None else token
    if E.get("TESSERA_TEST_INSTALLED") != "1":
        env["PYTHONPATH"] = SRC
    for k, v in (extra or {}).items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env, [sys.executable, "-m", "tessera"] + list(args)


def run_cli(args, token=None, extra=None):
    env, argv = cli(args, token, extra)
    r = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


class Proxy:
    """In front of the server: answers the next requests itself as planned (429 or 503 with a
    Retry-After), forwards the others, and records every request that reaches it."""

    def __init__(self, target):
        self.target = urllib.parse.urlsplit(target)
        self.plans = []
        self.seen = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def handle_one(self):
                proxy.seen.append("%s %s" % (self.command, self.path))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if proxy.plans:
                    status, retry_after = proxy.plans.pop(0)
                    code = "RATE_LIMITED" if status == 429 else "SERVICE_UNAVAILABLE"
                    payload = json.dumps({"error": {"code": code, "message": "%s from the test proxy" % code, "requestId": "proxy-%d" % len(proxy.seen)}}).encode()
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    if retry_after is not None:
                        self.send_header("Retry-After", retry_after)
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                conn = http.client.HTTPConnection(proxy.target.hostname, proxy.target.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                conn.request(self.command, self.path, body=body, headers=headers)
                res = conn.getresponse()
                data = res.read()
                self.send_response(res.status)
                for k, v in res.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = handle_one

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@unittest.skipUnless(HAVE_SERVER, "needs a server: run by tests/e2e/python-client.test.ts")
class ClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.url = need("TESSERA_TEST_URL")
        cls.ws = need("TESSERA_TEST_WORKSPACE")
        cls.api_token = need("TESSERA_TEST_API_TOKEN")
        cls.client = Client(cls.url, cls.api_token)

    def test_me_tells_the_token_and_its_workspace(self):
        me = self.client.me()
        self.assertIsNone(me.user)
        self.assertEqual((me.token.kind, me.token.id, me.token.role), ("workspace", need("TESSERA_TEST_API_TOKEN_ID"), "admin"))
        self.assertEqual(me.workspace.id, self.ws)
        self.assertIsInstance(me.token.expires_at, datetime)
        self.assertIsNotNone(me.token.expires_at.tzinfo)
        self.assertGreater(me.token.expires_at, datetime.now(timezone.utc))
        wl = Client(self.url, need("TESSERA_TEST_WORKLOAD_TOKEN")).me()
        self.assertEqual((wl.token.kind, wl.token.workload_id, wl.workspace.role), ("workload", need("TESSERA_TEST_WORKLOAD"), None))

    def test_tokens_list_and_get_metadata_only(self):
        tokens = self.client.list_tokens(self.ws)
        by_id = {t.id: t for t in tokens}
        wl_id = need("TESSERA_TEST_WORKLOAD_TOKEN_ID")
        self.assertIn(wl_id, by_id)
        t = self.client.get_token(self.ws, wl_id)
        self.assertIsInstance(t, Token)
        self.assertEqual((t.kind, t.workload_id, t.status, t.workspace_id), ("workload", need("TESSERA_TEST_WORKLOAD"), "active", self.ws))
        self.assertIsInstance(t.created_at, datetime)
        self.assertTrue(t.partial_key.startswith("tsr_wkl_"))
        shown = repr(tokens) + repr(t)
        for value in (need("TESSERA_TEST_WORKLOAD_TOKEN"), self.api_token):
            self.assertNotIn(value, shown)

    def test_secrets_list_and_get_metadata_only(self):
        secrets = self.client.list_secrets(self.ws)
        self.assertIn(need("TESSERA_TEST_SECRET_NAME"), [s.name for s in secrets])
        s = self.client.get_secret(self.ws, need("TESSERA_TEST_SECRET_ID"))
        self.assertIsInstance(s, Secret)
        self.assertEqual((s.name, s.visibility, s.version, s.env_name), (need("TESSERA_TEST_SECRET_NAME"), "public", 1, "MODEL_KEY"))
        self.assertIsInstance(s.updated_at, datetime)
        self.assertNotIn(need("TESSERA_TEST_CANARY"), repr(secrets) + repr(s))

    def test_the_dataclasses_have_the_fields_of_the_openapi_document(self):
        with urllib.request.urlopen(self.url + "/api/v1/openapi.json", timeout=30) as res:
            doc = json.load(res)

        def resolve(schema):
            while "$ref" in schema:
                schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
            if "anyOf" in schema:  # nullable objects: the object branch
                schema = next(resolve(s) for s in schema["anyOf"] if resolve(s).get("type") == "object")
            return schema

        def response(path, method="get", status="200"):
            return resolve(doc["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"])

        def check(cls, schema):
            self.assertEqual(sorted(camel(f.name) for f in fields(cls)), sorted(schema["properties"]), cls.__name__)

        check(Token, response("/api/v1/workspaces/{workspaceId}/tokens/{tokenId}"))
        check(Secret, response("/api/v1/workspaces/{workspaceId}/secrets/{secretId}"))
        me = response("/api/v1/me")
        check(Me, me)
        check(MeUser, resolve(me["properties"]["user"]))
        check(MeToken, resolve(me["properties"]["token"]))
        check(MeWorkspace, resolve(me["properties"]["workspace"]))
        creds = response("/api/v1/workspaces/{workspaceId}/workloads/{workloadId}/credentials", "post", "201")
        check(tessera.WorkloadCredential, creds)
        check(tessera.ResolvedEnv, response("/api/v1/workspaces/{workspaceId}/workloads/{workloadId}/env"))

    def test_errors_carry_the_envelope_and_never_the_token(self):
        with self.assertRaises(TesseraError) as caught:
            self.client.get_token(self.ws, "c" * 25)
        e = caught.exception
        self.assertEqual((e.status, e.code), (404, "NOT_FOUND"))
        self.assertTrue(e.request_id)
        self.assertTrue(e.message)
        bad = "tsr_wsp_" + "x" * 38
        with self.assertRaises(TesseraError) as caught:
            Client(self.url, bad).me()
        e = caught.exception
        self.assertEqual((e.status, e.code), (401, "UNAUTHORIZED"))
        self.assertNotIn(bad, str(e) + repr(e))
        with self.assertRaises(TesseraError) as caught:
            Client("http://127.0.0.1:9", self.api_token, retries=0).me()
        e = caught.exception
        self.assertEqual((e.status, e.code), (0, "NETWORK"))
        self.assertIn("Cannot reach Tessera at http://127.0.0.1:9", e.message)
        self.assertNotIn(self.api_token, str(e) + repr(e))

    def test_429_and_503_are_retried_as_retry_after_says_within_bounds(self):
        proxy = Proxy(self.url)
        self.addCleanup(proxy.close)
        client = Client(proxy.url, self.api_token, retries=2, max_retry_delay=5)
        # A 429 with Retry-After in seconds, then a 503 with an HTTP date in the past: both retried.
        proxy.plans = [(429, "0"), (503, format_datetime(datetime.now(timezone.utc) - timedelta(seconds=5), usegmt=True))]
        self.assertEqual(client.me().workspace.id, self.ws)
        self.assertEqual(len(proxy.seen), 3)
        # A POST refused with 429 was not done: it is sent again.
        proxy.seen.clear()
        wl = Client(proxy.url, need("TESSERA_TEST_WORKLOAD_TOKEN"))
        proxy.plans = [(429, "0")]
        cred = wl.issue_workload_credential(self.ws, need("TESSERA_TEST_WORKLOAD"), ttl_seconds=60)
        self.assertEqual(cred.ttl_seconds, 60)
        self.assertEqual([s.split(" ")[0] for s in proxy.seen], ["POST", "POST"])
        # Bounded: after `retries` retries the last error is raised, with its request id.
        proxy.seen.clear()
        proxy.plans = [(429, "0")] * 3
        with self.assertRaises(TesseraError) as caught:
            client.me()
        self.assertEqual((caught.exception.status, caught.exception.code, caught.exception.request_id, caught.exception.retry_after), (429, "RATE_LIMITED", "proxy-3", 0.0))
        self.assertEqual(len(proxy.seen), 3)
        # A Retry-After beyond the cap is not waited for: the caller gets it to decide.
        proxy.seen.clear()
        proxy.plans = [(429, "120")]
        with self.assertRaises(TesseraError) as caught:
            client.me()
        self.assertEqual((caught.exception.code, caught.exception.retry_after), ("RATE_LIMITED", 120.0))
        self.assertEqual(len(proxy.seen), 1)


@unittest.skipUnless(HAVE_SERVER, "needs a server: run by tests/e2e/python-client.test.ts")
class LoadEnvTest(unittest.TestCase):
    def environ(self, **extra):
        env = {"TESSERA_URL": need("TESSERA_TEST_URL"), "TESSERA_TOKEN": need("TESSERA_TEST_WORKLOAD_TOKEN")}
        env.update(extra)
        return env

    def test_sets_the_workload_environment_and_returns_the_names(self):
        canary = need("TESSERA_TEST_CANARY")
        # Without ids: the token says which workspace and workload (GET /api/v1/me).
        env = self.environ()
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            names = load_env(environ=env)
        self.assertEqual(sorted(names), ["MODE", "MODEL_KEY"])
        self.assertEqual(env["MODE"], "production")
        self.assertEqual(hashlib.sha256(env["MODEL_KEY"].encode()).hexdigest(), hashlib.sha256(canary.encode()).hexdigest())
        self.assertEqual(seen, [])
        # With ids, and into os.environ itself.
        with mock.patch.dict(os.environ, self.environ(TESSERA_WORKSPACE=need("TESSERA_TEST_WORKSPACE"), TESSERA_WORKLOAD=need("TESSERA_TEST_WORKLOAD"))):
            os.environ.pop("MODE", None)
            self.assertEqual(sorted(load_env()), ["MODE", "MODEL_KEY"])
            self.assertEqual(os.environ["MODE"], "production")
            self.assertEqual(os.environ["TESSERA_TOKEN"], need("TESSERA_TEST_WORKLOAD_TOKEN"))
        # The workload by name, as the Node CLI takes it; another workload's name is refused, naming the token's.
        env = self.environ(TESSERA_WORKLOAD=need("TESSERA_TEST_WORKLOAD_NAME"))
        self.assertEqual(sorted(load_env(environ=env)), ["MODE", "MODEL_KEY"])
        with self.assertRaises(TesseraError) as caught:
            load_env(environ=self.environ(TESSERA_WORKLOAD="some-other-workload"))
        self.assertIn(need("TESSERA_TEST_WORKLOAD_NAME"), caught.exception.message)

    def test_variables_already_set_are_kept_unless_override(self):
        canary = need("TESSERA_TEST_CANARY")
        env = self.environ(MODE="local-debug", MODEL_KEY=canary)
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            names = load_env(environ=env)
        self.assertEqual(names, ["MODEL_KEY"])  # already equal: it holds the workload's value
        self.assertEqual(env["MODE"], "local-debug")
        self.assertEqual(len(seen), 1)
        self.assertIs(seen[0].category, TesseraWarning)
        self.assertIn("kept MODE from the environment", str(seen[0].message))
        self.assertNotIn("local-debug", str(seen[0].message))
        self.assertNotIn(canary, str(seen[0].message))
        self.assertEqual(sorted(load_env(environ=env, override=True)), ["MODE", "MODEL_KEY"])
        self.assertEqual(env["MODE"], "production")

    def test_withheld_variables_are_named_in_a_warning(self):
        env = self.environ(TESSERA_TOKEN=need("TESSERA_TEST_ADMINS_TOKEN"))
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            names = load_env(environ=env)
        self.assertEqual(names, ["MODE"])
        self.assertNotIn("PRIV", env)
        self.assertEqual([w.category for w in seen], [TesseraWarning])
        self.assertIn("PRIV left out: it comes from a private secret", str(seen[0].message))
        self.assertNotIn(need("TESSERA_TEST_PRIVATE_CANARY"), str(seen[0].message))

    def test_refusals_and_settings_errors(self):
        with self.assertRaises(TesseraError) as caught:
            load_env(environ={"TESSERA_TOKEN": need("TESSERA_TEST_WORKLOAD_TOKEN")})
        self.assertEqual(caught.exception.code, "CONFIGURATION")
        with self.assertRaises(TesseraError) as caught:
            load_env(environ=self.environ(TESSERA_TOKEN=need("TESSERA_TEST_API_TOKEN")))
        self.assertEqual((caught.exception.status, caught.exception.code), (403, "FORBIDDEN"))
        self.assertIn("is a workspace token", caught.exception.message)
        # A workload this token is not bound to: refused before the exchange, naming the token's own.
        with self.assertRaises(TesseraError) as caught:
            load_env(environ=self.environ(TESSERA_WORKSPACE=need("TESSERA_TEST_WORKSPACE"), TESSERA_WORKLOAD=need("TESSERA_TEST_PRIVATE_WORKLOAD")))
        self.assertEqual(caught.exception.code, "CONFIGURATION")
        self.assertIn("This token belongs to workload " + need("TESSERA_TEST_WORKLOAD_NAME"), caught.exception.message)
        # The server's own refusal stands behind it: a credential for another workload is 403.
        client = Client(self.environ()["TESSERA_URL"], need("TESSERA_TEST_WORKLOAD_TOKEN"))
        with self.assertRaises(TesseraError) as caught:
            client.issue_workload_credential(need("TESSERA_TEST_WORKSPACE"), need("TESSERA_TEST_PRIVATE_WORKLOAD"))
        self.assertEqual(caught.exception.status, 403)
        self.assertIn("Only a workload token bound to this workload", caught.exception.message)
        with self.assertRaises(TesseraError) as caught:
            load_env(environ=self.environ(TESSERA_TOKEN="tsr_wkl_not-a-token"))
        self.assertEqual((caught.exception.status, caught.exception.message), (401, "The bearer token is malformed"))
        self.assertNotIn("tsr_wkl_not-a-token", repr(caught.exception))


# The command the workload runs: prints the secret whole, split over two writes, on stderr too,
# and proves it got the real value (its hash), the literal, and that the token was not passed on.
SCRIPT = r"""
import hashlib, os, sys, time
v = os.environ["MODEL_KEY"]
sys.stdout.write("key=" + v + "\n"); sys.stdout.flush()
sys.stdout.write("split=" + v[:9]); sys.stdout.flush()
time.sleep(0.05)  # two writes (the redactor's own tests cover every split)
sys.stdout.write(v[9:] + "\n"); sys.stdout.flush()
sys.stderr.write("warning: leaked " + v + "\n"); sys.stderr.flush()
print("sha=" + hashlib.sha256(v.encode()).hexdigest())
print("mode=%s token=%s unbuffered=%s" % (os.environ["MODE"], "present" if "TESSERA_TOKEN" in os.environ else "absent", os.environ.get("PYTHONUNBUFFERED")))
sys.exit(7)
"""

@unittest.skipUnless(HAVE_SERVER, "needs a server: run by tests/e2e/python-client.test.ts")
class RunTest(unittest.TestCase):
    def test_runs_the_command_with_the_environment_and_redacts_its_output(self):
        canary = need("TESSERA_TEST_CANARY")
        code, out, err = run_cli(["run", "--", sys.executable, "-c", SCRIPT])
        self.assertEqual(code, 7, err)
        self.assertIn("key=[redacted:MODEL_KEY]\n", out)
        self.assertIn("split=[redacted:MODEL_KEY]\n", out)
        self.assertIn("sha=%s\n" % hashlib.sha256(canary.encode()).hexdigest(), out)
        self.assertIn("mode=production token=absent unbuffered=1\n", out)
        self.assertIn("warning: leaked [redacted:MODEL_KEY]\n", err)
        for text in (out, err):
            self.assertNotIn(canary, text)
            self.assertNotIn(canary[12:], text)
            self.assertNotIn(need("TESSERA_TEST_WORKLOAD_TOKEN"), text)

    def test_flags_json_and_withheld_warnings(self):
        ids = ["--workspace", need("TESSERA_TEST_WORKSPACE"), "--workload", need("TESSERA_TEST_WORKLOAD")]
        code, out, err = run_cli(["run", "--json"] + ids + ["--", sys.executable, "-c", "pass"])
        self.assertEqual(code, 0, err)
        line = json.loads(err.strip().splitlines()[0])
        self.assertEqual((line["workloadId"], sorted(line["variables"]), line["redacted"], line["withheld"]), (need("TESSERA_TEST_WORKLOAD"), ["MODE", "MODEL_KEY"], ["MODEL_KEY"], []))
        self.assertRegex(line["credentialExpiresAt"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertLessEqual(tessera.parse_datetime(line["credentialExpiresAt"]) - datetime.now(timezone.utc), timedelta(minutes=15))
        script = 'import os; print("priv=%s mode=%s" % (os.environ.get("PRIV", "unset"), os.environ["MODE"]))'
        code, out, err = run_cli(["run", "--", sys.executable, "-c", script], token=need("TESSERA_TEST_ADMINS_TOKEN"))
        self.assertEqual((code, out), (0, "priv=unset mode=p\n"))
        self.assertRegex(err, r"^tessera: warning: PRIV left out: it comes from a private secret, which opens only for a workload token that the secret's creator minted")
        for text in (out, err):
            self.assertNotIn(need("TESSERA_TEST_PRIVATE_CANARY"), text)

    def test_help_version_usage_and_api_errors_have_their_exit_codes(self):
        code, out, _ = run_cli(["--help"])
        self.assertEqual(code, 0)
        self.assertIn("python -m tessera run", out)
        code, out, _ = run_cli(["run", "--help"])
        self.assertEqual(code, 0)
        self.assertTrue(out.startswith("Usage: python -m tessera run"))
        code, out, _ = run_cli(["--version"])
        self.assertEqual((code, out.split(" ")[:2]), (0, ["tessera-client", tessera.__version__]))
        ws, wl = need("TESSERA_TEST_WORKSPACE"), need("TESSERA_TEST_WORKLOAD")
        cases = [
            (["run", "--", "true"], {"TESSERA_TOKEN": None}, 2, r"Set TESSERA_TOKEN"),
            (["run", "--", "true"], {"TESSERA_URL": None}, 2, r"Set TESSERA_URL"),
            (["run"], {}, 2, r"give the command to run after --"),
            (["run", "--bogus", "--", "true"], {}, 2, r"bogus"),
            (["deploy"], {}, 2, r'unknown command "deploy"'),
            (["run", "--", "true"], {"TESSERA_TOKEN": "tsr_wkl_not-a-token"}, 1, r"^tessera: The bearer token is malformed\n$"),
            # Another workload (by id or name) is refused before any credential is asked for, naming the token's own.
            (["run", "--workspace", ws, "--workload", "c" * 25, "--", "true"], {}, 2, r"^tessera: This token belongs to workload py-"),
            (["run", "--", "true"], {"TESSERA_URL": "http://127.0.0.1:9"}, 1, r"Cannot reach Tessera at http://127\.0\.0\.1:9"),
            (["run", "--workspace", ws, "--workload", wl, "--", "no-such-command-xyz"], {}, 127, r"cannot start no-such-command-xyz: command not found"),
        ]
        for args, extra, want, pattern in cases:
            code, out, err = run_cli(args, extra=extra)
            self.assertEqual(code, want, "%s: %s" % (args, err))
            self.assertRegex(err, pattern)
            self.assertNotIn(need("TESSERA_TEST_CANARY"), out + err)
            self.assertNotIn(need("TESSERA_TEST_WORKLOAD_TOKEN"), out + err)


if __name__ == "__main__":
    unittest.main()
