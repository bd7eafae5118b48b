"""The review report in a real browser: Debian's Chromium driven by Playwright, offline.

The bundled sample is cleaned, clustered with ``--report``, and the page is checked as a
reviewer uses it: the counts, a search in Japanese, a member split off and the decisions
exported; the exported overrides then separate that member on the next ``namecleaner cluster``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from namecleaner.cli import main
from namecleaner.cluster.overrides import read_overrides
from namecleaner.report.browser import CHROMIUM, launch

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "applicants_sample.csv"

sync_api = pytest.importorskip("playwright.sync_api", reason="the browser test needs Playwright (the 'test' extra)")
if not CHROMIUM.exists():
    pytest.skip(
        "no Chromium at /usr/bin/chromium (apt-get install -y chromium); .ci/run installs it",
        allow_module_level=True,
    )


def _cli(*args: object) -> None:
    """Run ``namecleaner`` as a user does; it must succeed."""
    assert main([str(a) for a in args]) == 0


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _cluster_of(rows: list[dict[str, str]], name: str) -> str:
    return next(r["cluster_id"] for r in rows if r["applicant"] == name)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("report")
    files = {name: folder / name for name in ("cleaned.csv", "clustered.csv", "report.html", "again.csv")}
    _cli(
        "clean",
        str(SAMPLE),
        "-o",
        str(files["cleaned.csv"]),
        "--column",
        "applicant",
        "--country-column",
        "country",
        "--quiet",
    )
    _cli("cluster", str(files["cleaned.csv"]), "-o", str(files["clustered.csv"]), "--report", str(files["report.html"]))
    return files


@pytest.fixture()
def page(sample):
    requests: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(accept_downloads=True)
        context.route(
            "**/*",
            lambda route: (requests.append(route.request.url), route.continue_()),
        )
        errors: list[str] = []
        tab = context.new_page()
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(sample["report.html"].as_uri())
        tab.wait_for_selector("body[data-ready=true]")
        yield tab
        assert errors == []
        assert [url for url in requests if not url.startswith(("file:", "data:", "blob:"))] == []
        browser.close()


def _open_cluster(page, query: str):
    """Search, wait for the one cluster found, and open it."""
    page.fill("#search", query)
    page.wait_for_function("q => document.querySelector('#list').dataset.query === q", arg=query)
    assert page.locator("li.cluster").count() == 1
    page.locator("li.cluster .head").click()
    return page.locator("li.cluster").first


def test_the_counts_shown_are_those_of_the_file(page, sample) -> None:
    rows = _rows(sample["clustered.csv"])
    shown = {key: page.text_content(f"[data-count={key}]").replace(",", "") for key in ("rows", "names", "clusters")}
    assert shown == {
        "rows": str(len(rows)),
        "names": str(len({r["name_clean"] for r in rows if r["name_clean"]})),
        "clusters": str(len({r["cluster_id"] for r in rows if r["cluster_id"]})),
    }
    page.click("button[data-tab=summary]")
    page.wait_for_selector("#charts .chart svg")
    assert page.locator("#charts .chart").count() == 9


def test_a_japanese_search_finds_the_english_spelling_in_its_cluster(page) -> None:
    cluster = _open_cluster(page, "トヨタ自動車")
    spellings = cluster.locator(".spelling-name").all_text_contents()
    assert "トヨタ自動車株式会社" in spellings and "Toyota Motor Corp." in spellings


def test_a_member_split_off_in_the_page_is_apart_on_the_next_run(page, sample) -> None:
    before = _rows(sample["clustered.csv"])
    assert _cluster_of(before, "Samsung Electronics Co., Ltd.") == _cluster_of(before, "삼성전자 주식회사")
    cluster = _open_cluster(page, "삼성전자")
    cluster.locator("tr.unit", has_text="Samsung Electronics Co., Ltd.").locator("button.split").click()
    overrides = _export(page, sample["report.html"].with_name("overrides.tsv"))
    assert "cannot_link\tSamsung Electronics Co., Ltd.\t" in overrides.read_text(encoding="utf-8")
    _cli("cluster", str(sample["cleaned.csv"]), "-o", str(sample["again.csv"]), "--overrides", str(overrides))
    after = _rows(sample["again.csv"])
    assert _cluster_of(after, "Samsung Electronics Co., Ltd.") != _cluster_of(after, "삼성전자 주식회사")
    assert _cluster_of(after, "삼성전자 주식회사") == _cluster_of(after, "삼성전자(주)")


def _export(page, path: Path) -> Path:
    page.click("button[data-tab=decisions]")
    with page.expect_download() as download:
        page.click("#export")
    download.value.save_as(path)
    return path


def test_move_same_pin_and_checked_are_exported_as_overrides_naming_spellings(page, sample) -> None:
    siemens = _open_cluster(page, "Siemens AG")
    siemens_id, siemens_top = (
        siemens.get_attribute("data-cluster"),
        siemens.locator(".spelling-name").first.text_content(),
    )
    samsung = _open_cluster(page, "삼성전자")
    samsung.locator("tr.unit", has_text="Samsung Electronics Co., Ltd.").locator("input.move-target").fill(siemens_id)
    samsung.locator("tr.unit", has_text="Samsung Electronics Co., Ltd.").locator("button.move").click()
    toyota = _open_cluster(page, "トヨタ自動車")
    toyota_top = toyota.locator(".spelling-name").first.text_content()
    toyota.locator("input.same-target").fill(siemens_id)
    toyota.locator("button.same").click()
    toyota = page.locator("li.cluster").first
    toyota.locator("tr", has_text="Toyota Motor Corp.").locator("button.pin").click()
    page.locator("li.cluster").first.locator("input.checked-box").check()
    decided = read_overrides(_export(page, sample["report.html"].with_name("decisions.tsv")))
    assert ("Samsung Electronics Co., Ltd.", siemens_top) in decided.must_link
    assert any(a == "Samsung Electronics Co., Ltd." for a, _ in decided.cannot_link)
    assert (toyota_top, siemens_top) in decided.must_link
    assert (toyota_top, "Toyota Motor Corp.") in decided.pins
    assert page.locator("li.cluster.checked").count() == 1
