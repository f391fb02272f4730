"""Rebuild an interview from the answers so far, and keep those answers in a sealed cookie.

The web check and the stateless `/api/v1/interview` both hold nothing but the answers. The
interview is replayed from them: each next question whose findings are all answered is
answered again, in order, which gives the same questions, in the same order, as a person who
answered them one by one. So a reload, the back button or a second tab all see the same check.

The answers are health data, so the cookie is sealed, not just signed: encrypted so that
nobody who sees it (another program, a shared computer's cookie store) can read them, and
authenticated so that nobody can change them. It holds the time it was made and is refused
after STATE_MAX_AGE, so a check left half-finished does not linger for days.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import struct
import time
import zlib
from collections.abc import Callable, Mapping

from upperback import AnswerError, Interview, KnowledgeBase
from upperback.answers import check_answers
from upperback.conditions import AnswerValue

# A cookie holding more than this after decompression is not one we wrote.
MAX_STATE_BYTES = 16 * 1024
# How long a half-finished check is kept: hours, not days (the cookie's Max-Age should match).
STATE_MAX_AGE = 6 * 3600
# A cookie issued this far in the future (seconds) is refused too: clocks differ a little.
CLOCK_SKEW = 60


def replay(kb: KnowledgeBase, answers: Mapping[str, AnswerValue]) -> Interview:
    """An interview that has asked, in order, the questions these answers reply to (the
    core's Interview.replayed: the terminal's --resume walks back the same way)."""
    return Interview.replayed(kb, answers)


def rewind_to(interview: Interview, question_id: str) -> bool:
    """Undo answers back to an earlier question so it can be answered again (False if unasked)."""
    asked = [q.id for q in interview.asked]
    if question_id not in asked:
        return False
    while len(interview.asked) > asked.index(question_id):
        interview.back()
    return True


class Sealer:
    """Encrypts and authenticates small values with nothing but the standard library.

    The `cryptography` package (AES-GCM, Fernet) is not a dependency of upperback, so this is
    the classic encrypt-then-MAC construction built from HMAC-SHA256 alone:

    - Keys: HKDF (RFC 5869) turns the app's secret into two independent keys, one to encrypt
      and one to authenticate, both bound to `purpose` so no other use of the secret (the CSRF
      tokens) can produce or open a sealed value.
    - Encryption: a stream cipher. The keystream is HMAC-SHA256(enc_key, nonce || counter)
      for counter 0, 1, 2... (a pseudo-random function in counter mode, like AES-CTR with
      HMAC in place of AES), XORed with the data. The nonce is 16 random bytes per value, so
      no two values share a keystream.
    - Authentication: HMAC-SHA256(mac_key, version || nonce || ciphertext), checked in
      constant time before anything is decrypted. Any changed byte fails the check.

    A sealed value is base64url(version || nonce || ciphertext || tag).
    """

    VERSION = b"\x01"
    NONCE_BYTES = 16
    TAG_BYTES = 32
    BLOCK_BYTES = hashlib.sha256().digest_size

    def __init__(self, key: bytes, purpose: str) -> None:
        # HKDF-Extract with the purpose as salt, then HKDF-Expand (one block each) per key.
        prk = hmac.new(b"upperback seal " + purpose.encode("utf-8"), key, hashlib.sha256).digest()
        self._enc_key = hmac.new(prk, b"encrypt\x01", hashlib.sha256).digest()
        self._mac_key = hmac.new(prk, b"authenticate\x01", hashlib.sha256).digest()

    def _keystream(self, nonce: bytes, length: int) -> bytes:
        blocks = (
            hmac.new(self._enc_key, nonce + struct.pack(">I", counter), hashlib.sha256).digest()
            for counter in range(-(-length // self.BLOCK_BYTES))
        )
        return b"".join(blocks)[:length]

    def _xor(self, nonce: bytes, data: bytes) -> bytes:
        stream = self._keystream(nonce, len(data))
        return (int.from_bytes(data) ^ int.from_bytes(stream)).to_bytes(len(data))

    def _tag(self, header: bytes, ciphertext: bytes) -> bytes:
        return hmac.new(self._mac_key, header + ciphertext, hashlib.sha256).digest()

    def seal(self, data: bytes) -> str:
        """`data`, encrypted and authenticated, as URL-safe text (fit for a cookie)."""
        header = self.VERSION + secrets.token_bytes(self.NONCE_BYTES)
        ciphertext = self._xor(header[1:], data)
        sealed = header + ciphertext + self._tag(header, ciphertext)
        return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii")

    def unseal(self, text: str) -> bytes | None:
        """The data in a sealed value, or None if it was changed, cut, or not sealed by us."""
        try:
            sealed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except ValueError:  # not base64 (binascii.Error), or not ASCII
            return None
        head = 1 + self.NONCE_BYTES
        if len(sealed) < head + self.TAG_BYTES or sealed[:1] != self.VERSION:
            return None
        header, tag = sealed[:head], sealed[-self.TAG_BYTES:]
        ciphertext = sealed[head:-self.TAG_BYTES]
        if not hmac.compare_digest(tag, self._tag(header, ciphertext)):
            return None
        return self._xor(header[1:], ciphertext)


class StateCookie:
    """Packs the answers so far into a small sealed cookie value, and back.

    Sealed inside: the time it was made (8 bytes, seconds since the epoch), then the answers
    as compressed JSON. A cookie older than `max_age` opens as no answers: the check starts
    again, without an error.
    """

    def __init__(
        self, key: bytes, max_age: int = STATE_MAX_AGE, clock: Callable[[], float] = time.time
    ) -> None:
        self._sealer = Sealer(key, "check-state")
        self.max_age = max_age
        self._clock = clock

    def dump(self, answers: Mapping[str, AnswerValue]) -> str:
        """The cookie value for these answers."""
        text = json.dumps(dict(answers), separators=(",", ":"), sort_keys=True)
        issued = struct.pack(">Q", int(self._clock()))
        return self._sealer.seal(issued + zlib.compress(text.encode("utf-8"), 9))

    def load(self, kb: KnowledgeBase, value: str | None) -> dict[str, AnswerValue]:
        """The answers in a cookie; empty if it is missing, changed, too old, or no longer
        valid."""
        if not value or len(value) > 2 * MAX_STATE_BYTES:
            return {}
        opened = self._sealer.unseal(value)
        if opened is None or len(opened) < 8:
            return {}
        (issued,) = struct.unpack(">Q", opened[:8])
        age = self._clock() - issued
        if not -CLOCK_SKEW <= age <= self.max_age:
            return {}
        packed = opened[8:]
        try:
            inflater = zlib.decompressobj()
            text = inflater.decompress(packed, MAX_STATE_BYTES)
            if inflater.unconsumed_tail:
                return {}
            data = json.loads(text)
            if not isinstance(data, dict):
                return {}
            return check_answers(kb, data)
        except (zlib.error, ValueError, AnswerError):
            # A check saved before the knowledge base changed: start afresh.
            return {}
