"""XR004: text copied from the body's earlier report or from another body's, through the command
line, with reports made by ``corpus_material``."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_material import (
    COMMERCE_2020,
    LVYUAN_2020,
    SENTENCE_LENGTH,
    copied_report,
    other_body_copy,
    previous_year_copy,
    report,
    sentences,
    with_statutory,
)
from nianbao.api import fingerprint, mask_text
from nianbao.cli import main
from nianbao.rules.crossreport import similarity, xr004_duplicated_content


def check(capsys, *argv: str, options: dict | None = None, directory: Path | None = None) -> tuple[list[dict], str]:
    """XR004's findings (JSON) and the messages on standard error; ``options`` go in a ``[rules.XR004]``
    table of a configuration file written in ``directory``."""
    settings = ["--isolated"]
    if options:
        config = directory / "nianbao.toml"
        config.write_text("[rules.XR004]\n" + "".join(f"{key} = {value}\n" for key, value in options.items()), encoding="utf-8")
        settings = ["--config", str(config)]
    main(["check", *settings, "--no-cache", "--select", "XR004", "--format", "json", *argv])
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def write(directory: Path, name: str, text: str) -> str:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def percent(finding: dict) -> int:
    return int(re.search(r"本报告 (\d+)% 的文字", finding["message"]).group(1))


def test_a_report_copied_from_the_previous_year_is_found_with_its_source(tmp_path, capsys):
    original = COMMERCE_2020.read_text(encoding="utf-8")
    earlier = write(tmp_path, "2020.txt", original)
    later = write(tmp_path, "2021.txt", previous_year_copy(original, 2020))
    assert "2021年市商务局" in Path(later).read_text(encoding="utf-8")  # the figures did change
    findings, _ = check(capsys, earlier, later)
    assert [item["path"] for item in findings] == [later]
    finding = findings[0]
    assert percent(finding) == 100
    assert "本机关 2020 年的报告" in finding["message"] and "2020.txt" in finding["message"]
    assert {item["path"] for item in finding["related"]} == {earlier, later}
    # The first copied sentence: the overview's first paragraph, line 3 of both reports.
    assert finding["line"] == 3
    assert [item["line"] for item in finding["related"]] == [3, 3]


def test_the_earlier_report_given_as_history_is_compared_but_not_reported(tmp_path, capsys):
    original = COMMERCE_2020.read_text(encoding="utf-8")
    earlier = write(tmp_path, "2020.txt", original)
    later = write(tmp_path, "2021.txt", previous_year_copy(original, 2020))
    findings, _ = check(capsys, "--history", earlier, later)
    assert [item["path"] for item in findings] == [later]
    findings, _ = check(capsys, "--history", later, earlier)
    assert findings == []  # the earlier year is not blamed for what the later one copied


def test_a_report_copied_from_another_body_names_that_body_on_both_when_no_date_tells(tmp_path, capsys):
    original = COMMERCE_2020.read_text(encoding="utf-8")
    first = write(tmp_path, "commerce.txt", original)
    second = write(tmp_path, "education.txt", other_body_copy(original, "市商务局", "市教育局"))
    findings, _ = check(capsys, first, second)
    by_path = {item["path"]: item for item in findings}
    assert set(by_path) == {first, second}
    assert "市教育局 2020 年的报告" in by_path[first]["message"]
    assert "市商务局 2020 年的报告" in by_path[second]["message"]


def test_another_body_copying_a_year_later_is_the_one_reported(tmp_path, capsys):
    original = COMMERCE_2020.read_text(encoding="utf-8")
    source = write(tmp_path, "commerce-2020.txt", original)
    copy = write(tmp_path, "education-2021.txt", previous_year_copy(other_body_copy(original, "市商务局", "市教育局"), 2020))
    findings, _ = check(capsys, source, copy)
    assert [item["path"] for item in findings] == [copy]
    assert "市商务局 2020 年的报告" in findings[0]["message"]


def test_unrelated_reports_sharing_only_statutory_sentences_stay_silent(tmp_path, capsys):
    first = write(tmp_path, "a.txt", with_statutory(COMMERCE_2020.read_text(encoding="utf-8"), 2020))
    second = write(tmp_path, "b.txt", with_statutory(LVYUAN_2020.read_text(encoding="utf-8"), 2020))
    own = sentences(12, seed=7)
    third = write(tmp_path, "c.txt", report("甲县文化和旅游局", 2021, own[:6]))
    fourth = write(tmp_path, "d.txt", report("乙县文化和旅游局", 2021, own[6:]))
    findings, _ = check(capsys, first, second, third, fourth, options={"min-passages": 1}, directory=tmp_path)
    assert findings == []


@pytest.mark.parametrize(("copied", "reported"), [(11, False), (12, True)])
def test_a_share_just_under_the_threshold_is_silent_and_at_it_reported(tmp_path, capsys, copied, reported):
    source = sentences(20, seed=1)
    mine = copied_report(source, list(range(copied)), 20, seed=2)
    earlier = write(tmp_path, "2020.txt", report("甲县文化和旅游局", 2020, source))
    later = write(tmp_path, "2021.txt", report("甲县文化和旅游局", 2021, mine))
    findings, _ = check(capsys, earlier, later)
    assert bool(findings) is reported
    if reported:
        assert percent(findings[0]) == 60
        assert "共 12 句" in findings[0]["message"]


def test_the_main_copied_passages_are_the_longest_runs_in_both_reports(tmp_path, capsys):
    source = sentences(20, seed=3)
    # Runs of 8 (sentences 0–7), 3 (10–12) and 2 (15–16): 13 of 20 copied.
    mine = copied_report(source, [*range(8), 10, 11, 12, 15, 16], 20, seed=4)
    earlier = write(tmp_path, "2020.txt", report("甲县文化和旅游局", 2020, source))
    later = write(tmp_path, "2021.txt", report("甲县文化和旅游局", 2021, mine))
    findings, _ = check(capsys, earlier, later)
    related = findings[0]["related"]
    assert [item["message"].split("（")[0] for item in related[::2]] == ["第 1 段照抄", "第 2 段照抄", "第 3 段照抄"]
    assert "8 句" in related[0]["message"] and "3 句" in related[2]["message"] and "2 句" in related[4]["message"]
    # Four sentences a paragraph from line 4: the first run covers lines 4–5 in both reports.
    assert (related[0]["line"], related[0]["end_line"]) == (4, 5)
    assert (related[1]["line"], related[1]["end_line"]) == (4, 5)


def test_options_raise_the_threshold(tmp_path, capsys):
    source = sentences(20, seed=1)
    earlier = write(tmp_path, "2020.txt", report("甲县文化和旅游局", 2020, source))
    later = write(tmp_path, "2021.txt", report("甲县文化和旅游局", 2021, copied_report(source, list(range(14)), 20, seed=2)))
    assert check(capsys, earlier, later)[0]
    assert check(capsys, earlier, later, options={"threshold": 0.8}, directory=tmp_path)[0] == []
    assert check(capsys, earlier, later, options={"min-passages": 15}, directory=tmp_path)[0] == []


def test_without_the_corpus_extra_it_says_so_once_and_still_compares_a_body_s_years(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(xr004_duplicated_content, "load_minhash", lambda: None)
    original = COMMERCE_2020.read_text(encoding="utf-8")
    earlier = write(tmp_path, "2020.txt", original)
    later = write(tmp_path, "2021.txt", previous_year_copy(original, 2020))
    other = write(tmp_path, "education.txt", other_body_copy(original, "市商务局", "市教育局"))
    findings, err = check(capsys, earlier, later, other)
    assert [item["path"] for item in findings] == [later]
    assert err.count("pip install 'nianbao[corpus]'") == 1


def test_boilerplate_is_what_many_bodies_write_in_a_large_enough_corpus(tmp_path, capsys):
    shared = sentences(10, seed=5)
    paths = []
    for number in range(6):
        own = sentences(4, seed=100 + number)
        paths.append(write(tmp_path, f"{number}.txt", report(f"第{'甲乙丙丁戊己'[number]}县文化和旅游局", 2021, [*shared, *own])))
    assert check(capsys, *paths)[0]  # 10 of 14 sentences shared: every report is reported
    options = {"boilerplate-min-bodies": 5, "boilerplate-share": 0.5}
    assert check(capsys, *paths, options=options, directory=tmp_path)[0] == []  # written by all six bodies: boilerplate


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(total=st.integers(8, 24), data=st.data())
def test_the_share_reported_is_the_share_of_sentences_copied_in_any_order(tmp_path_factory, capsys, total, data):
    copied = sorted(data.draw(st.sets(st.integers(0, total - 1), min_size=5, max_size=total)))
    source = sentences(total, seed=total)
    directory = tmp_path_factory.mktemp("share")
    paths = [
        write(directory, "earlier.txt", report("甲县文化和旅游局", 2020, source)),
        write(directory, "later.txt", report("甲县文化和旅游局", 2021, copied_report(source, copied, total, seed=total + 1))),
        write(directory, "other.txt", report("乙县文化和旅游局", 2021, source)),
    ]
    random.Random(len(copied)).shuffle(paths)
    findings, _ = check(capsys, *paths)
    share = len(copied) * SENTENCE_LENGTH / (total * SENTENCE_LENGTH)
    mine = [item for item in findings if item["path"].endswith("later.txt")]
    if share >= 0.6:
        assert [percent(item) for item in mine] == [round(share * 100)]
        assert "本机关 2020 年的报告" in mine[0]["message"]
    else:
        assert mine == []
    assert findings == check(capsys, *reversed(paths))[0]


def test_statutory_sentences_are_fingerprinted_as_reports_write_them():
    written = "本报告所列数据的统计期限为2023年1月1日至12月31日。"
    assert fingerprint(mask_text(written)) in similarity.statutory_fingerprints()


def test_a_template_many_bodies_copied_names_at_most_three_sources_per_report(tmp_path, capsys):
    # 30 bodies of one county wrote the same overview in the same year: each is told it shares its text
    # with the closest others (no order between them), never with all 29, and the work per report stays
    # bounded (at most MAX_CANDIDATES measured), so a cluster of copies does not make the run quadratic.
    # (In a province's corpus 30 bodies are a small share; here they are all the bodies, so the share
    # that makes a sentence boilerplate is switched off.)
    shared = sentences(12, seed=11)
    paths = [write(tmp_path, f"body-{number:02d}.txt", report(f"某县第{number}局", 2021, shared)) for number in range(30)]
    findings, _ = check(capsys, *paths, options={"boilerplate-min-bodies": 1000}, directory=tmp_path)
    by_report: dict[str, int] = {}
    for item in findings:
        by_report[item["path"]] = by_report.get(item["path"], 0) + 1
    assert sorted(by_report) == sorted(paths)  # every copy is reported …
    assert set(by_report.values()) == {xr004_duplicated_content.MAX_OTHER_BODIES}  # … naming three others
    assert similarity.MAX_CANDIDATES < len(paths) - 1
