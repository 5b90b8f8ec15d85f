"""Hostile files are refused or read within their bounds, and nothing in them is fetched.

Each bound is shown by the limit being hit (small ``ReadLimits`` where the default would take a
large file to reach), never by timing. Zip bombs, a hundred thousand members, entities that read
/etc/passwd or fetch a URL, billion laughs and deep nesting each end in a ReadError ("unsafe" or
"damaged") or a clean read. Network access is watched twice: Python's sockets refuse to connect,
and a listening socket on this machine, named in the hostile file, must receive no connection
(libxml2 opens its own sockets, out of Python's sight). The Word cases go through the DOCX reader
once it is there; until then ``open_zip`` and ``parse_xml``, which it reads with, are tested.
"""

from __future__ import annotations

import os
import socket
import stat
import threading
import zipfile
from pathlib import Path

import pytest
from documents import hostile
from documents.ofd import Typesetter
from nianbao.read.formats import ReadLimits, decode_document, read_document
from nianbao.read.safety import open_zip, parse_xml
from nianbao.read.source import ReadError

LABEL = "Word 文档（.docx）"
MEBIBYTE = 1024 * 1024
SECRET = "nianbao-secret-7f3a"


class Listener:
    """A listening socket on this machine: any connection a reader makes to its address waits in
    the backlog, where :meth:`assert_untouched` finds it."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.setblocking(False)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"

    def assert_untouched(self) -> None:
        try:
            connection, _ = self.socket.accept()
        except BlockingIOError:
            return
        connection.close()
        pytest.fail(f"the reader connected to {self.url}")


@pytest.fixture
def listener(monkeypatch):
    attempts: list = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("network access is not allowed while reading a document")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    watcher = Listener()
    yield watcher
    watcher.socket.close()
    assert attempts == [], f"a connection was attempted: {attempts}"


@pytest.fixture
def secret_file(tmp_path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


def refused(call, *arguments) -> ReadError:
    with pytest.raises(ReadError) as caught:
        call(*arguments)
    return caught.value


# --- zip bombs ----------------------------------------------------------------------------------------


def test_a_member_inflating_past_the_cap_is_refused_as_a_bomb():
    bomb = hostile.zip_bomb_docx(8 * MEBIBYTE)
    assert len(bomb) < 100_000  # eight mebibytes from a few dozen kilobytes
    archive = open_zip(bomb, ReadLimits(max_xml_bytes=MEBIBYTE), LABEL)
    error = refused(archive.read, "word/document.xml")
    assert error.reason == "unsafe" and "压缩炸弹" in error.message


def test_an_archive_promising_more_than_the_cap_is_refused_before_inflating():
    error = refused(open_zip, hostile.zip_bomb_docx(8 * MEBIBYTE), ReadLimits(max_unzipped_bytes=4 * MEBIBYTE), LABEL)
    assert error.reason == "unsafe" and "解压后过大" in error.message


def test_the_default_cap_stops_a_bomb_past_it():
    limits = ReadLimits()
    bomb = hostile.zip_bomb_docx(limits.max_xml_bytes + MEBIBYTE)
    error = refused(open_zip(bomb, limits, LABEL).read, "word/document.xml")
    assert error.reason == "unsafe"


def test_reading_members_again_and_again_counts_every_time():
    data = hostile.zip_bomb_docx(2 * MEBIBYTE)
    archive = open_zip(data, ReadLimits(max_unzipped_bytes=5 * MEBIBYTE), LABEL)
    archive.read("word/document.xml")
    archive.read("word/document.xml")
    assert refused(archive.read, "word/document.xml").reason == "unsafe"


def test_a_directory_understating_a_member_is_damage_found_while_inflating():
    lying = hostile.declare_size(hostile.zip_bomb_docx(8 * MEBIBYTE), "word/document.xml", 1000)
    archive = open_zip(lying, ReadLimits(), LABEL)  # the directory promises 1000 bytes
    error = refused(archive.read, "word/document.xml")
    assert error.reason == "damaged"  # zipfile stops at the promised size and the checksum fails


def test_a_directory_overstating_a_member_is_refused_before_inflating():
    lying = hostile.declare_size(hostile.word_document(), "word/document.xml", 2**40)
    assert refused(open_zip, lying, ReadLimits(), LABEL).reason == "unsafe"


@pytest.fixture(scope="module")
def hundred_thousand_members() -> bytes:
    return hostile.many_members(100_000)


def test_a_hundred_thousand_members_are_refused_before_zipfile_lists_them(hundred_thousand_members, monkeypatch):
    def listed(*arguments, **keywords):
        raise AssertionError("zipfile was asked to list the members")

    monkeypatch.setattr(zipfile, "ZipFile", listed)
    error = refused(open_zip, hundred_thousand_members, ReadLimits(), LABEL)
    assert error.reason == "unsafe" and "100" in error.message and "5000" in error.message


def test_a_hundred_thousand_members_are_refused_end_to_end(hundred_thousand_members):
    # Told apart while finding the format, before any reader runs.
    assert refused(decode_document, hundred_thousand_members, "x.docx").reason == "unsafe"


def test_word_bombs_end_to_end():
    limits = ReadLimits(max_xml_bytes=MEBIBYTE)
    assert refused(decode_document, hostile.zip_bomb_docx(8 * MEBIBYTE), "x.docx", limits).reason == "unsafe"
    lying = hostile.declare_size(hostile.zip_bomb_docx(8 * MEBIBYTE), "word/document.xml", 1000)
    assert refused(decode_document, lying, "x.docx").reason in {"unsafe", "damaged"}


# --- XML: entities, external definitions, expansion, nesting -------------------------------------------


def test_an_entity_reading_etc_passwd_is_refused_unread(listener):
    for encoding in ("utf-8", "utf-16"):  # UTF-16 hides the declaration from a byte scan
        error = refused(parse_xml, hostile.external_entity("file:///etc/passwd", encoding=encoding), LABEL, "word/document.xml")
        assert error.reason == "unsafe" and "root:" not in error.message


def test_entities_reading_a_local_file_or_fetching_a_url_are_refused_and_nothing_is_fetched(listener, secret_file):
    targets = [secret_file.as_uri(), f"{listener.url}/entity.txt"]
    for target in targets:
        for make in (hostile.external_entity, hostile.external_parameter_entity):
            for encoding in ("utf-8", "utf-16"):
                error = refused(parse_xml, make(target, encoding=encoding), LABEL, "word/document.xml")
                assert error.reason == "unsafe" and SECRET not in error.message
    for encoding in ("utf-8", "utf-16"):
        error = refused(parse_xml, hostile.external_dtd(f"{listener.url}/definitions.dtd", encoding=encoding), LABEL,
                        "word/document.xml")
        assert error.reason == "unsafe"
    listener.assert_untouched()


def test_the_entity_attack_is_real_a_parser_resolving_entities_would_leak_the_file(secret_file):
    from lxml import etree

    careless = etree.XMLParser(resolve_entities=True)
    root = etree.fromstring(hostile.external_entity(secret_file.as_uri(), encoding="utf-16"), careless)
    assert SECRET in "".join(root.itertext())


def test_billion_laughs_is_refused_without_expanding():
    assert refused(parse_xml, hostile.billion_laughs(), LABEL, "word/document.xml").reason == "unsafe"
    # In UTF-16 the declarations pass the byte scan; libxml2 expands nothing (entities are not
    # resolved) and its amplification check or the document type check ends it.
    assert refused(parse_xml, hostile.billion_laughs(encoding="utf-16"), LABEL, "word/document.xml").reason in {
        "unsafe", "damaged"}


def test_xml_nested_past_libxml2s_depth_is_damage_and_real_nesting_is_read():
    assert refused(parse_xml, hostile.deeply_nested(100_000), LABEL, "word/document.xml").reason == "damaged"
    root = parse_xml(hostile.deeply_nested(100), LABEL, "word/document.xml")
    assert "".join(root.itertext()) == "无"


def test_word_xml_attacks_end_to_end(listener, secret_file):
    word = hostile.word_document()
    for document_xml in (
        hostile.external_entity(secret_file.as_uri(), encoding="utf-16"),
        hostile.external_parameter_entity(f"{listener.url}/remote.dtd"),
        hostile.billion_laughs(),
        hostile.deeply_nested(100_000),
    ):
        data = hostile.replace_member(word, "word/document.xml", document_xml)
        error = refused(decode_document, data, "x.docx")
        assert error.reason in {"unsafe", "damaged"} and SECRET not in error.message
    listener.assert_untouched()


def test_a_remote_image_in_a_word_file_is_never_fetched(listener):
    data = hostile.remote_image_docx(f"{listener.url}/logo.png")
    archive = open_zip(data, ReadLimits(), LABEL)
    relationships = parse_xml(archive.read("word/_rels/document.xml.rels"), LABEL, "word/_rels/document.xml.rels")
    (external,) = [item for item in relationships if item.get("TargetMode") == "External"]
    assert external.get("Target") == f"{listener.url}/logo.png"
    parse_xml(archive.read("word/document.xml"), LABEL, "word/document.xml")
    listener.assert_untouched()


def test_a_remote_image_in_a_word_file_is_never_fetched_end_to_end(listener):
    source = decode_document(hostile.remote_image_docx(f"{listener.url}/logo.png"), "x.docx")
    assert "二、主动公开政府信息情况" in source.text
    listener.assert_untouched()


# --- the same through the OFD reader ------------------------------------------------------------------


def ofd(objects: str, **keywords) -> bytes:
    return hostile.ofd_with_page(hostile.ofd_page(objects), **keywords)


TEXT = '<ofd:TextObject ID="3" Boundary="28 40 150 7" Size="5.6"><ofd:TextCode X="0" Y="5.6" {delta}>{text}</ofd:TextCode></ofd:TextObject>'


def test_ofd_xml_attacks_are_refused_and_nothing_is_fetched(listener, secret_file):
    clean = ofd(TEXT.format(delta="", text="无"))
    attacks = [
        hostile.external_entity(secret_file.as_uri(), encoding="utf-16"),
        hostile.external_parameter_entity(f"{listener.url}/remote.dtd", encoding="utf-16"),
        hostile.billion_laughs(encoding="utf-16"),
    ]
    for attack in attacks:
        for member in ("OFD.xml", "Doc_0/Document.xml", "Doc_0/Pages/Page_0/Content.xml"):
            error = refused(decode_document, hostile.replace_member(clean, member, attack), "x.ofd")
            assert error.reason in {"unsafe", "damaged"} and SECRET not in error.message
    listener.assert_untouched()


def test_ofd_page_blocks_nested_past_libxml2s_depth_are_damage_and_real_nesting_is_read():
    text = TEXT.format(delta="", text="无")
    deep = hostile.ofd_with_page(hostile.ofd_page(text, depth=100_000))
    assert refused(decode_document, deep, "x.ofd").reason == "damaged"
    nested = hostile.ofd_with_page(hostile.ofd_page(text, depth=200))
    assert decode_document(nested, "x.ofd").text == "无\n"


def test_ofd_bombs_are_refused():
    bomb = hostile.replace_member(ofd(TEXT.format(delta="", text="无")), "Doc_0/Pages/Page_0/Content.xml", stream=8 * MEBIBYTE)
    assert refused(decode_document, bomb, "x.ofd", ReadLimits(max_xml_bytes=MEBIBYTE)).reason == "unsafe"
    lying = hostile.declare_size(bomb, "Doc_0/Pages/Page_0/Content.xml", 500)
    assert refused(decode_document, lying, "x.ofd").reason == "damaged"


def test_one_page_listed_many_times_hits_the_page_and_inflation_bounds():
    page = TEXT.format(delta="", text="无" * 1000)
    assert refused(decode_document, ofd(page, pages=1000), "x.ofd").reason == "too-many-pages"
    many = ofd(page, pages=250)
    limits = ReadLimits(max_unzipped_bytes=len(hostile.ofd_page(page)) * 100)
    assert refused(decode_document, many, "x.ofd", limits).reason == "unsafe"


def test_a_repeat_count_of_a_billion_costs_only_the_characters_there_are():
    source = decode_document(ofd(TEXT.format(delta='DeltaX="g 1000000000 5.6"', text="依法公开")), "x.ofd")
    assert source.text == "依法公开\n" and len(source.origin.boxes) == 4 * len(source.text)
    lefts = [source.origin.boxes[4 * index] * 25.4 / 72 for index in range(4)]
    assert lefts == pytest.approx([28, 33.6, 39.2, 44.8])  # the repeat was applied, as far as there were glyphs


def test_text_past_the_character_bound_is_refused():
    page = TEXT.format(delta='DeltaX="g 4999 5.6"', text="年" * 5000)
    assert refused(decode_document, ofd(page), "x.ofd", ReadLimits(max_characters=1000)).reason == "too-large"


def test_remote_resources_of_an_ofd_are_never_fetched(listener):
    resources = (
        '<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="http://www.ofdspec.org/2016" BaseLoc="Res">'
        f'<ofd:MultiMedias><ofd:MultiMedia ID="12" Type="Image"><ofd:MediaFile>{listener.url}/seal.png'
        "</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias></ofd:Res>"
    )
    image = '<ofd:ImageObject ID="5" CTM="40 0 0 40 0 0" Boundary="100 200 40 40" ResourceID="12"/>'
    source = decode_document(ofd(TEXT.format(delta="", text="无") + image, public_res=resources), "x.ofd")
    assert source.text == "无\n"
    listener.assert_untouched()


# --- what is not a file -------------------------------------------------------------------------------


def test_a_directory_is_refused(tmp_path):
    assert refused(read_document, tmp_path).reason == "directory"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_nobody_writes_to_is_waited_for_only_as_long_as_a_file_may_take(tmp_path):
    fifo = tmp_path / "报告.txt"
    os.mkfifo(fifo)
    error = refused(read_document, fifo, ReadLimits(max_seconds=0.2))
    assert error.reason == "timeout" and "管道" in error.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_a_program_writes_to_is_read(tmp_path):
    fifo = tmp_path / "报告.txt"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as pipe:  # waits for the reader, as `cat report.txt > fifo` does
            pipe.write("一、总体情况\n".encode("utf-8"))

    writer = threading.Thread(target=write)
    writer.start()
    source = read_document(fifo)
    writer.join()
    assert source.text == "一、总体情况\n"


def test_a_device_is_refused():
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    assert refused(read_document, "/dev/zero").reason == "io"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_a_file_without_read_permission_is_refused(tmp_path):
    path = tmp_path / "报告.docx"
    path.write_bytes(hostile.word_document())
    path.chmod(0)
    try:
        assert refused(read_document, path).reason == "permission"
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_a_permission_error_from_the_system_is_refused(tmp_path, monkeypatch):
    # The same refusal where the test runs as root, who may read any file.
    path = tmp_path / "报告.docx"
    path.write_bytes(hostile.word_document())
    real = os.open

    def denied(name, *arguments, **keywords):
        if os.fspath(name) == os.fspath(path):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(name, *arguments, **keywords)

    monkeypatch.setattr(os, "open", denied)
    assert refused(read_document, path).reason == "permission"


def test_an_empty_word_file_is_refused(tmp_path):
    path = tmp_path / "报告.docx"
    path.write_bytes(b"")
    error = refused(read_document, path)
    assert error.reason == "damaged" and "空的" in error.message


def test_a_typeset_report_is_still_read_from_a_file(tmp_path):
    setter = Typesetter()
    setter.paragraph("一、总体情况")
    path = tmp_path / "报告.ofd"
    path.write_bytes(setter.build())
    assert read_document(path).text.splitlines()[0].strip() == "一、总体情况"
