"""Sentences of report prose (nianbao.text.sentences, through nianbao.api): sentence ends, figures,
bracket groups, clauses and the headings above a paragraph."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from nianbao.api import (
    SEMICOLONS,
    approximation_words,
    document_sentences,
    sentences_in,
)
from nianbao.testing import lint_text

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


def test_a_sentence_ends_at_its_full_stop_or_line_break_without_surrounding_blanks():
    text = "  一是公开政策文件12条。二是答复申请3件！\n三是培训2次"
    assert [(sentence.start, sentence.text) for sentence in sentences_in(text)] == [
        (2, "一是公开政策文件12条。"),
        (14, "二是答复申请3件！"),
        (24, "三是培训2次"),
    ]


def test_sentences_of_a_stretch_keep_offsets_into_the_whole_text():
    text = "标题\n全年收到申请31件，办结30件。"
    (sentence,) = sentences_in(text, 3, len(text), ("总体情况",))
    assert (sentence.start, sentence.end, sentence.headings) == (3, len(text), ("总体情况",))
    assert [(figure.text, text[figure.start : figure.end]) for figure in sentence.figures] == [
        ("31件", "31件"),
        ("30件", "30件"),
    ]


def test_figures_are_counts_not_dates_years_or_document_numbers():
    (sentence,) = sentences_in("2021年1月21日，根据〔2019〕60号文件，发布信息125条。")
    assert [figure.text for figure in sentence.figures] == ["125条"]


def test_bracket_groups_keep_a_parenthesis_apart_from_the_sentence_around_it():
    (sentence,) = sentences_in("共收到申请31件（含上年结转2件），均已办结。")
    outer, inner = sentence.figures
    assert (outer.text, outer.group) == ("31件", 0)
    assert inner.text == "2件" and inner.group != 0
    low, high = sentence.group_bounds(inner.group)
    assert sentence.at(low, high) == "含上年结转2件"
    assert sentence.group_parent(inner.group) == 0 and sentence.groups() == [inner.group]
    assert not sentence.is_quoting(inner.group) and not inner.quoted
    # The parenthesis does not split the clauses of the sentence.
    assert [sentence.at(clause.start, clause.end) for clause in sentence.clauses()] == [
        "共收到申请31件（含上年结转2件）",
        "均已办结。",
    ]


def test_figures_in_titles_and_quotations_are_quoted():
    (sentence,) = sentences_in("印发《关于落实8条措施的通知》，公开文件5件。")
    title, count = sentence.figures
    assert (title.text, title.quoted) == ("8条", True)
    assert (count.text, count.quoted) == ("5件", False)
    assert sentence.is_quoting(title.group) and sentence.in_quote(title.start)


def test_clauses_split_at_separators_and_remember_the_one_before():
    (sentence,) = sentences_in("其中自然人20件,法人5件;予以公开15件。")
    assert [(sentence.at(c.start, c.end), c.separator_before) for c in sentence.clauses()] == [
        ("其中自然人20件", ""),
        ("法人5件", ","),
        ("予以公开15件。", ";"),
    ]
    # Only the semicolon: the items of a ";"-separated list.
    assert [sentence.at(c.start, c.end) for c in sentence.clauses(0, SEMICOLONS)] == [
        "其中自然人20件,法人5件",
        "予以公开15件。",
    ]
    first = sentence.figures[0]
    assert sentence.clause_at(first.start).separator_before == ""
    assert [figure.text for figure in sentence.figures_in(0, sentence.start, sentence.separators(0, 0, 99)[0])] == [
        "20件"
    ]


def test_approximation_words_are_those_of_the_number_reading():
    # data/numbers.toml [approximation]: before the number, between number and unit, after the unit.
    assert approximation_words() == {"将近", "接近", "大约", "超过", "约", "近", "逾", "余", "多", "左右", "上下"}
    (sentence,) = sentences_in("发布信息20余条，约30篇。")
    assert [figure.mention.approx_word for figure in sentence.figures] == ["余", "约"]


def test_document_sentences_carry_the_headings_above_their_paragraph_and_are_read_once():
    text = (
        "某市商务局2021年政府信息公开工作年度报告\n"
        "根据《条例》要求，编制本报告。\n"
        "一、总体情况\n"
        "（一）主动公开\n"
        "全年发布信息12条。\n"
        "二、主动公开政府信息情况\n"
        "详见下表。\n"
    )
    document = lint_text(text, select=["NR"]).document
    sentences = document_sentences(document)
    assert [(sentence.text, sentence.headings) for sentence in sentences] == [
        ("根据《条例》要求,编制本报告。", ()),  # normalised: half-width comma
        ("全年发布信息12条。", ("总体情况", "主动公开")),
        ("详见下表。", ("主动公开政府信息情况",)),
    ]
    assert document_sentences(document) is sentences


def test_sentences_of_a_seed_keep_exact_spans_and_headings():
    document = lint_text((EXAMPLES / "003_92d244c9ede656a3.txt").read_text("utf-8"), select=["NR"]).document
    sentences = document_sentences(document)
    assert sentences
    for sentence in sentences:
        assert document.text_at(sentence.span) == sentence.text
        assert sentence.text == sentence.text.strip()
        for figure in sentence.figures:
            assert document.text_at(figure.span) == figure.text
    first = next(s for s in sentences if "2425条" in s.text)
    assert first.headings == ("总体情况", "政府信息主动公开、依申请公开方面")
    assert first.text.endswith("2425条。")


_PIECE = st.text(alphabet="收到申请公开信息条件年（）()《》“”,;:、12345 ", min_size=0, max_size=12)


@settings(max_examples=60, deadline=None)
@given(pieces=st.lists(_PIECE, min_size=1, max_size=6), ends=st.lists(st.sampled_from(["。", "!", "\n", "？"]), min_size=6, max_size=6))
def test_sentences_cover_the_text_between_sentence_ends(pieces, ends):
    text = "".join(piece + end for piece, end in zip(pieces, ends))
    sentences = sentences_in(text)
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text.strip() == sentence.text
        inner = sentence.text[:-1] if sentence.text[-1] in "。!？" else sentence.text
        assert not any(mark in inner for mark in "。!？\n")
        for figure in sentence.figures:
            assert text[figure.start : figure.end] == figure.text
    # Every non-blank piece is inside some sentence.
    covered = "".join(sentence.text for sentence in sentences)
    assert "".join(ch for ch in text if ch not in " \n") == "".join(ch for ch in covered if ch not in " \n")


# --- linear work --------------------------------------------------------------------------------
# Work is counted as the lines of nianbao's own code executed (a loop over every earlier figure or
# span runs one line per item), not as time: the count for ten times the text must be at most
# about ten times the count for the text.

PARAGRAPH = (
    "2021年，我局共收到政府信息公开申请25件（含上年结转1件），其中自然人申请20件、法人申请5件，"
    "分别为80%和20%；办结申请23件，其中予以公开12件，占52.2%。依据《条例》第二十条（国办发〔2021〕12号）"
    "及时答复，咨询电话0791-86441234，网址www.example.gov.cn。"
)


def lines_executed(function, *arguments) -> int:
    """How many lines of nianbao's own code (the package and its built-in rules) ``function`` runs."""
    import sys

    import nianbao
    import nianbao.rules

    places = tuple(str(Path(package.__file__).resolve().parent) for package in (nianbao, nianbao.rules))
    count = 0

    def trace(frame, event, _argument):
        nonlocal count
        if not frame.f_code.co_filename.startswith(places):
            return None
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        function(*arguments)
    finally:
        sys.settrace(None)
    return count


def test_sentences_of_a_paragraph_cost_work_in_proportion_to_its_length():
    small = lines_executed(sentences_in, PARAGRAPH * 5)
    large = lines_executed(sentences_in, PARAGRAPH * 50)
    assert large <= 10.5 * small, (small, large)


def test_a_run_without_sentence_ends_costs_work_in_proportion_to_its_length():
    run = PARAGRAPH.replace("。", "，")
    small = lines_executed(sentences_in, run * 5)
    large = lines_executed(sentences_in, run * 50)
    assert large <= 10.5 * small, (small, large)


def test_a_paragraph_repeated_has_the_sentences_of_its_copies():
    """Indexes (figures by position, separators and clauses by group) give every copy of a
    paragraph the same reading as the paragraph alone, shifted by the copy's offset."""
    alone = sentences_in(PARAGRAPH)
    repeated = sentences_in(PARAGRAPH * 30)
    assert len(repeated) == 30 * len(alone)

    def reading(sentence, shift):
        return (
            sentence.text,
            [(figure.start - shift, figure.text, figure.group, figure.quoted) for figure in sentence.figures],
            [(clause.start - shift, clause.end - shift) for group in sentence.groups() + [0] for clause in sentence.clauses(group)],
            [sentence.clause_at(figure.start).start - shift for figure in sentence.figures],
            [offset - shift for offset in sentence.separators(0, sentence.start, sentence.end, SEMICOLONS)],
        )

    for copy in range(30):
        shift = copy * len(PARAGRAPH)
        for first, second in zip(alone, repeated[copy * len(alone) : (copy + 1) * len(alone)]):
            assert reading(first, 0) == reading(second, shift)


def test_a_run_longer_than_a_sentence_can_be_is_cut_at_a_clause_separator():
    from nianbao.text.sentences import LONGEST_SENTENCE

    run = "全年发布信息12条，" * (LONGEST_SENTENCE // 5)
    pieces = sentences_in(run)
    assert len(pieces) > 1 and all(len(piece.text) <= LONGEST_SENTENCE for piece in pieces)
    assert all(piece.text.endswith("，") for piece in pieces[:-1])
    assert "".join(piece.text for piece in pieces) == run
    assert sum(len(piece.figures) for piece in pieces) == run.count("12条")
