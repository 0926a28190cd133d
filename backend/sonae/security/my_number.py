"""個人番号 (My Number): validation, encryption at rest, keyed look-up hash, masking.

The number is validated by its check digit (番号法施行令 第8条), encrypted with AES-GCM under a
key that never enters the repository or the database, and found again only by an HMAC of the
number. Nothing in Sonae links records by it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from sonae.config import get_settings
from sonae.errors import InvalidInputError, ServiceUnavailableError

MASK = "************"


def check_digit(first_eleven: str) -> int:
    """P_n is the n-th digit from the right; Q_n = n+1 (n ≤ 6) or n−5 (n ≥ 7)."""
    total = sum(
        int(d) * (n + 1 if n <= 6 else n - 5) for n, d in enumerate(reversed(first_eleven), 1)
    )
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_valid(number: str) -> bool:
    return len(number) == 12 and number.isdigit() and check_digit(number[:11]) == int(number[11])


def validate(number: str) -> str:
    """The number, or InvalidInputError that never repeats the number itself."""
    if not is_valid(number):
        raise InvalidInputError("個人番号 is not 12 digits with a valid check digit")
    return number


_WEIGHTS = np.array([n + 1 if n <= 6 else n - 5 for n in range(11, 0, -1)], dtype=np.int64)
"""Q_n of the first 11 digits, left to right (P_n is the n-th digit from the right)."""


def validate_many(numbers: bytes, count: int) -> None:
    """`count` numbers of 12 ASCII digits laid end to end; InvalidInputError (naming none of
    them) unless every one has a valid check digit. The rule of check_digit, on a matrix."""
    if len(numbers) != 12 * count:
        raise InvalidInputError("個人番号 is not 12 digits with a valid check digit")
    digits = np.frombuffer(numbers, dtype=np.uint8).reshape(count, 12).astype(np.int64) - 48
    remainder = (digits[:, :11] @ _WEIGHTS) % 11
    expected = np.where(remainder <= 1, 0, 11 - remainder)
    if count and not (((digits >= 0) & (digits <= 9)).all() and (expected == digits[:, 11]).all()):
        raise InvalidInputError("個人番号 is not 12 digits with a valid check digit")


def mask(number: str | None) -> str | None:
    return None if number is None else MASK


@dataclass(frozen=True)
class Sealed:
    nonce: bytes
    ciphertext: bytes
    lookup_hash: bytes


@dataclass(frozen=True)
class SealedMany:
    """Many numbers sealed: each field is the fixed-width values laid end to end, in order."""

    count: int
    nonces: bytes
    """12 bytes each"""
    ciphertexts: bytes
    """CIPHERTEXT_SIZE bytes each"""
    lookup_hashes: bytes
    """32 bytes each"""


CIPHERTEXT_SIZE = 12 + 16
"""12 ASCII digits and the 16-byte GCM tag."""


class MyNumberCipher:
    """Keys are derived (HKDF) from one 32-byte master key: one for AES-GCM, one for HMAC."""

    def __init__(self, master_key: bytes) -> None:
        if len(master_key) != 32:
            raise ValueError("the My Number master key must be 32 bytes")
        self._aead = AESGCM(_derive(master_key, b"sonae my_number aes-gcm"))
        self._mac_key = _derive(master_key, b"sonae my_number hmac")

    def lookup_hash(self, number: str) -> bytes:
        return hmac.new(self._mac_key, validate(number).encode(), hashlib.sha256).digest()

    def seal(self, number: str, *, context: str) -> Sealed:
        """Encrypt; context (municipality and person) is bound as associated data."""
        nonce = os.urandom(12)
        ciphertext = self._aead.encrypt(nonce, validate(number).encode(), context.encode())
        return Sealed(nonce, ciphertext, self.lookup_hash(number))

    def lookup_hashes(self, numbers: bytes, count: int) -> bytes:
        """lookup_hash of `count` 12-digit numbers laid end to end, laid end to end (32 bytes
        each). Validated as a whole first (validate_many), not one by one."""
        validate_many(numbers, count)
        # HMAC (RFC 2104) by hand from two keyed SHA-256 states copied per number: OpenSSL 3's
        # one-shot HMAC looks the algorithm up on every call, 3× slower for 12-byte messages.
        block = self._mac_key.ljust(64, b"\0")
        inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
        outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
        digests = []
        for i in range(0, 12 * count, 12):
            mac = inner.copy()
            mac.update(numbers[i : i + 12])
            final = outer.copy()
            final.update(mac.digest())
            digests.append(final.digest())
        return b"".join(digests)

    def seal_many(self, numbers: bytes, contexts: Sequence[bytes]) -> SealedMany:
        """seal() for many numbers (12 ASCII digits each, laid end to end), context i bound to
        number i. Each gets its own random nonce; the per-row work is the two C calls."""
        count = len(contexts)
        validate_many(numbers, count)
        nonces = os.urandom(12 * count)
        encrypt = self._aead.encrypt
        ciphertexts = b"".join(
            [
                encrypt(nonces[i * 12 : i * 12 + 12], numbers[i * 12 : i * 12 + 12], context)
                for i, context in enumerate(contexts)
            ]
        )
        return SealedMany(count, nonces, ciphertexts, self.lookup_hashes(numbers, count))

    def open(self, nonce: bytes, ciphertext: bytes, *, context: str) -> str:
        return self._aead.decrypt(nonce, ciphertext, context.encode()).decode()


def _derive(master_key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master_key)


def load_master_key(path: Path, *, create: bool) -> bytes:
    """The key file holds 64 hex characters. It is created (mode 0600) only when allowed."""
    if not path.exists():
        if not create:
            raise ServiceUnavailableError(
                "no My Number key: set SONAE_MY_NUMBER_KEY_FILE to a file of 64 hex characters"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    try:
        return bytes.fromhex(path.read_text().strip())
    except ValueError as exc:
        raise ServiceUnavailableError(
            f"the My Number key file {path} is not 64 hex characters"
        ) from exc


@lru_cache
def get_cipher() -> MyNumberCipher:
    settings = get_settings()
    return MyNumberCipher(
        load_master_key(settings.my_number_key_file, create=settings.environment == "development")
    )
