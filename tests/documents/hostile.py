"""Hostile documents, built the way attacks on document readers build them: zip bombs (members that
inflate far past their size, directories that lie about sizes, archives of a hundred thousand
members), XML that declares entities to read local files, fetch URLs or expand exponentially,
XML nested past any real document, and a Word file whose image lives on a remote server."""

from __future__ import annotations

import io
import struct
import zipfile

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from documents.ofd import Package

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MEBIBYTE = 1024 * 1024


def word_document(paragraph: str = "一、总体情况") -> bytes:
    document = docx.Document()
    document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def replace_member(data: bytes, name: str, content: bytes | None = None, *, stream: int = 0) -> bytes:
    """``data`` (a zip) with member ``name`` replaced by ``content``, or by ``stream`` bytes of
    spaces inside a paragraph, written a mebibyte at a time (a member that inflates ``stream``
    bytes from a few kilobytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            if info.filename != name:
                archive.writestr(info, source.read(info))
        if content is not None:
            archive.writestr(name, content)
        else:
            with archive.open(name, "w", force_zip64=True) as member:
                member.write(f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode())
                chunk = b" " * _MEBIBYTE
                for _ in range(stream // _MEBIBYTE):
                    member.write(chunk)
                member.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buffer.getvalue()


def zip_bomb_docx(inflated: int) -> bytes:
    """A Word document whose document.xml inflates to ``inflated`` bytes (mostly spaces)."""
    return replace_member(word_document(), "word/document.xml", stream=inflated)


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """``data`` with the uncompressed size of member ``name`` rewritten to ``size`` in both its
    local header and the central directory: a directory that lies about what the member holds."""
    mutable = bytearray(data)
    encoded = name.encode("utf-8")
    for signature, size_at, name_length_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        position = mutable.find(signature)
        while position != -1:
            length = struct.unpack_from("<H", mutable, position + name_length_at)[0]
            if mutable[position + name_at : position + name_at + length] == encoded:
                if struct.unpack_from("<I", mutable, position + size_at)[0] == 0xFFFFFFFF:
                    _declare_zip64_size(mutable, position, name_at + length, size, local=signature == b"PK\x03\x04")
                else:
                    struct.pack_into("<I", mutable, position + size_at, min(size, 0xFFFFFFFE))
            position = mutable.find(signature, position + 4)
    return bytes(mutable)


def _declare_zip64_size(mutable: bytearray, header: int, extra_at: int, size: int, *, local: bool) -> None:
    """The size in a member's Zip64 extra field (there when the member was written as Zip64)."""
    extra_length = struct.unpack_from("<H", mutable, header + (28 if local else 30))[0]
    position, end = header + extra_at, header + extra_at + extra_length
    while position + 4 <= end:
        tag, length = struct.unpack_from("<HH", mutable, position)
        if tag == 0x0001:
            struct.pack_into("<Q", mutable, position + 4, size)  # the uncompressed size comes first
            return
        position += 4 + length


def many_members(count: int) -> bytes:
    """A zip of ``count`` empty members beside a real Word document's parts."""
    buffer = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(word_document()))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        for number in range(count):
            archive.writestr(zipfile.ZipInfo(f"word/media/{number}"), b"")
    return buffer.getvalue()


def _declaring(doctype: str, text: str = "&x;", *, encoding: str = "utf-8") -> bytes:
    """A document.xml behind the document type declaration ``doctype``, its one run ``text``."""
    return (
        f'<?xml version="1.0" encoding="{encoding.upper()}"?>\n{doctype}\n'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>'
    ).encode(encoding)


def external_entity(target: str, *, encoding: str = "utf-8") -> bytes:
    """XXE: an entity whose text is read from ``target`` (a file:// or http:// address)."""
    return _declaring(f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "{target}">]>', encoding=encoding)


def external_parameter_entity(target: str, *, encoding: str = "utf-8") -> bytes:
    """XXE through a parameter entity: the DTD itself is loaded from ``target``."""
    return _declaring(f'<!DOCTYPE w:document [<!ENTITY % remote SYSTEM "{target}"> %remote;]>', "无", encoding=encoding)


def external_dtd(target: str, *, encoding: str = "utf-8") -> bytes:
    """A document type whose definition lives at ``target``, its entities used in the text."""
    return _declaring(f'<!DOCTYPE w:document SYSTEM "{target}">', encoding=encoding)


def billion_laughs(levels: int = 10, *, encoding: str = "utf-8") -> bytes:
    """Ten entities each ten of the one before: a few hundred bytes that expand to 10**levels."""
    declarations = ['<!ENTITY x0 "lol">'] + [
        f'<!ENTITY x{level} "{f"&x{level - 1};" * 10}">' for level in range(1, levels)
    ]
    return _declaring(f"<!DOCTYPE w:document [{''.join(declarations)}]>", f"&x{levels - 1};", encoding=encoding)


def deeply_nested(depth: int) -> bytes:
    """A document.xml with ``depth`` content controls inside each other."""
    return (
        f'<w:document xmlns:w="{W}"><w:body>'.encode()
        + b"<w:sdt><w:sdtContent>" * depth
        + b"<w:p><w:r><w:t>\xe6\x97\xa0</w:t></w:r></w:p>"
        + b"</w:sdtContent></w:sdt>" * depth
        + b"</w:body></w:document>"
    )


def remote_image_docx(url: str) -> bytes:
    """A Word document showing an image that is not in the file but at ``url`` (a relationship
    with TargetMode="External", drawn by a picture that links to it)."""
    document = docx.Document()
    document.add_paragraph("二、主动公开政府信息情况")
    part = document.part
    linked = part.relate_to(url, RELATIONSHIP_TYPE.IMAGE, is_external=True)
    paragraph = document.add_paragraph()
    paragraph._p.append(_linked_picture(linked))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _linked_picture(relationship: str):
    from docx.oxml import parse_xml

    picture = "http://schemas.openxmlformats.org/drawingml/2006/picture"
    return parse_xml(
        f'<w:r xmlns:w="{W}" xmlns:r="{R}" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        f'xmlns:pic="{picture}"><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/>'
        '<wp:docPr id="1" name="图片 1"/><a:graphic>'
        f'<a:graphicData uri="{picture}"><pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="图片 1"/><pic:cNvPicPr/>'
        f'</pic:nvPicPr><pic:blipFill><a:blip r:link="{relationship}"/><a:stretch><a:fillRect/></a:stretch>'
        '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm>'
        '<a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
    )


def ofd_with_page(content: bytes, *, pages: int = 1, public_res: str = "") -> bytes:
    """An OFD package whose page content (listed ``pages`` times) is ``content``."""
    package = Package()
    package.page()
    data = package.build(public_res=public_res)
    data = replace_member(data, "Doc_0/Pages/Page_0/Content.xml", content)
    if pages > 1:
        listing = b'<ofd:Page ID="2" BaseLoc="Pages/Page_0/Content.xml"/>'
        document = zipfile.ZipFile(io.BytesIO(data)).read("Doc_0/Document.xml")
        data = replace_member(data, "Doc_0/Document.xml", document.replace(listing, listing * pages))
    return data


def ofd_page(objects: str, *, depth: int = 0) -> bytes:
    """A page's content holding ``objects`` inside ``depth`` page blocks nested in each other."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016">'
        '<ofd:Content><ofd:Layer ID="2">' + '<ofd:PageBlock ID="4">' * depth + objects
        + "</ofd:PageBlock>" * depth + "</ofd:Layer></ofd:Content></ofd:Page>"
    ).encode()
