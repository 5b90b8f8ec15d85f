"""Write the generated PDFs of tests/data/documents/ (CI does not run this: the PDFs are committed).

Each PDF is a real office document converted by LibreOffice, the way a report author exports one:
the example report docs/examples/2021-template.md is written as a DOCX by
``tests/documents/make_docx.py`` (python-docx: Word tables with merged cells), changed where a test
needs it, and converted with ``soffice --headless --convert-to pdf``. Encrypted copies are made
with qpdf.

Needs: LibreOffice, qpdf and a CJK font (Debian: ``apt-get install libreoffice-writer qpdf
fonts-wqy-zenhei``; without a CJK font LibreOffice draws empty boxes and the text layer is lost).

    python scripts/make_pdf_documents.py [DIRECTORY]    # default: tests/data/documents
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402
from docx.oxml.ns import nsdecls, qn  # noqa: E402

from tests.documents.make_docx import write_docx  # noqa: E402

TEMPLATE = ROOT / "docs" / "examples" / "2021-template.md"
# The 依申请 table is the fifth Word table (after the four 主动公开 tables); its first two rows are
# its header.
APPLICATION_TABLE = 4
APPLICATION_HEADER_ROWS = 2
HEADER_HEIGHTS = (400, 1200)  # twips
USER_PASSWORD = "nianbao-user"
OWNER_PASSWORD = "nianbao-owner"


def total_fault(path: Path) -> None:
    """（七）总计 of 自然人 one more than the results above it add up to (4 → 5)."""
    document = docx.Document(str(path))
    for row in document.tables[APPLICATION_TABLE].rows:
        texts = [cell.text for cell in row.cells]
        if "（七）总计" in texts:
            row.cells[texts.index("（七）总计") + 1].paragraphs[0].runs[0].text = "5"
    document.save(str(path))


def borderless(path: Path) -> None:
    """Every table without ruling lines: a table laid out by spacing alone."""
    document = docx.Document(str(path))
    for table in document.tables:
        table.style = document.styles["Normal Table"]
    document.save(str(path))


def repeated_header(path: Path) -> None:
    """The 依申请 table's header rows repeated at the top of every page it runs onto."""
    document = docx.Document(str(path))
    table = document.tables[APPLICATION_TABLE]
    # A fixed height, tall enough for the note that spans both rows: with an automatic height
    # LibreOffice draws the repeated copy shorter and clips the note.
    for row, height in zip(table.rows[:APPLICATION_HEADER_ROWS], HEADER_HEIGHTS):
        properties = row._tr.get_or_add_trPr()
        properties.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
        properties.append(parse_xml(f'<w:trHeight {nsdecls("w")} w:val="{height}" w:hRule="exact"/>'))
    document.save(str(path))


def convert(source: Path, target: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
            check=True,
            capture_output=True,
        )
        shutil.move(Path(folder) / f"{source.stem}.pdf", target)


def encrypt(source: Path, target: Path, user: str, owner: str, *restrictions: str) -> None:
    subprocess.run(["qpdf", "--encrypt", user, owner, "256", *restrictions, "--", str(source), str(target)], check=True)


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else ROOT / "tests" / "data" / "documents"
    target.mkdir(parents=True, exist_ok=True)
    text = TEMPLATE.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        variants = {
            "2021-template": lambda path: None,
            "2021-template-total-fault": total_fault,
            "2021-template-repeated-header": repeated_header,
            "2021-template-borderless": borderless,
        }
        for name, change in variants.items():
            document = work / f"{name}.docx"
            write_docx(text, document)
            change(document)
            convert(document, target / f"{name}.pdf")
            print(target / f"{name}.pdf")
        clean = target / "2021-template.pdf"
        encrypt(clean, target / "encrypted-user-password.pdf", USER_PASSWORD, OWNER_PASSWORD)
        encrypt(clean, target / "encrypted-owner-password.pdf", "", OWNER_PASSWORD, "--modify=none", "--extract=n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
