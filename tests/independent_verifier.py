#!/usr/bin/env python3
"""An independent checker of kiroku proofs, written from docs/formats/proofs.md, merkle.md,
heads.md and keys.md alone: Python's hashlib for the hashes and `openssl pkeyutl` for the
Ed25519 signature (the standard library has no Ed25519). It shares no code with kiroku, which
is the point: test_tamper.py runs it on proofs that `kiroku proof` printed.

Usage: independent_verifier.py PROOF.json ANCHOR.json   (exit 0 valid, 1 invalid, 2 unreadable)
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile


class Invalid(Exception):
    pass


def sha256(*parts: bytes) -> bytes:
    h = hashlib.sha256()
    for p in parts:
        h.update(p)
    return h.digest()


def leaf_hash(data: bytes) -> bytes:
    return sha256(b"\x00", data)


def node_hash(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01", left, right)


def verify_inclusion(index: int, size: int, leaf: bytes, path: list[bytes], root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(m: int, n: int, old_root: bytes, new_root: bytes, proof: list[bytes]) -> bool:
    """RFC 9162 section 2.1.4.2."""
    if m > n:
        return False
    if m == n:
        return not proof and old_root == new_root
    if m == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if m & (m - 1) == 0:  # m is a power of two: the old root is the first node
        path.insert(0, old_root)
    if not path:
        return False
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


def hexb(s: str, size: int) -> bytes:
    b = bytes.fromhex(s)
    if len(b) != size:
        raise ValueError(f"expected {size} bytes of hex")
    return b


def anchor_encoding(a: dict) -> bytes:
    return (struct.pack(">HQQIq", a["version"], a["first_epoch"], a["epoch_count"],
                        a["epoch_seconds"], a["start_time_s"])
            + hexb(a["key_tree_root"], 32) + hexb(a["previous_fingerprint"], 32))


def fingerprint(a: dict) -> bytes:
    return sha256(b"kiroku/v1 trust anchor\0", anchor_encoding(a))


def head_body(h: dict) -> bytes:
    c = h["clock"]
    return (struct.pack(">HQ", h["version"], h["tree_size"]) + hexb(h["root_hash"], 32)
            + struct.pack(">qQ", h["timestamp_ns"], h["epoch"]) + hexb(h["previous_head_hash"], 32)
            + struct.pack(">Bi", 1 if c["synced"] else 0, c["status"])
            + struct.pack(">qq", c["est_error_us"], c["max_error_us"]) + hexb(h["epoch_key"], 32))


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    der = bytes.fromhex("302a300506032b6570032100") + public_key
    pem = (b"-----BEGIN PUBLIC KEY-----\n" + base64.b64encode(der) + b"\n-----END PUBLIC KEY-----\n")
    with tempfile.TemporaryDirectory() as d:
        paths = {n: os.path.join(d, n) for n in ("k.pem", "m.bin", "s.bin")}
        for name, data in (("k.pem", pem), ("m.bin", message), ("s.bin", signature)):
            with open(paths[name], "wb") as f:
                f.write(data)
        r = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", paths["k.pem"],
                            "-rawin", "-in", paths["m.bin"], "-sigfile", paths["s.bin"]],
                           capture_output=True)
        return r.returncode == 0


def key_leaf(epoch: int, key: bytes) -> bytes:
    return leaf_hash(b"kiroku/v1 epoch public key\0" + struct.pack(">Q", epoch) + key)


def anchor_of(doc: dict) -> dict:
    if doc.get("type") == "kiroku-anchor-rollover":
        return doc["anchor"]
    if doc.get("type") != "kiroku-trust-anchor":
        raise ValueError("not a trust anchor")
    return doc


def follow_rollovers(anchor: dict, rollovers: list[dict], epoch: int) -> dict:
    current = anchor
    for r in rollovers:
        nxt = r["anchor"]
        end = current["first_epoch"] + current["epoch_count"]
        if nxt["first_epoch"] != end or hexb(nxt["previous_fingerprint"], 32) != fingerprint(current):
            raise Invalid("rollover does not continue the anchor")
        signer_epoch = r["signer_epoch"]
        key = hexb(r["signer_key"], 32)
        if signer_epoch != end - 1:
            raise Invalid("rollover not signed by the last epoch's key")
        proof = [hexb(p, 32) for p in r["signer_key_proof"]]
        if not verify_inclusion(signer_epoch - current["first_epoch"], current["epoch_count"],
                                key_leaf(signer_epoch, key), proof, hexb(current["key_tree_root"], 32)):
            raise Invalid("rollover signer key not in the key tree")
        if not ed25519_verify(key, b"kiroku/v1 anchor rollover\0" + anchor_encoding(nxt),
                              hexb(r["signature"], 64)):
            raise Invalid("rollover signature does not verify")
        current = nxt
    if not (current["first_epoch"] <= epoch < current["first_epoch"] + current["epoch_count"]):
        raise Invalid("the head's epoch is not covered by the anchor")
    return current


def check_head(h: dict, root_anchor: dict) -> None:
    if h.get("type") != "kiroku-tree-head" or h["version"] != 1:
        raise Invalid("not a version-1 tree head")
    a = follow_rollovers(root_anchor, h.get("anchor_rollovers", []), h["epoch"])
    epoch, key = h["epoch"], hexb(h["epoch_key"], 32)
    proof = [hexb(p, 32) for p in h["epoch_key_proof"]]
    if not verify_inclusion(epoch - a["first_epoch"], a["epoch_count"], key_leaf(epoch, key), proof,
                            hexb(a["key_tree_root"], 32)):
        raise Invalid("key_not_in_anchor")
    start = (a["start_time_s"] + epoch * a["epoch_seconds"]) * 10**9
    end = (a["start_time_s"] + (epoch + 1) * a["epoch_seconds"]) * 10**9
    if not start <= h["timestamp_ns"] < end:
        raise Invalid("wrong_epoch_for_time")
    body = head_body(h)
    sig = hexb(h["signature"], 64)
    if not ed25519_verify(key, b"kiroku/v1 signed tree head\0" + body, sig):
        raise Invalid("bad_signature")
    if "head_hash" in h and hexb(h["head_hash"], 32) != sha256(b"kiroku/v1 tree head hash\0", body, sig):
        raise Invalid("head_hash does not match")


TRANSPORTS = {"unknown": 0, "udp": 1, "tcp": 2, "tls": 3, "relp": 4, "import": 5, "internal": 6}


def check(proof: dict, anchor_doc: dict) -> str:
    anchor = anchor_of(anchor_doc)
    fp = proof.get("anchor_fingerprint")
    if fp is not None:
        digits = fp.removeprefix("kiroku-anchor:").replace("-", "").lower()
        if digits != fingerprint(anchor).hex():
            raise Invalid("proof made for another anchor")
    if proof["type"] == "kiroku-inclusion-proof":
        h = proof["head"]
        check_head(h, anchor)
        enc = base64.b64decode(proof["leaf_encoding_base64"], validate=True)
        if len(enc) < 46 or enc[0] != 1 or struct.unpack(">I", enc[42:46])[0] != len(enc) - 46:
            raise Invalid("not a version-1 leaf encoding")
        seq, t = struct.unpack(">Qq", enc[1:17])
        idx = proof["leaf_index"]
        if seq != idx + 1:
            raise Invalid("leaf seq does not match leaf_index")
        rec = proof.get("record")
        if rec is not None:
            if (base64.b64decode(rec["raw_base64"]) != enc[46:] or rec["seq"] != seq
                    or rec["receive_time_ns"] != t or TRANSPORTS.get(rec["transport"]) != enc[17]):
                raise Invalid("record disagrees with the leaf encoding")
        if proof["tree_size"] != h["tree_size"]:
            raise Invalid("tree_size is not the head's")
        path = [hexb(p, 32) for p in proof["inclusion_path"]]
        if not verify_inclusion(idx, h["tree_size"], leaf_hash(enc), path, hexb(h["root_hash"], 32)):
            raise Invalid("inclusion path does not reach the root")
        return f"record {seq} is in the tree of size {h['tree_size']}"
    if proof["type"] == "kiroku-consistency-proof":
        old, new = proof["old_head"], proof["new_head"]
        check_head(old, anchor)
        check_head(new, anchor)
        if proof["old_size"] != old["tree_size"] or proof["new_size"] != new["tree_size"]:
            raise Invalid("sizes are not the heads'")
        path = [hexb(p, 32) for p in proof["consistency_path"]]
        if not verify_consistency(old["tree_size"], new["tree_size"], hexb(old["root_hash"], 32),
                                  hexb(new["root_hash"], 32), path):
            raise Invalid("consistency path does not join the roots")
        return f"tree {old['tree_size']} is a prefix of tree {new['tree_size']}"
    raise ValueError("unknown proof type")


def main(argv: list[str]) -> int:
    try:
        with open(argv[1]) as f:
            proof = json.load(f)
        with open(argv[2]) as f:
            anchor = json.load(f)
    except (OSError, ValueError, IndexError) as e:
        print(f"unreadable: {e}")
        return 2
    try:
        print("VALID:", check(proof, anchor))
        return 0
    except Invalid as e:
        print("INVALID:", e)
        return 1
    except (KeyError, ValueError, TypeError) as e:
        print(f"unreadable: {e!r}")
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
