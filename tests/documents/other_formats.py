"""Files of the formats nianbao refuses, written by their specifications: legacy Office and WPS
files (an OLE2 compound file, [MS-CFB]), Excel and PowerPoint packages (OOXML parts), an
OpenDocument text, a plain zip, an RTF document."""

from __future__ import annotations

import io
import struct
import zipfile

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SECTOR = 512
_FREE, _END_OF_CHAIN, _FAT_SECTOR, _NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A version 3 compound file holding ``streams`` at its root (at most three; each stored in
    regular sectors, so padded to the 4096-byte mini-stream cutoff)."""
    assert 1 <= len(streams) <= 3
    sector_data: list[bytes] = []
    entries = [_directory_entry("Root Entry", 5, _END_OF_CHAIN, 0, child=1)]
    fat = [_FAT_SECTOR, _END_OF_CHAIN]  # sector 0 holds the FAT, sector 1 the directory
    for number, (name, data) in enumerate(streams.items(), start=1):
        data = data.ljust(max(4096, -(-len(data) // _SECTOR) * _SECTOR), b"\x00")
        first = len(fat)
        count = len(data) // _SECTOR
        fat.extend(range(first + 1, first + count))
        fat.append(_END_OF_CHAIN)
        sector_data.append(data)
        right = number + 1 if number < len(streams) else _NO_STREAM
        entries.append(_directory_entry(name, 2, first, len(data), right=right))
    assert len(fat) <= _SECTOR // 4
    header = bytearray(_SECTOR)
    struct.pack_into("<8s16sHHHHH6sIIIIIIIII", header, 0, OLE_SIGNATURE, b"\x00" * 16, 0x3E, 3, 0xFFFE, 9, 6,
                     b"\x00" * 6, 0, 1, 1, 0, 4096, _END_OF_CHAIN, 0, _END_OF_CHAIN, 0)
    struct.pack_into("<109I", header, 76, 0, *([_FREE] * 108))
    fat_sector = struct.pack(f"<{_SECTOR // 4}I", *fat, *([_FREE] * (_SECTOR // 4 - len(fat))))
    directory = b"".join(entries).ljust(_SECTOR, b"\x00")
    return bytes(header) + fat_sector + directory + b"".join(sector_data)


def _directory_entry(name: str, kind: int, start: int, size: int, *, child: int = _NO_STREAM,
                     right: int = _NO_STREAM) -> bytes:
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, _NO_STREAM, right, child,
                       b"\x00" * 16, 0, 0, 0, start, size)


def legacy_word() -> bytes:
    """A Word 97-2003 (or WPS) document: its text is in the WordDocument and 1Table streams."""
    return compound_file({"WordDocument": b"\xec\xa5\xc1\x00" + b"\x00" * 1020, "1Table": b"\x00" * 4096})


def legacy_excel() -> bytes:
    return compound_file({"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00" + b"\x00" * 1016})


def encrypted_ooxml() -> bytes:
    """A .docx with an opening password: Office stores it encrypted inside a compound file."""
    return compound_file({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": b"\x00" * 4096})


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
)
_RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{}</Relationships>'
)
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def _package(parts: dict[str, str], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(zipfile.ZipInfo(stored_first), parts.pop(stored_first), zipfile.ZIP_STORED)
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def xlsx() -> bytes:
    """The parts Excel needs to open a workbook of one sheet."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    overrides = (
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    )
    return _package({
        "[Content_Types].xml": _CONTENT_TYPES.format(overrides=overrides),
        "_rels/.rels": _RELATIONSHIPS.format(f'<Relationship Id="rId1" Type="{_OFFICE_DOCUMENT}" Target="xl/workbook.xml"/>'),
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{relationships}"><sheets>'
                           '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": _RELATIONSHIPS.format(
            f'<Relationship Id="rId1" Type="{relationships}/worksheet" Target="worksheets/sheet1.xml"/>'),
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData><row r="1">'
                                    '<c r="A1" t="inlineStr"><is><t>行政许可</t></is></c><c r="B1"><v>135</v></c>'
                                    "</row></sheetData></worksheet>",
    })


def pptx() -> bytes:
    """A presentation of one slide (the parts a reader looks for; no master or theme)."""
    main = "http://schemas.openxmlformats.org/presentationml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    overrides = (
        '<Override PartName="/ppt/presentation.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>'
        '<Override PartName="/ppt/slides/slide1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>'
    )
    return _package({
        "[Content_Types].xml": _CONTENT_TYPES.format(overrides=overrides),
        "_rels/.rels": _RELATIONSHIPS.format(
            f'<Relationship Id="rId1" Type="{_OFFICE_DOCUMENT}" Target="ppt/presentation.xml"/>'),
        "ppt/presentation.xml": f'<p:presentation xmlns:p="{main}" xmlns:r="{relationships}">'
                                '<p:sldIdLst><p:sldId id="256" r:id="rId1"/></p:sldIdLst>'
                                '<p:sldSz cx="9144000" cy="6858000"/></p:presentation>',
        "ppt/_rels/presentation.xml.rels": _RELATIONSHIPS.format(
            f'<Relationship Id="rId1" Type="{relationships}/slide" Target="slides/slide1.xml"/>'),
        "ppt/slides/slide1.xml": f'<p:sld xmlns:p="{main}"><p:cSld><p:spTree/></p:cSld></p:sld>',
    })


def odt() -> bytes:
    """An OpenDocument text: the uncompressed ``mimetype`` first, then manifest and content."""
    manifest = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    return _package({
        "mimetype": "application/vnd.oasis.opendocument.text",
        "META-INF/manifest.xml": f'<manifest:manifest xmlns:manifest="{manifest}" manifest:version="1.2">'
                                 '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                                 '"application/vnd.oasis.opendocument.text"/><manifest:file-entry '
                                 'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>',
        "content.xml": f'<office:document-content xmlns:office="{office}" xmlns:text="{text}" office:version="1.2">'
                       "<office:body><office:text><text:p>一、总体情况</text:p></office:text></office:body>"
                       "</office:document-content>",
    }, stored_first="mimetype")


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2021年报告.txt", "一、总体情况\n".encode("utf-8"))
    return buffer.getvalue()


def rtf() -> bytes:
    """An RTF document as WordPad writes one, its Chinese in \\u escapes."""
    text = "".join(f"\\u{ord(char)}?" for char in "一、总体情况")
    return ("{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}"
            f"\\viewkind4\\uc1\\pard\\f0\\fs24 {text}\\par\n}}\n").encode("ascii")
