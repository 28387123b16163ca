# The client's pieces that need no server: reading answers into dataclasses, dates, Retry-After,
# settings, and that no repr or error shows a token or a credential.
import pickle
import unittest
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from tessera import (
    Client,
    ResolvedEnv,
    TesseraError,
    Token,
    WorkloadCredential,
    WorkloadSettings,
    backoff_delay,
    parse_datetime,
    parse_retry_after,
    settings_from_env,
)
from tessera._models import Me, Withheld, decode

FAKE_TOKEN = "tsr_wkl_" + "Q" * 38
FAKE_CREDENTIAL = "tsr_wlc_claims.signature-" + "Z" * 20

TOKEN_JSON = {
    "id": "cmx57cgzg0021k2tk7a1b2c3d",
    "workspaceId": "cmx57cgzg0000k2ws7a1b2c3d",
    "kind": "workload",
    "name": "trainer",
    "description": None,
    "partialKey": "tsr_wkl_…AbCd",
    "scopes": ["full"],
    "role": None,
    "status": "active",
    "expired": False,
    "expiresSoon": False,
    "expiresAt": "2026-12-31T09:30:00.000Z",
    "workloadId": "cmx57cgzg0023k2wl7a1b2c3d",
    "createdById": None,
    "lastUsedAt": None,
    "lastUsedIp": None,
    "createdAt": "2026-12-01T09:30:00.123Z",
    "aFieldAddedLater": 1,
}


class ModelsTest(unittest.TestCase):
    def test_dates_are_timezone_aware(self):
        self.assertEqual(parse_datetime("2026-12-01T09:30:00.000Z"), datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc))
        self.assertEqual(parse_datetime("2026-12-01T09:30:00Z"), datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc))
        self.assertEqual(parse_datetime("2026-12-01T10:30:00.5+01:00"), datetime(2026, 12, 1, 9, 30, 0, 500000, tzinfo=timezone.utc))
        self.assertEqual(parse_datetime("2026-12-01T09:30:00.1234567Z").microsecond, 123456)

    def test_an_answer_is_read_into_its_dataclass_and_extra_fields_are_ignored(self):
        t = decode(Token, TOKEN_JSON, "tokens.get", 200, "rid")
        self.assertEqual(t.workspace_id, "cmx57cgzg0000k2ws7a1b2c3d")
        self.assertEqual(t.created_at.microsecond, 123000)
        self.assertIsNone(t.last_used_at)
        self.assertEqual(t.scopes, ["full"])

    def test_an_answer_that_does_not_match_is_a_bad_response(self):
        for change, where in (({"expiresAt": "soon"}, "expiresAt"), ({"scopes": "full"}, "scopes"), ({"name": None}, "name"), ({"expired": "no"}, "expired")):
            with self.assertRaises(TesseraError) as caught:
                decode(Token, dict(TOKEN_JSON, **change), "tokens.get", 200, "rid-1")
            self.assertEqual((caught.exception.code, caught.exception.status, caught.exception.request_id), ("BAD_RESPONSE", 200, "rid-1"))
            self.assertIn(where, caught.exception.message)
        missing = dict(TOKEN_JSON)
        del missing["partialKey"]
        with self.assertRaises(TesseraError) as caught:
            decode(Token, missing, "tokens.get", 200, None)
        self.assertIn("partialKey: missing", str(caught.exception))

    def test_nested_and_nullable_objects(self):
        me = decode(
            Me,
            {
                "user": None,
                "token": {"id": "t", "kind": "workload", "name": "n", "scopes": ["full"], "role": None, "workloadId": "w", "workloadName": "llama", "expiresAt": "2026-12-31T09:30:00.000Z"},
                "workspace": {"id": "ws", "name": "Acme", "status": "active", "role": None},
            },
            "me.get",
            200,
            None,
        )
        self.assertIsNone(me.user)
        self.assertEqual((me.token.workload_id, me.token.workload_name), ("w", "llama"))
        with self.assertRaises(TesseraError):
            decode(Me, {"user": None, "token": None, "workspace": {}}, "me.get", 200, None)

    def test_no_repr_shows_a_credential_or_a_value(self):
        cred = decode(
            WorkloadCredential,
            {"credential": FAKE_CREDENTIAL, "tokenId": "t", "workspaceId": "ws", "workloadId": "w", "expiresAt": "2026-12-01T09:45:00.000Z", "ttlSeconds": 900},
            "workloads.issueCredential",
            201,
            None,
        )
        self.assertNotIn(FAKE_CREDENTIAL, repr(cred))
        env = decode(
            ResolvedEnv,
            {"workloadId": "w", "env": {"HF_TOKEN": "hf_secret_value_123", "MODE": "p"}, "secrets": ["HF_TOKEN"], "withheld": [{"envName": "PRIV", "reason": "private_secret"}]},
            "workloads.resolveEnv",
            200,
            None,
        )
        self.assertNotIn("hf_secret_value_123", repr(env))
        self.assertIn("HF_TOKEN", repr(env))
        self.assertEqual(env.secret_values(), {"HF_TOKEN": "hf_secret_value_123"})
        self.assertEqual(env.withheld, [Withheld("PRIV", "private_secret")])
        client = Client("https://tessera.example.com/prefix/", FAKE_TOKEN)
        self.assertEqual(client.base_url, "https://tessera.example.com/prefix")
        self.assertNotIn(FAKE_TOKEN, repr(client))
        self.assertNotIn(FAKE_TOKEN, repr(WorkloadSettings("http://x", FAKE_TOKEN, None, None)))


class RetryTest(unittest.TestCase):
    def test_retry_after_in_seconds_or_as_an_http_date(self):
        self.assertEqual(parse_retry_after("120"), 120.0)
        self.assertEqual(parse_retry_after(" 0 "), 0.0)
        now = datetime(2026, 10, 21, 7, 28, tzinfo=timezone.utc)
        self.assertEqual(parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now.timestamp()), 30.0)
        self.assertEqual(parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now.timestamp()), 0.0)
        for bad in (None, "", "soon", "1.5", "-1", "2026-10-21"):
            self.assertIsNone(parse_retry_after(bad), bad)

    def test_backoff_grows_with_jitter_and_is_capped(self):
        self.assertEqual(backoff_delay(1, 0.25, 30, lambda: 0), 0.125)
        self.assertEqual(backoff_delay(1, 0.25, 30, lambda: 1), 0.25)
        self.assertEqual(backoff_delay(3, 0.25, 30, lambda: 1), 1.0)
        self.assertEqual(backoff_delay(30, 0.25, 30, lambda: 1), 30)


class SettingsTest(unittest.TestCase):
    def test_settings_come_from_arguments_then_the_environment(self):
        env = {"TESSERA_URL": "http://a", "TESSERA_TOKEN": FAKE_TOKEN, "TESSERA_WORKSPACE_ID": "ws-old", "TESSERA_WORKLOAD": "wl"}
        s = settings_from_env(environ=env)
        self.assertEqual((s.url, s.workspace_id, s.workload_id), ("http://a", "ws-old", "wl"))
        s = settings_from_env(url="http://b", workspace="ws", environ=env)
        self.assertEqual((s.url, s.workspace_id), ("http://b", "ws"))

    def test_missing_or_wrong_settings_are_configuration_errors(self):
        cases = [
            ({}, "TESSERA_URL"),
            ({"TESSERA_URL": "http://a"}, "TESSERA_TOKEN"),
        ]
        for env, word in cases:
            with self.assertRaises(TesseraError) as caught:
                settings_from_env(environ=env)
            self.assertEqual((caught.exception.code, caught.exception.status), ("CONFIGURATION", 0))
            self.assertIn(word, caught.exception.message)
        for url in ("localhost:3000", "ftp://x", "https://user:" + FAKE_TOKEN + "@host"):
            with self.assertRaises(TesseraError) as caught:
                Client(url, FAKE_TOKEN)
            self.assertEqual(caught.exception.code, "CONFIGURATION")
            self.assertNotIn(FAKE_TOKEN, str(caught.exception))
        client = Client("http://127.0.0.1:9", FAKE_TOKEN)
        for bad in ("..", ".", ""):
            with self.assertRaises(TesseraError) as caught:
                client.get_secret("ws", bad)
            self.assertEqual(caught.exception.code, "CONFIGURATION")

    def test_errors_keep_their_fields_through_pickle_and_repr(self):
        err = TesseraError(404, "NOT_FOUND", "Token not found", "rid-9", details=[("name", "must not be empty")], retry_after=None)
        again = pickle.loads(pickle.dumps(err))
        self.assertEqual((again.status, again.code, again.message, again.request_id, again.details), (404, "NOT_FOUND", "Token not found", "rid-9", [("name", "must not be empty")]))
        self.assertEqual(repr(err), "TesseraError(status=404, code='NOT_FOUND', message='Token not found', request_id='rid-9')")
        self.assertEqual(str(err), "Token not found")


if __name__ == "__main__":
    unittest.main()
