#!/usr/bin/env bash
# Regenerates the "foreign" (non-Java) ZIP fixtures in the folder this script sits in.
#   Usage: bash make-fixtures.sh
#
# Tool versions used for the committed fixtures:
#   Info-ZIP Zip 3.0 (July 5th 2008), Debian package zip 3.0-13, "Compiled with gcc 12.2.0 for Unix"
#     (USE_EF_UT_TIME, ZIP64_SUPPORT, STORE_UNIX_UIDs_GIDs, UNICODE_SUPPORT; own deflate, not zlib)
#   zipnote / zipinfo from the same packages (zip 3.0-13, unzip 6.0-28) - used for inspection only
#   Python 3.11.7, zipfile module, zlib 1.2.13 (default compression level)
#
# Reproducibility notes:
#   * TZ=UTC and all source files/dirs get mtime (and atime) 2026-01-15 10:00:00 UTC.
#   * The "ux" extra field of infozip-tree.zip / infozip-zip64.zip stores the file UID/GID;
#     when run as root the sources are chowned to 1000:1000, otherwise your own UID/GID ends up in it.
#   * infozip-tree.zip: entry order is the readdir() order of the temp dir (zip -r does not sort).
#     The LOCAL-header UT field of the two directory entries also carries atime, and zip -r itself
#     reads each directory before it stats it for the entry, so those 2 x 4 bytes are the run time.
#     Everything else in that archive (incl. the central directory) is byte-stable between runs.
#   * infozip-stream.zip: Info-ZIP stamps an entry read from stdin with the CURRENT time (and with
#     the fifo/pipe mode prw-------), so its bytes change on every run. Name, size, CRC do not.
#   * The stdin entry is deliberately NOT renamed: `zipnote -w` rewrites the archive and clears
#     general-purpose bit 3 (it moves sizes into the local header as a Zip64 extra), destroying
#     the data-descriptor property the fixture exists for. So the entry keeps Info-ZIP's name "-".
set -euo pipefail
export TZ=UTC LC_ALL=C

OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
STAMP='2026-01-15 10:00:00 UTC'

# ---------------------------------------------------------------- CSV sources (deterministic)
python3 - "$WORK" <<'PY'
import os, sys
work = sys.argv[1]

def csv_text(label, n, factor):
    # header + n data rows; row 7 has a quoted comma, row 13 a quoted embedded newline (LF endings)
    lines = ["id,name,amount"]
    for i in range(1, n + 1):
        name = f"{label} {i}"
        if i == 7:
            name = f"{label} {i}, Ltd"
        elif i == 13:
            name = f"{label} {i}\nBuilding B"
        lines.append(f'{i},"{name}",{i * factor:.2f}')
    return "\n".join(lines) + "\n"

files = {
    "tree/export/suppliers.csv":     ("Supplier", 200, 10.50),
    "tree/export/sub/invoices.csv":  ("Invoice", 150, 3.25),
    "z64/payments.csv":              ("Payment", 120, 7.75),
    "z64/refunds.csv":               ("Refund", 80, 1.20),
    "stream/streamed.csv":           ("Streamed", 200, 2.50),
    "py/orders.csv":                 ("Order", 200, 4.10),
    "py/customers.csv":              ("Customer", 100, 12.00),
}
for rel, (label, n, factor) in files.items():
    p = os.path.join(work, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", newline="") as f:
        f.write(csv_text(label, n, factor))
PY

# fixed owner (if we can) and modes, THEN fixed mtime+atime (files first, then directories).
# Order matters: Info-ZIP's local UT field also stores atime, and chown -R/chmod reading a directory
# after it was touched would bump its atime to "now" (relatime), making the archive differ per run.
if [ "$(id -u)" = 0 ]; then chown -R 1000:1000 "$WORK"/tree "$WORK"/z64 "$WORK"/stream; fi
chmod 644 "$WORK"/tree/export/suppliers.csv "$WORK"/tree/export/sub/invoices.csv "$WORK"/z64/*.csv
chmod 755 "$WORK"/tree/export "$WORK"/tree/export/sub
for d in tree z64 stream py; do
  find "$WORK/$d" -type f -print0 | sort -z | xargs -0 touch -d "$STAMP"
  find "$WORK/$d" -depth -type d -print0 | xargs -0 touch -d "$STAMP"
done

rm -f "$OUT"/infozip-tree.zip "$OUT"/infozip-zip64.zip "$OUT"/infozip-stream.zip \
      "$OUT"/python-stream-deflated.zip "$OUT"/python-stream-stored.zip "$OUT"/empty.zip

# ---------------------------------------------------------------- 1. Info-ZIP, recursive, dir entries, UT+ux extras
( cd "$WORK/tree" && zip -q -r "$OUT/infozip-tree.zip" export )

# ---------------------------------------------------------------- 2. Info-ZIP, forced Zip64 extra fields
( cd "$WORK/z64" && zip -q -fz "$OUT/infozip-zip64.zip" payments.csv refunds.csv )

# ---------------------------------------------------------------- 3. Info-ZIP streaming stdin -> pipe (data descriptor)
# Output must go through a pipe: if stdout is a regular file zip seeks back and writes no descriptor.
# -fz- : no Zip64 (zip would otherwise assume Zip64 for stdin input of unknown size).
( cd "$WORK/stream" && cat streamed.csv | zip -q -fz- - - | cat > "$OUT/infozip-stream.zip" )

# ---------------------------------------------------------------- 4-6. Python zipfile
python3 - "$WORK/py" "$OUT" <<'PY'
import io, os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]

class NonSeekable(io.RawIOBase):
    """Write-only wrapper whose seekable() is False, so zipfile must use data descriptors."""
    def __init__(self, f): self._f = f
    def writable(self): return True
    def seekable(self): return False
    def write(self, b): return self._f.write(b)

def streamed(path, method):
    with open(path, "wb") as raw:
        with zipfile.ZipFile(NonSeekable(raw), "w", compression=method) as zf:
            for name in ("orders.csv", "customers.csv"):
                zi = zipfile.ZipInfo(name, date_time=(2026, 1, 15, 10, 0, 0))
                zi.compress_type = method
                zi.external_attr = 0o100644 << 16
                with open(os.path.join(src, name), "rb") as f, zf.open(zi, "w") as w:
                    w.write(f.read())

streamed(os.path.join(out, "python-stream-deflated.zip"), zipfile.ZIP_DEFLATED)
streamed(os.path.join(out, "python-stream-stored.zip"), zipfile.ZIP_STORED)
zipfile.ZipFile(os.path.join(out, "empty.zip"), "w").close()
PY

# ---------------------------------------------------------------- verify + expected.json
python3 - "$OUT" <<'PY'
import csv, io, json, os, sys, zipfile
out = sys.argv[1]
names = ["infozip-tree.zip", "infozip-zip64.zip", "infozip-stream.zip",
         "python-stream-deflated.zip", "python-stream-stored.zip", "empty.zip"]

def extra_ids(extra):
    ids, i = [], 0
    while i + 4 <= len(extra):
        hid, ln = int.from_bytes(extra[i:i+2], "little"), int.from_bytes(extra[i+2:i+4], "little")
        ids.append(hid); i += 4 + ln
    return ids

expected = {}
for n in names:
    with zipfile.ZipFile(os.path.join(out, n)) as zf:
        assert zf.testzip() is None, n
        entries = []
        for zi in zf.infolist():
            ids = extra_ids(zi.extra)
            if n == "infozip-tree.zip":
                assert 0x5455 in ids and 0x7875 in ids, (n, zi.filename, ids)
            if n == "infozip-zip64.zip":
                assert 0x0001 in ids, (n, zi.filename, ids)
            if n.startswith("python-stream") or n == "infozip-stream.zip":
                assert zi.flag_bits & 8, (n, zi.filename)
            if n == "python-stream-stored.zip":
                assert zi.compress_type == zipfile.ZIP_STORED
            if zi.is_dir():
                continue
            data = zf.read(zi)
            rows = len(list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))) - 1
            entries.append({"name": zi.filename, "size": zi.file_size,
                            "crc32": format(zi.CRC, "x"), "rows": rows})
        if n == "infozip-tree.zip":
            assert {"export/", "export/sub/"} <= set(zf.namelist())
        if n == "empty.zip":
            assert entries == [] and os.path.getsize(os.path.join(out, n)) == 22
        expected[n] = entries
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f, indent=2)
    f.write("\n")
print("ok:", ", ".join(f"{n} ({os.path.getsize(os.path.join(out, n))} B)" for n in names))
PY
