"""An XLSX "archive bomb": a small file whose sheet inflates to gigabytes, made in well under a second.

Used by `bench/bench_bomb.py` and by the tests of `l_and_d_planner.tabular`. The sheet is a real
worksheet (a header row, then one cell holding `inflated_bytes` of text), so a reader that
inflates it without looking first would hold the whole text in memory.

Deflating a gigabyte takes seconds, so the sheet's compressed stream is built from one block:
a block compressed with a full flush ends byte-aligned with the compressor's window reset, so
the same block repeated is valid deflate that inflates to the block's text repeated.
"""

import struct
import zlib

BLOCK = 6 * 1024 * 1024
FILLER = b"x" * BLOCK

SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>title</t></is></c></row>'
    b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
)
SHEET_TAIL = b"</t></is></c></row></sheetData></worksheet>"

PARTS = {
    "[Content_Types].xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" '
        b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/xl/workbook.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _flushed(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


def _final() -> bytes:
    return zlib.compressobj(9, zlib.DEFLATED, -15).flush()


def _sheet(inflated_bytes: int) -> tuple[bytes, int, int]:
    """The sheet's raw deflate stream, its CRC-32 and its inflated size."""
    blocks = max(inflated_bytes // BLOCK, 1)
    filler = _flushed(FILLER)
    crc = zlib.crc32(SHEET_HEAD)
    for _ in range(blocks):
        crc = zlib.crc32(FILLER, crc)
    crc = zlib.crc32(SHEET_TAIL, crc)
    stream = _flushed(SHEET_HEAD) + filler * blocks + _flushed(SHEET_TAIL) + _final()
    return stream, crc, len(SHEET_HEAD) + BLOCK * blocks + len(SHEET_TAIL)


def _zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip archive of (name, raw deflate data, crc, inflated size) members."""
    body = b""
    directory = b""
    for name, data, crc, size in members:
        encoded = name.encode()
        offset = len(body)
        body += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0
        )
        body += encoded + data
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0x21,
            crc,
            len(data),
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        directory += encoded
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), len(body), 0
    )
    return body + directory + end


def xlsx_bomb(inflated_bytes: int = 1024**3) -> bytes:
    """An XLSX file whose first sheet inflates to about `inflated_bytes` (1 GiB: a 1.6 MB file)."""
    members = [
        (name, _flushed(data) + _final(), zlib.crc32(data), len(data))
        for name, data in PARTS.items()
    ]
    members.append(("xl/worksheets/sheet1.xml", *_sheet(inflated_bytes)))
    return _zip(members)


def xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """An XLSX file whose first sheet is `sheet_xml` (for hostile sheets other than a bomb)."""
    members = [
        (name, _flushed(data) + _final(), zlib.crc32(data), len(data))
        for name, data in [*PARTS.items(), ("xl/worksheets/sheet1.xml", sheet_xml)]
    ]
    return _zip(members)
