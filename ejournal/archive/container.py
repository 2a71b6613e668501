"""The backup file around the tar.gz: plain (a stock `.tar.gz`) or encrypted (our header, then AES-256-GCM chunks).

An encrypted file is `MAGIC | salt (16) | nonce prefix (8) | key check (16)` and then chunks, each
`length (4, big endian) | ciphertext with its tag`. The AES key is HKDF-SHA256 of the administrator's key with the
file's random salt, so no two files share a key and the nonce (prefix + chunk number) never repeats under one key.
Each chunk's additional data is the header, its number and whether it is the last one: a chunk moved, removed or
a file cut at a chunk boundary fails its tag, so a truncated copy never decrypts as a shorter valid one. The key
check (an HMAC of a constant) tells a wrong key from a damaged file. Chunks keep memory flat whatever the size
of the homework files.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ejournal.archive.errors import ArchiveCode
from ejournal.core.errors import ValidationFailed

MAGIC = b"EJBKENC1"
GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 1 << 20
HEADER_SIZE = len(MAGIC) + 16 + 8 + 16
MIN_KEY_BYTES = 16

DAMAGED = "Резервная копия повреждена, изменена или обрезана: восстанавливать из неё нельзя."
FOREIGN = "Этот файл — не резервная копия электронного журнала."


def damaged(detail: str = "") -> ValidationFailed:
    return ValidationFailed(f"{DAMAGED} {detail}".strip(), code=ArchiveCode.DAMAGED_FILE)


def read_key_file(path: str | os.PathLike[str]) -> bytes:
    """The administrator's key: the whole content of a file kept outside the backup (at least 16 bytes)."""
    try:
        with open(path, "rb") as handle:
            key = handle.read().strip()
    except OSError as error:
        raise ValidationFailed(
            f"Файл ключа {path} не читается: {error.strerror or error}.", code=ArchiveCode.BAD_KEY
        ) from error
    check_key(key)
    return key


def check_key(key: bytes) -> None:
    if len(key) < MIN_KEY_BYTES:
        raise ValidationFailed(
            f"Ключ резервных копий короче {MIN_KEY_BYTES} байт: создайте новый, например «openssl rand -hex 32».",
            code=ArchiveCode.BAD_KEY,
        )


def _derive(key: bytes, salt: bytes) -> tuple[AESGCM, bytes]:
    material = HKDF(algorithm=hashes.SHA256(), length=64, salt=salt, info=b"ejournal-backup-v1").derive(key)
    return AESGCM(material[:32]), hmac.new(material[32:], b"ejournal-key-check", hashlib.sha256).digest()[:16]


def _aad(header: bytes, number: int, last: bool) -> bytes:
    return header + struct.pack(">I?", number, last)


class EncryptingWriter:
    """A write-only stream for tarfile: buffers a chunk, encrypts it, writes it to `out`. `close()` writes the
    last chunk (possibly empty) and does not close `out`."""

    def __init__(self, out: BinaryIO, key: bytes) -> None:
        check_key(key)
        salt, self._prefix = os.urandom(16), os.urandom(8)
        self._aes, check = _derive(key, salt)
        self._header = MAGIC + salt + self._prefix + check
        self._out = out
        self._out.write(self._header)
        self._buffer = bytearray()
        self._number = 0
        self.closed = False

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
            self.closed = True

    def _emit(self, plain: bytes, *, last: bool) -> None:
        nonce = self._prefix + struct.pack(">I", self._number)
        sealed = self._aes.encrypt(nonce, plain, _aad(self._header, self._number, last))
        self._out.write(struct.pack(">I", len(sealed)) + sealed)
        self._number += 1


class DecryptingReader:
    """A read-only stream over an encrypted file: each chunk is authenticated before a byte of it is given out."""

    def __init__(self, source: BinaryIO, key: bytes) -> None:
        self._header = source.read(HEADER_SIZE)
        if len(self._header) < HEADER_SIZE:
            raise damaged()
        salt = self._header[len(MAGIC) : len(MAGIC) + 16]
        self._prefix = self._header[len(MAGIC) + 16 : len(MAGIC) + 24]
        self._aes, check = _derive(key, salt)
        if not hmac.compare_digest(check, self._header[len(MAGIC) + 24 :]):
            raise ValidationFailed(
                "Ключ не подходит к этой резервной копии: нужен тот ключ, которым она сделана.",
                code=ArchiveCode.WRONG_KEY,
            )
        self._source = source
        self._number = 0
        self._pending = self._read_sealed()
        self._plain = b""
        self._done = False

    def _read_sealed(self) -> bytes | None:
        size = self._source.read(4)
        if not size:
            return None
        if len(size) < 4:
            raise damaged()
        (length,) = struct.unpack(">I", size)
        if length > CHUNK + 16:
            raise damaged()
        sealed = self._source.read(length)
        if len(sealed) < length:
            raise damaged()
        return sealed

    def _next_chunk(self) -> None:
        sealed = self._pending
        if sealed is None:
            # The stream ended without the chunk marked last: the file was cut.
            raise damaged()
        self._pending = self._read_sealed()
        last = self._pending is None
        nonce = self._prefix + struct.pack(">I", self._number)
        try:
            self._plain += self._aes.decrypt(nonce, sealed, _aad(self._header, self._number, last))
        except InvalidTag as error:
            raise damaged() from error
        self._number += 1
        self._done = last

    def read(self, size: int = -1) -> bytes:
        while (size < 0 or len(self._plain) < size) and not self._done:
            self._next_chunk()
        if size < 0:
            out, self._plain = self._plain, b""
        else:
            out, self._plain = self._plain[:size], self._plain[size:]
        return out


def open_for_reading(source: BinaryIO, key: bytes | None) -> BinaryIO | DecryptingReader:
    """The tar.gz stream inside a backup file; a file of neither kind is foreign."""
    start = source.read(len(MAGIC))
    source.seek(0)
    if start == MAGIC:
        if key is None:
            raise ValidationFailed(
                "Резервная копия зашифрована: укажите файл ключа (--key-file или EJOURNAL_BACKUP_KEY_FILE).",
                code=ArchiveCode.KEY_NEEDED,
            )
        return DecryptingReader(source, key)
    if start[:2] == GZIP_MAGIC:
        return source
    raise ValidationFailed(FOREIGN, code=ArchiveCode.FOREIGN_FILE)
