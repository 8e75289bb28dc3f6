"""Tamper evidence, end to end: the real `kiroku serve` fed by real senders (loggen over TCP,
util-linux logger over UDP), then `kiroku verify` on the untouched data directory and on
copies that an attacker changed, one way per test. Each tampered copy must give exit 1 and
name the right kind (docs/formats/proofs.md) with the right sequence numbers; the untouched
one exit 0, also after kill -9 and restart. Proofs printed by `kiroku proof` are checked by
`kiroku verify-proof` and by tests/independent_verifier.py, written from the docs alone.

The re-signing attack uses build/kiroku_verify_forge (src/verify/testing/forge_tool.cc),
which holds the data directory's key ratcheted to a later epoch, as a thief would.
"""
import json
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from kiroku_harness import (LOCALHOST, KirokuServer, kiroku_bin, loggen_bin, require_binary,
                            wait_until)

HERE = Path(__file__).resolve().parent
BATCH = 3000


def setup_module(module):
    require_binary()


# ---- journal bytes (docs/formats/journal.md) -----------------------------------------------

def _crc32c_table():
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        t.append(c)
    return t


_T = _crc32c_table()


def crc32c(data: bytes) -> int:
    c = 0xFFFFFFFF
    for b in data:
        c = _T[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def masked_crc(length_bytes: bytes, payload: bytes) -> int:
    c = crc32c(length_bytes + payload)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def frames(seg: Path):
    """(offset, seq, frame bytes) of every frame of a segment."""
    b = seg.read_bytes()
    off, out = 40, []
    while off + 8 <= len(b):
        (n,) = struct.unpack_from("<I", b, off)
        if off + 8 + n > len(b):
            break
        (seq,) = struct.unpack_from("<Q", b, off + 8 + 4)
        out.append((off, seq, b[off:off + 8 + n]))
        off += 8 + n
    return out


def segments(data: Path):
    return sorted((data / "journal").glob("*.journal"))


def find_frame(data: Path, seq: int):
    for seg in segments(data):
        for off, s, fr in frames(seg):
            if s == seq:
                return seg, off, fr
    raise AssertionError(f"no frame with seq {seq}")


def reseal(frame: bytes) -> bytes:
    payload = frame[8:]
    return frame[:4] + struct.pack("<I", masked_crc(frame[:4], payload)) + payload


def replace_frame(seg: Path, off: int, old_len: int, new: bytes):
    b = seg.read_bytes()
    seg.write_bytes(b[:off] + new + b[off + old_len:])


# ---- heads (docs/formats/heads.md, "Head store") -------------------------------------------

def head_frames(path: Path):
    """(offset, size, tree_size or None for the epoch record) of each frame of a head file."""
    b = path.read_bytes()
    off, out = 8, []
    while off + 8 <= len(b):
        (n,) = struct.unpack_from("<I", b, off)
        payload = b[off + 8:off + 8 + n]
        tree_size = struct.unpack_from(">Q", payload, 3)[0] if payload[0] == 2 else None
        out.append((off, 8 + n, tree_size))
        off += 8 + n
    return out


# ---- running things ------------------------------------------------------------------------

def loggen(port: int, n: int = BATCH):
    r = subprocess.run([loggen_bin(), "-S", "-n", str(n), "-r", "20000", "-s", "300",
                        LOCALHOST, str(port)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def logger_udp(port: int, text: str):
    subprocess.run(["logger", "-d", "-n", LOCALHOST, "-P", str(port), text], check=True,
                   timeout=30)


def verify(data: Path, anchor: Path, *extra):
    r = subprocess.run([kiroku_bin(), "verify", "--data", str(data), "--anchor", str(anchor),
                        "--format", "json", *map(str, extra)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode in (0, 1, 2), r.stderr
    return r.returncode, json.loads(r.stdout)


def tampered(report) -> list:
    return [(f["kind"], f.get("first_seq"), f.get("last_seq"))
            for f in report["findings"] if f["severity"] == "tampered"]


def kinds(report) -> set:
    return {f["kind"] for f in report["findings"] if f["severity"] == "tampered"}


def server_for(workdir: Path, data: Path, witness: Path) -> KirokuServer:
    return KirokuServer(workdir, data=data, args=["--witness", str(witness)])


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A data directory filled by loggen and logger, stopped cleanly; a copy of it as it was
    after the first batch (for the rollback case); the operator's anchor kept apart; and the
    server's witness file."""
    work = tmp_path_factory.mktemp("tamper")
    data = work / "data"
    witness = work / "witness.jsonl"
    srv = server_for(work, data, witness)
    srv.start(timeout=300)
    loggen(srv.tcp[1])
    logger_udp(srv.udp[1], "udp record from logger")
    wait_until(lambda: srv.count() >= BATCH + 1, 60, "first batch stored")
    srv.stop()
    old = work / "old-copy"
    shutil.copytree(data, old)
    srv.start(timeout=120)
    loggen(srv.tcp[1])
    wait_until(lambda: srv.count() >= 2 * BATCH + 1, 60, "second batch stored")
    srv.stop()
    anchor = work / "operator-anchor.json"
    shutil.copy(data / "keys" / "anchor.json", anchor)
    rc, report = verify(data, anchor)
    return {"work": work, "data": data, "old": old, "anchor": anchor, "witness": witness,
            "report": report, "rc": rc}


@pytest.fixture
def copy(base, tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(base["data"], dst)
    return dst


def signed_size(base) -> int:
    return base["report"]["stats"]["signed_size"]


def test_untouched_log_verifies(base):
    assert base["rc"] == 0, json.dumps(base["report"], indent=1)
    st = base["report"]["stats"]
    assert st["records"] >= 2 * BATCH + 1
    assert st["signed_size"] == st["journal_size"], "a clean stop signs everything"
    assert st["heads_verified"] >= 2


def test_untouched_log_verifies_with_witness(base):
    if not base["witness"].exists():
        pytest.skip("the server wrote no witness file (--witness FILE not in place yet)")
    rc, report = verify(base["data"], base["anchor"], "--witness", base["witness"])
    assert rc == 0, json.dumps(report, indent=1)
    assert report["stats"]["witness_heads"] >= 2


def test_kill9_and_restart_verifies(tmp_path):
    data = tmp_path / "data"
    srv = KirokuServer(tmp_path, data=data)
    srv.start(timeout=300)
    loggen(srv.tcp[1])
    srv.kill()
    srv.start(timeout=120)
    loggen(srv.tcp[1])
    wait_until(lambda: srv.count() >= BATCH, 60, "records after restart")
    srv.stop()
    anchor = tmp_path / "anchor.json"
    shutil.copy(data / "keys" / "anchor.json", anchor)
    rc, report = verify(data, anchor)
    assert rc == 0, json.dumps(report, indent=1)


def test_flipped_byte_bad_crc(base, copy):
    seq = 1234
    seg, off, fr = find_frame(copy, seq)
    bad = fr[:-1] + bytes([fr[-1] ^ 0x20])
    replace_frame(seg, off, len(fr), bad)
    rc, report = verify(copy, base["anchor"])
    assert rc == 1
    assert tampered(report) == [("modified", seq, seq)], report


def test_flipped_byte_fixed_crc(base, copy):
    seq = 1234
    seg, off, fr = find_frame(copy, seq)
    bad = reseal(fr[:-1] + bytes([fr[-1] ^ 0x20]))
    replace_frame(seg, off, len(fr), bad)
    rc, report = verify(copy, base["anchor"])
    assert rc == 1
    found = tampered(report)
    assert [k for k, _, _ in found] == ["modified"], report
    _, first, last = found[0]
    assert first <= seq <= last and last - first < 256, found


def test_changed_receive_time(base, copy):
    seq = 2222
    seg, off, fr = find_frame(copy, seq)
    payload = bytearray(fr[8:])
    (t,) = struct.unpack_from("<q", payload, 12)
    struct.pack_into("<q", payload, 12, t - 3_600_000_000_000)  # an hour earlier
    replace_frame(seg, off, len(fr), reseal(fr[:8] + bytes(payload)))
    rc, report = verify(copy, base["anchor"])
    assert rc == 1
    found = [f for f in tampered(report) if f[0] == "modified"]
    assert found and found[0][1] <= seq <= found[0][2], report


def test_deleted_record(base, copy):
    seq = 777
    seg, off, fr = find_frame(copy, seq)
    replace_frame(seg, off, len(fr), b"")
    rc, report = verify(copy, base["anchor"])
    assert rc == 1
    assert tampered(report) == [("missing", seq, seq)], report


def test_inserted_forged_record(base, copy):
    seq = 900
    seg, off, fr = find_frame(copy, seq)
    payload = bytearray(fr[8:])
    payload[-5:] = b"FORGE"
    forged = reseal(fr[:8] + bytes(payload))
    replace_frame(seg, off + len(fr), 0, forged)  # right after the real one, same seq
    rc, report = verify(copy, base["anchor"])
    assert rc == 1
    assert tampered(report) == [("inserted", seq, seq)], report


def test_swapped_records(base, copy):
    a, b = 1500, 1501
    seg, off_a, fa = find_frame(copy, a)
    _, off_b, fb = find_frame(copy, b)
    assert off_b == off_a + len(fa)
    replace_frame(seg, off_a, len(fa) + len(fb), fb + fa)
    rc, report = verify(copy, base["anchor"])
    assert rc == 1
    assert tampered(report) == [("reordered", a, a)], report


def test_truncated_log(base, copy):
    keep = 2000
    seg, off, fr = find_frame(copy, keep)
    for s in segments(copy):
        if s.name > seg.name:
            s.unlink()
    with open(seg, "r+b") as f:
        f.truncate(off + len(fr))
    rc, report = verify(copy, base["anchor"])
    assert rc == 1
    assert ("truncated", keep + 1, signed_size(base)) in tampered(report), report


def cut_heads_after(data: Path, keep_size: int):
    """Deletes every head with tree_size > keep_size, as an attacker covering a truncation."""
    for hf in sorted((data / "heads").glob("heads-*.log")):
        cut = None
        for off, size, tree_size in head_frames(hf):
            if tree_size is not None and tree_size > keep_size:
                cut = off
                break
        if cut is None:
            continue
        if cut <= 8 + head_frames(hf)[0][1]:
            hf.unlink()
        else:
            with open(hf, "r+b") as f:
                f.truncate(cut)


def test_truncated_log_and_heads_with_witness(base, copy):
    if not base["witness"].exists():
        pytest.skip("the server wrote no witness file (--witness FILE not in place yet)")
    keep = BATCH  # inside the first run
    seg, off, fr = find_frame(copy, keep)
    for s in segments(copy):
        if s.name > seg.name:
            s.unlink()
    with open(seg, "r+b") as f:
        f.truncate(off + len(fr))
    cut_heads_after(copy, keep)
    rc, report = verify(copy, base["anchor"])
    assert "truncated" not in kinds(report), "without a witness this is undetectable"
    rc, report = verify(copy, base["anchor"], "--witness", base["witness"])
    assert rc == 1
    assert "rolled back" in kinds(report), report


def test_deleted_heads(base, copy):
    hf = sorted((copy / "heads").glob("heads-*.log"))[-1]
    fr = head_frames(hf)
    heads = [x for x in fr if x[2] is not None]
    assert len(heads) >= 3, fr
    off, size, _ = heads[1]
    b = hf.read_bytes()
    hf.write_bytes(b[:off] + b[off + size:])
    rc, report = verify(copy, base["anchor"])
    assert rc == 1
    assert "heads deleted" in kinds(report), report


def test_resigned_with_later_key(base, copy):
    forge = Path(kiroku_bin()).parent / "kiroku_verify_forge"
    if not forge.exists():
        pytest.skip(f"{forge} not built")
    start = 1001
    # Heads that sealed records before `start` stay; the records after the newest of them are
    # the ones the thief re-signs.
    kept = max(ts for hf in (copy / "heads").glob("heads-*.log")
               for _, _, ts in head_frames(hf) if ts is not None and ts < start)
    r = subprocess.run([str(forge), str(copy), str(start), "3"], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    rc, report = verify(copy, base["anchor"])
    assert rc == 1
    resigned = [f for f in tampered(report) if f[0] == "re-signed with a later key"]
    assert resigned == [("re-signed with a later key", kept + 1,
                         report["stats"]["journal_size"])], report


def test_replaced_keys(base, copy, tmp_path):
    # A new `kiroku init` in place, the old heads removed, then the server signs new heads
    # over everything with the new keys.
    shutil.rmtree(copy / "keys")
    shutil.rmtree(copy / "heads")
    r = subprocess.run([kiroku_bin(), "init", "--data", str(copy)], capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    srv = KirokuServer(tmp_path / "srv", data=copy)
    srv.start(timeout=300)
    loggen(srv.tcp[1], 100)
    srv.stop()
    rc, report = verify(copy, base["anchor"])
    assert rc == 1
    assert "wrong key" in kinds(report), report


def test_rolled_back_with_witness(base):
    if not base["witness"].exists():
        pytest.skip("the server wrote no witness file (--witness FILE not in place yet)")
    rc, report = verify(base["old"], base["anchor"])
    assert rc == 0, "an older copy is consistent in itself"
    rc, report = verify(base["old"], base["anchor"], "--witness", base["witness"])
    assert rc == 1
    assert [k for k, _, _ in tampered(report)] == ["rolled back"], report
    _, first, last = tampered(report)[0]
    assert last == signed_size(base)


def test_no_anchor_cannot_check(base, tmp_path):
    rc, report = verify(base["data"], tmp_path / "missing.json")
    assert rc == 2 and report["result"] == "error"


def test_proofs_check_with_anchor_alone(base, tmp_path):
    proof = tmp_path / "inclusion.json"
    r = subprocess.run([kiroku_bin(), "proof", "inclusion", "1234", "--data", str(base["data"])],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    proof.write_text(r.stdout)
    doc = json.loads(r.stdout)
    assert doc["record"]["seq"] == 1234 and doc["leaf_index"] == 1233
    r = subprocess.run([kiroku_bin(), "verify-proof", str(proof), "--anchor", str(base["anchor"])],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run([sys.executable, str(HERE / "independent_verifier.py"), str(proof),
                        str(base["anchor"])], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    # A changed byte of the evidence makes both say no.
    doc["record"]["raw_base64"] = "Zm9yZ2Vk"
    doc["leaf_encoding_base64"] = doc["leaf_encoding_base64"][:-8] + "Zm9yZ2Vk"
    proof.write_text(json.dumps(doc))
    for cmd in ([kiroku_bin(), "verify-proof", str(proof), "--anchor", str(base["anchor"])],
                [sys.executable, str(HERE / "independent_verifier.py"), str(proof),
                 str(base["anchor"])]):
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert r.returncode == 1, r.stdout + r.stderr

    sizes = sorted({json.loads(ln)["tree_size"] for ln in base["witness"].read_text().splitlines()
                    if ln.strip()}) if base["witness"].exists() else []
    r = subprocess.run([kiroku_bin(), "proof", "consistency", "1", str(signed_size(base)),
                        "--data", str(base["data"])], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        assert "head sizes:" in r.stderr, r.stderr
        # The first head of a run may sign the empty tree (size 0): no proof starts there.
        sizes = [int(x) for x in r.stderr.split("head sizes:")[1].replace(".", "").split(",")
                 if x.strip().isdigit() and int(x) > 0]
        r = subprocess.run([kiroku_bin(), "proof", "consistency", str(sizes[0]),
                            str(signed_size(base)), "--data", str(base["data"])],
                           capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    cproof = tmp_path / "consistency.json"
    cproof.write_text(r.stdout)
    for cmd in ([kiroku_bin(), "verify-proof", str(cproof), "--anchor", str(base["anchor"])],
                [sys.executable, str(HERE / "independent_verifier.py"), str(cproof),
                 str(base["anchor"])]):
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stdout + r.stderr
