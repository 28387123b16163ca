# SEC-15: captured output has exact secret values redacted, wherever the chunks of output split.
# The cases of tests/unit/redact.test.ts (the TypeScript redactor this one ports), and more.
import random
import unittest

from tessera import MIN_REDACTED_LENGTH, Redactor, redact_text, redaction_marker

SECRETS = {"API_KEY": "sk-live-9f8e7d6c5b4a", "PASSWORD": "pässwörd∑", "SHORT": "abc", "NESTED": "9f8e7d", "OVERLAP": "abab"}


def through(secrets, chunks):
    r = Redactor(secrets)
    out = b"".join(r.feed(c) for c in chunks) + r.flush()
    return out.decode("utf-8")


class RedactTextTest(unittest.TestCase):
    def test_whole_values_longer_first_short_values_stay(self):
        self.assertEqual(redact_text("key=sk-live-9f8e7d6c5b4a done", SECRETS), "key=[redacted:API_KEY] done")
        self.assertEqual(redact_text("part 9f8e7d only", SECRETS), "part [redacted:NESTED] only")
        self.assertEqual(redact_text("pw: pässwörd∑!", SECRETS), "pw: [redacted:PASSWORD]!")
        self.assertEqual(redact_text("abc is too short to redact", SECRETS), "abc is too short to redact")
        self.assertEqual(MIN_REDACTED_LENGTH, 4)
        self.assertEqual(redact_text("xababab", SECRETS), "x[redacted:OVERLAP]ab")
        self.assertEqual(redaction_marker("HF_TOKEN"), "[redacted:HF_TOKEN]")

    def test_length_is_counted_in_bytes(self):
        # "é" is 2 bytes in UTF-8: "éé" is 4 bytes, so it is redacted; "ab" + "é" is 4 too; "aé" is 3.
        self.assertEqual(redact_text("x éé y", {"E": "éé"}), "x [redacted:E] y")
        self.assertEqual(redact_text("x aé y", {"E": "aé"}), "x aé y")

    def test_a_value_under_two_names_gets_the_first_name(self):
        self.assertEqual(redact_text("v=same-value", {"FIRST": "same-value", "SECOND": "same-value"}), "v=[redacted:FIRST]")

    def test_a_value_containing_another_is_replaced_whole(self):
        secrets = {"INNER": "token", "OUTER": "my-token-123"}
        self.assertEqual(redact_text("a my-token-123 b token c", secrets), "a [redacted:OUTER] b [redacted:INNER] c")

    def test_nothing_to_redact(self):
        self.assertEqual(redact_text("nothing to hide", {}), "nothing to hide")
        self.assertEqual(through({}, [b"nothing ", b"to hide"]), "nothing to hide")
        self.assertEqual(through({"SHORT": "abc"}, [b"ab", b"c"]), "abc")


class RedactorStreamTest(unittest.TestCase):
    def test_every_split_position_and_random_splits(self):
        text = "start sk-live-9f8e7d6c5b4a mid pässwörd∑ and xabab then 9f8e7d end sk-live-9f8e7d6c5b4a"
        expected = redact_text(text, SECRETS)
        data = text.encode("utf-8")
        for i in range(len(data) + 1):
            self.assertEqual(through(SECRETS, [data[:i], data[i:]]), expected, "split at %d" % i)
        rnd = random.Random(1234)
        for round_ in range(200):
            chunks = []
            pos = 0
            while pos < len(data):
                n = 1 if round_ == 0 else 1 + rnd.randrange(12)
                chunks.append(data[pos : pos + n])
                pos += n
            out = through(SECRETS, chunks)
            self.assertEqual(out, expected)
            for v in (SECRETS["API_KEY"], SECRETS["PASSWORD"], SECRETS["NESTED"], SECRETS["OVERLAP"]):
                self.assertNotIn(v, out)

    def test_holds_a_possible_start_only_until_the_next_chunk_or_the_end(self):
        r = Redactor({"TOKEN": "hf_abcdefgh"})
        self.assertEqual(r.feed(b"line one\nhf_ab"), b"line one\n")
        self.assertEqual(r.feed(b"XY\n"), b"hf_abXY\n")
        self.assertEqual(r.feed(b"hf_abc"), b"")
        self.assertEqual(r.flush(), b"hf_abc")
        self.assertEqual(r.flush(), b"")

    def test_a_value_is_never_let_out_in_two_pieces(self):
        value = "sk-live-9f8e7d6c5b4a"
        r = Redactor({"API_KEY": value})
        out = []
        for ch in ("log: " + value + "\n").encode():
            out.append(r.feed(bytes([ch])))
        out.append(r.flush())
        for piece in out:
            self.assertNotIn(b"9f8e7d6c5b4a", piece)
        self.assertEqual(b"".join(out), b"log: [redacted:API_KEY]\n")

    def test_multibyte_text_split_inside_characters(self):
        secrets = {"PASSWORD": "pässwörd∑"}
        data = "→ pässwörd∑ ←".encode("utf-8")
        for i in range(len(data) + 1):
            self.assertEqual(through(secrets, [data[:i], data[i:]]), "→ [redacted:PASSWORD] ←")

    def test_a_whole_value_spanning_a_held_tail(self):
        # "abab" ends the chunk with "ab", a possible start of the next "abab": the whole value that
        # spans the held tail is held back too, then replaced once the rest decides.
        secrets = {"OVERLAP": "abab", "LONG": "ababX-long-value"}
        for text in ("xababX-long-value!", "xabab!", "ababab", "abababX-long-value"):
            data = text.encode()
            expected = redact_text(text, secrets)
            for i in range(len(data) + 1):
                self.assertEqual(through(secrets, [data[:i], data[i:]]), expected, "%s split at %d" % (text, i))

    def test_large_output_passes_through(self):
        secrets = {"K": "needle-value-1234"}
        data = (b"x" * 100000) + b"needle-value-1234" + (b"y" * 100000)
        out = through(secrets, [data[i : i + 4096] for i in range(0, len(data), 4096)])
        self.assertEqual(out, "x" * 100000 + "[redacted:K]" + "y" * 100000)

    def test_repr_names_no_value(self):
        self.assertNotIn("hf_abcdefgh", repr(Redactor({"TOKEN": "hf_abcdefgh"})))


if __name__ == "__main__":
    unittest.main()
