"""The audit view's pictures and size figures, made in Debian's chromium (headless).

    python scripts/audit_view_figures.py screenshots      # docs/images/audit-overview.png, audit-drill-down.png
    python scripts/audit_view_figures.py measure 10000    # file size and load time for 10,000 reports

Both use the generated corpus of the tests (tests/audit_corpus.py). ``measure`` checks 220 generated
reports for real and repeats their results under new file and body names up to the number asked,
so the page holds real findings and tables without linting 10,000 files first.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from audit_corpus import write_corpus
from nianbao.cli import main

IMAGES = ROOT / "docs" / "images"


def browser(width: int = 1400, height: int = 1000):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def screenshots() -> None:
    with tempfile.TemporaryDirectory() as directory:
        os.chdir(directory)
        write_corpus(Path("corpus"), 220)
        main(["report", "corpus", "-o", "audit.html", "-q", "--no-progress", "--title", "示例：生成的 220 份报告"])
        page = Path("audit.html").resolve().as_uri()
        driver = browser(1400, 2200)
        try:
            driver.get(page + "#view=overview&sort=errors")
            driver.save_screenshot(str(IMAGES / "audit-overview.png"))
            driver.set_window_size(1400, 2000)
            driver.get(page + "#view=reports&rule=AR001")
            driver.find_element("css selector", "#reports-rows th a").click()
            next(link for link in driver.find_elements("css selector", "#findings a") if "可能有误" in link.text).click()
            driver.execute_script("document.getElementById('report-info').hidden = true")
            driver.save_screenshot(str(IMAGES / "audit-drill-down.png"))
        finally:
            driver.quit()


def measure(count: int) -> None:
    from nianbao.config.files import ConfigResolver
    from nianbao.document.record import RecordRequest
    from nianbao.engine.linter import Linter
    from nianbao.output.audit import AuditEntry, audit_data, excerpt_lines, render_page
    from nianbao.plugins.manager import load_plugins

    plugins = load_plugins(entry_points=False)
    linter = Linter(plugins, ConfigResolver(isolated=True))
    with tempfile.TemporaryDirectory() as directory:
        paths = write_corpus(Path(directory) / "corpus", 220)
        results = [linter.lint_bytes(path.read_bytes(), path.name, RecordRequest(cells=None)).lean(True) for path in paths]
        entries = []
        for number in range(count):
            result = results[number % len(results)]
            record = result.record
            identity = dataclasses.replace(record.identity, body=f"{record.identity.body}{number // len(results)}")
            path = f"{number:05d}-{result.path}"
            entries.append(AuditEntry(path, dataclasses.replace(record, path=path, identity=identity), [dataclasses.replace(item, path=path) for item in result.diagnostics], excerpt_lines(result.located_text, result.diagnostics)))
        started = time.perf_counter()
        rules = {info.rule.code: (info.rule.name, info.rule.summary) for info in plugins.rules}
        page = render_page(audit_data(entries, rules, linter.templates), f"{count} 份报告", "nianbao")
        built = time.perf_counter() - started
        output = Path(directory) / "audit.html"
        output.write_text(page, encoding="utf-8")
        driver = browser()
        try:
            driver.get(output.as_uri())
            timing = driver.execute_script("const t = performance.getEntriesByType('navigation')[0]; return [t.domContentLoadedEventEnd, t.loadEventEnd];")
            started = time.perf_counter()
            driver.get(output.as_uri() + "#view=reports")
            driver.find_element("css selector", "#reports-rows tr")
            listed = time.perf_counter() - started
        finally:
            driver.quit()
        size = output.stat().st_size
        print(f"{count} 份报告：文件 {size / 1e6:.1f} MB，生成 {built:.1f} 秒；浏览器中 DOMContentLoaded {timing[0] / 1000:.2f} 秒，load {timing[1] / 1000:.2f} 秒；切换到报告列表 {listed:.2f} 秒")


if __name__ == "__main__":
    if sys.argv[1:2] == ["screenshots"]:
        screenshots()
    elif sys.argv[1:2] == ["measure"]:
        measure(int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)
    else:
        sys.exit(__doc__)
