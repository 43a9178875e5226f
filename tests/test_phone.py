"""The site on a phone, page by page (its own file so that the two test workers share the browser tests)."""

from test_browser import (
    AXE_TAGS,
    CHART_TEXT_PX,
    PAGES,
    TABLE_PROBLEMS,
    assert_every_request_is_same_origin_and_succeeds,
)


def test_tables_on_a_phone_show_their_key_columns_captions_and_ids_and_pass_axe(browser, server):
    """390×844, every page, every «Ver los datos del gráfico» open: every request stays on the site and succeeds,
    the key figures are on screen without scrolling sideways, captions wrap, ids stay on one line, chart text is
    ≥ 12 px, and axe finds nothing."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    problems, ids, axe = [], 0, Axe()
    requests: list[str] = []
    failures: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    try:
        # The English version's pages share the templates: one of them (charts and tables) is checked on a phone.
        for path in [p for p in PAGES if not p.startswith("en/")] + ["en/2025/cross-cutting-agreements.html"]:
            requests.clear()
            failures.clear()
            page.goto(f"{server}/site/{path}", wait_until="networkidle")
            if path != "404.html":  # what a phone loads (its fonts, its drawings) stays on the site and succeeds
                assert_every_request_is_same_origin_and_succeeds(page, server, requests, failures)
            problems += [f"{path}: {p}" for p in page.evaluate(TABLE_PROBLEMS)]
            assert page.evaluate("document.documentElement.scrollWidth") == 390, path
            ids += page.locator("table .id").count()
            assert page.evaluate(CHART_TEXT_PX) >= 12, path
            results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
            assert results.violations_count == 0, f"{path}\n{results.generate_report()}"
        assert problems == []
        assert ids >= 56  # every «Id» cell of the shipped edition is checked
    finally:
        context.close()
