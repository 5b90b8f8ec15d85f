"""Reading files: encodings, line ends, binary and unreadable files."""

from __future__ import annotations

import codecs
import os
import pickle
import random
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nianbao.read.source import ReadError, SourceText, decode_bytes, read_path

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


def seed_text(prefix: str) -> str:
    (path,) = EXAMPLES.glob(f"{prefix}_*.txt")
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


# Seed 000 is Simplified and GBK-encodable; seed 004 is Traditional and Big5-encodable.
SIMPLIFIED = seed_text("000")
TRADITIONAL = seed_text("004")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- encodings -----------------------------------------------------------------------------------


def test_seed_files_read_as_utf8():
    for path in sorted(EXAMPLES.glob("*.txt")):
        source = read_path(path)
        assert source.encoding == "utf-8"
        assert source.text == path.read_bytes().decode("utf-8")
        assert source.path == os.fspath(path)


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16"),
        (codecs.BOM_UTF32_LE + SIMPLIFIED.encode("utf-32-le"), "utf-32"),
        (codecs.BOM_UTF32_BE + SIMPLIFIED.encode("utf-32-be"), "utf-32"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
        (SIMPLIFIED.encode("gbk"), "gb18030"),
        (SIMPLIFIED.encode("gb2312"), "gb18030"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf32le-bom", "utf32be-bom",
         "gb18030", "gbk", "gb2312"],
)
def test_every_encoding_of_a_seed_decodes_to_the_same_text(tmp_path, encoded, encoding):
    source = read_path(write(tmp_path, "report.txt", encoded))
    assert source.text == SIMPLIFIED
    assert source.encoding == encoding
    assert not source.text.startswith("\ufeff")


def test_gb18030_copy_of_seed_with_nbsp_decodes():
    # Seed 001 holds NBSPs, which GBK cannot encode but GB18030 can.
    text = seed_text("001")
    assert "\u00a0" in text
    assert decode_bytes(text.encode("gb18030")).text == text


def test_traditional_report_in_gbk_and_big5(tmp_path):
    assert read_path(write(tmp_path, "gbk.txt", TRADITIONAL.encode("gbk"))).text == TRADITIONAL
    source = read_path(write(tmp_path, "big5.txt", TRADITIONAL.encode("big5")))
    assert source.text == TRADITIONAL
    assert source.encoding == "big5"


@pytest.mark.parametrize(
    "line",
    ["一、总体情况", "（三）不予公开", "行政许可 | 30 | 17", "绿园区商务局\n2021年1月21日", "本年新制作数量"],
)
def test_short_gbk_snippets_decode_correctly(line):
    # Short texts give a detector little to go on; these must still not come out as Big5 or Korean.
    assert decode_bytes(line.encode("gbk")).text == line


@pytest.mark.parametrize("line", ["政府資訊公開工作年度報告", "三、政府信息依申請公開辦理情況"])
def test_short_big5_snippets_decode_correctly(line):
    source = decode_bytes(line.encode("big5"))
    assert source.text == line
    assert source.encoding == "big5"


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "utf-16"])
def test_crlf_is_kept(encoding):
    text = "一、总体情况\r\n（一）主动公开\r\n\r\n行政许可\r\n"
    data = text.encode(encoding)  # Python's "utf-16" writes a BOM
    source = decode_bytes(data, "report.txt")
    assert source.text == text
    assert source.text.count("\r\n") == 4
    assert source.path == "report.txt"


def test_empty_file_is_empty_text(tmp_path):
    source = read_path(write(tmp_path, "empty.txt", b""))
    assert source == SourceText(os.fspath(tmp_path / "empty.txt"), "", "utf-8")
    assert decode_bytes(b"").text == ""


def test_bom_only_file_is_empty_text():
    assert decode_bytes(codecs.BOM_UTF8).text == ""
    assert decode_bytes(codecs.BOM_UTF16_LE).text == ""


# --- refusals ------------------------------------------------------------------------------------


PNG_HEADER = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000100000001008060000001ff3ff61"
)


def reason_of(data: bytes) -> ReadError:
    with pytest.raises(ReadError) as caught:
        decode_bytes(data)
    return caught.value


def test_png_is_binary():
    error = reason_of(PNG_HEADER)
    assert error.reason == "binary"
    assert error.message == "不是文本文件，而是 PNG 图片：请检查报告的 Word、PDF、OFD 或网页原件"


def test_office_and_pdf_files_are_named_in_the_refusal():
    assert "PDF" in reason_of(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").message
    assert "docx" in reason_of(b"PK\x03\x04\x14\x00\x06\x00").message


def test_random_bytes_with_nuls_are_binary():
    generator = random.Random(20240601)
    data = bytes(generator.randrange(256) for _ in range(4096))
    assert b"\x00" in data
    assert reason_of(data).reason == "binary"


def test_random_bytes_without_nuls_are_refused():
    generator = random.Random(7)
    data = bytes(generator.randrange(1, 256) for _ in range(4096))
    assert reason_of(data).reason == "binary"


def test_nul_in_otherwise_ascii_text_is_binary():
    assert reason_of(b"abc\x00def").reason == "binary"


def test_control_characters_in_utf8_are_binary():
    assert reason_of(("\x01\x02\x03\x04" * 10 + "正文").encode("utf-8")).reason == "binary"


def test_one_stray_control_character_is_still_text():
    assert decode_bytes("一、总体情况\x1b\n正文内容".encode("utf-8")).text == "一、总体情况\x1b\n正文内容"


def test_undecodable_bytes_are_an_encoding_error():
    # 0x80 and 0xFF are invalid lead bytes in UTF-8, GB18030 and Big5 alike.
    error = reason_of(b"abc \x80\xff\x80\xff def " * 20)
    assert error.reason == "encoding"
    assert error.message.startswith("无法识别文件编码")


def test_a_few_bad_utf8_bytes_are_read_as_one_replacement_each_and_recorded():
    lines = SIMPLIFIED.encode("utf-8").split(b"\n")
    lines[4] += b"\xff"  # the end of the 5th line
    source = decode_bytes(b"\n".join(lines))
    assert source.encoding == "utf-8"
    offset = source.text.index("\ufffd")
    assert source.text.count("\ufffd") == 1 and source.text[:offset].count("\n") == 4
    assert source.undecodable == ((offset, b"\xff"),)
    assert source.text.replace("\ufffd", "") == SIMPLIFIED


def test_a_bad_gbk_byte_is_recorded_where_it_is_and_the_rest_decodes():
    lines = SIMPLIFIED.encode("gbk").split(b"\n")
    lines[9] = b"\x80" + lines[9]  # 10th line; 0x80 is never a valid GB18030 lead byte
    source = decode_bytes(b"\n".join(lines))
    assert source.encoding == "gb18030"
    (offset, raw), = source.undecodable
    assert raw == b"\x80" and source.text.split("\n")[9].startswith("\ufffd")
    assert source.text[:offset].count("\n") == 9


def test_a_file_broken_in_many_places_is_still_refused():
    data = b"\x80".join(SIMPLIFIED.encode("gbk")[index : index + 20] for index in range(0, 400, 20))
    with pytest.raises(ReadError) as caught:
        decode_bytes(data)
    assert caught.value.reason == "encoding"


def test_bom_that_lies_is_an_encoding_error():
    error = reason_of(codecs.BOM_UTF16_LE + b"\x00")  # odd number of UTF-16 bytes
    assert error.reason == "encoding"
    assert "UTF-16" in error.message


# --- filesystem ----------------------------------------------------------------------------------


def read_error(path) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read_path(path)
    return caught.value


def test_directory(tmp_path):
    error = read_error(tmp_path)
    assert error.reason == "directory"
    assert error.message == "是目录而不是文件"


def test_missing(tmp_path):
    assert read_error(tmp_path / "no-such-report.txt").reason == "missing"
    assert read_error(os.fspath(tmp_path / "no-such-report.txt")).reason == "missing"


def test_path_through_a_file_is_missing(tmp_path):
    report = write(tmp_path, "report.txt", b"x")
    assert read_error(report / "inner.txt").reason == "missing"


def test_invalid_file_name_is_missing():
    assert read_error("bad\x00name.txt").reason == "missing"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads everything")
def test_permission_denied(tmp_path):
    report = write(tmp_path, "secret.txt", "内容".encode("utf-8"))
    report.chmod(0)
    try:
        error = read_error(report)
    finally:
        report.chmod(0o600)
    assert error.reason == "permission"
    assert error.message == "没有读取权限"


def test_too_large(tmp_path):
    report = write(tmp_path, "big.txt", b"x" * 2048)
    with pytest.raises(ReadError) as caught:
        read_path(report, max_bytes=1024)
    assert caught.value.reason == "too-large"
    assert caught.value.message == "文件过大（超过 1 KB）"
    assert read_path(report, max_bytes=2048).text == "x" * 2048


def test_default_limit_is_20_mb(tmp_path):
    report = tmp_path / "huge.txt"
    with open(report, "wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)  # sparse: no real disk use
    error = read_error(report)
    assert error.reason == "too-large"
    assert "20 MB" in error.message


def test_read_error_is_an_exception_with_message_and_reason():
    error = ReadError("文件不存在", "missing")
    assert isinstance(error, Exception)
    assert str(error) == "文件不存在"
    assert (error.message, error.reason) == ("文件不存在", "missing")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.message, copy.reason) == ("文件不存在", "missing")


# --- properties ----------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_decode_bytes_only_ever_raises_read_error(data):
    try:
        source = decode_bytes(data)
    except ReadError as error:
        assert error.reason in {"binary", "encoding"}
        assert error.message
    else:
        assert isinstance(source.text, str)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=200))
def test_any_utf8_text_without_controls_reads_back_unchanged(text):
    assume(not text.startswith(("%PDF-", "GIF8", "{\\rtf")))  # refused by their file signature
    assert decode_bytes(text.encode("utf-8")).text == text.removeprefix("\ufeff")
