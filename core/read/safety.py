"""Opening untrusted documents: bounded zip archives and XML parsed without entities or network.

Reports come from the open web and tampered copies are common. A DOCX or OFD is a zip of XML, so
a hostile one can be a zip bomb (a small file that inflates to gigabytes, or has millions of
members) or carry XML that expands entities or fetches external ones (XXE). Every reader opens
archives with :func:`open_zip` and parses XML with :func:`parse_xml`; nothing in a document is
ever fetched or executed.
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from typing import TYPE_CHECKING

from nianbao.read.source import ReadError, _format_size

if TYPE_CHECKING:
    from lxml import etree

    from nianbao.read.formats import ReadLimits

__all__ = ["SafeZip", "open_zip", "parse_xml", "xml_parser"]

# Every entry of a zip's central directory starts with this signature. Counting it bounds the
# members before zipfile builds an object for each (a 100 MB archive can list two million).
_CENTRAL_DIRECTORY_ENTRY = b"PK\x01\x02"
_RE_EXPORT = "请重新导出或下载该文件"


class SafeZip:
    """A zip archive whose members are read with a cap on what they inflate to."""

    def __init__(self, archive: zipfile.ZipFile, limits: ReadLimits, label: str) -> None:
        self._archive = archive
        self._limits = limits
        self._label = label
        self._inflated = 0
        self.names = frozenset(archive.namelist())

    def __contains__(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        """A member's bytes; :class:`ReadError` when it would pass the archive's or one member's cap.
        Every read counts, so reading one member many times is bounded too."""
        try:
            info = self._archive.getinfo(name)
        except KeyError:
            raise ReadError(f"{self._label}不完整：缺少其中的 {name}，{_RE_EXPORT}", "damaged") from None
        if info.flag_bits & 0x1:
            raise ReadError(f"{self._label}已加密，无法读取：请提供未加密的文件", "encrypted")
        left = self._limits.max_unzipped_bytes - self._inflated
        cap = min(self._limits.max_xml_bytes, left)
        try:
            with self._archive.open(info) as member:
                # The sizes in the directory can lie: read one byte past the cap to know.
                data = member.read(cap + 1)
        except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, OSError, EOFError, ValueError, NotImplementedError,
                RuntimeError):
            # zipfile checks each member's CRC and size as it inflates it: a forged one ends here.
            raise ReadError(f"{self._label}已损坏：其中的 {name} 无法解压，{_RE_EXPORT}", "damaged") from None
        if len(data) > cap:
            limit = self._limits.max_xml_bytes if cap < left else self._limits.max_unzipped_bytes
            raise ReadError(
                f"{self._label}解压后过大（超过 {_format_size(limit)}），疑为压缩炸弹，已拒绝读取", "unsafe"
            )
        self._inflated += len(data)
        return data


def open_zip(data: bytes, limits: ReadLimits, label: str) -> SafeZip:
    """The archive in ``data``, refused when damaged or when its directory promises too much."""
    listed = data.count(_CENTRAL_DIRECTORY_ENTRY)
    if listed > limits.max_zip_members:
        raise _too_many_members(label, listed, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise ReadError(f"{label}已损坏，无法打开（不是完整的压缩包）", "damaged") from None
    if len(infos) > limits.max_zip_members:
        raise _too_many_members(label, len(infos), limits)
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_unzipped_bytes:
        raise ReadError(
            f"{label}解压后过大（{_format_size(declared)}，上限 {_format_size(limits.max_unzipped_bytes)}），"
            "疑为压缩炸弹，已拒绝读取",
            "unsafe",
        )
    return SafeZip(archive, limits, label)


def xml_parser(*, html: bool = False):
    """An lxml parser that resolves no entity, loads no DTD and never touches the network."""
    from lxml import etree, html as lxml_html

    if html:
        return lxml_html.HTMLParser(no_network=True, huge_tree=False, remove_comments=True, remove_pis=True)
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def parse_xml(data: bytes, label: str, name: str) -> etree._Element:
    """The root of XML ``data`` (member ``name`` of a ``label``); a document type declaration
    (the way to declare entities) is refused.

    huge_tree stays off, so libxml2's own bounds hold: nesting deeper than 256 elements or a text
    node past 10 MB is a syntax error here, read as a damaged file.
    """
    from lxml import etree

    if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
        # Office and OFD files never declare a document type or entities; one that does is built to
        # expand or fetch. Refused before parsing, so nothing is expanded even for a moment.
        raise _declares_entities(label, name)
    try:
        root = etree.fromstring(data, parser=xml_parser())
    except etree.XMLSyntaxError:
        raise ReadError(f"{label}已损坏：其中的 {name} 内容不完整或有误，{_RE_EXPORT}", "damaged") from None
    except ValueError:  # e.g. an encoding declaration lxml cannot honour
        raise ReadError(f"{label}已损坏：其中的 {name} 编码无法识别，{_RE_EXPORT}", "damaged") from None
    # The byte scan misses declarations in UTF-16 or other encodings; the parsed document does not.
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise _declares_entities(label, name)
    return root


def _declares_entities(label: str, name: str) -> ReadError:
    return ReadError(f"{label}中的 {name} 含有 XML 文档类型或实体声明（可被用于攻击），已拒绝读取", "unsafe")


def _too_many_members(label: str, count: int, limits: ReadLimits) -> ReadError:
    return ReadError(
        f"{label}包含的文件过多（{count} 个，上限 {limits.max_zip_members} 个），疑为压缩炸弹，已拒绝读取", "unsafe"
    )
