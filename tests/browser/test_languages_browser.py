"""A Spanish-speaking visitor lands on a process page, switches to French and to English: the
page, its date and its filters stay; the names follow the language (Spanish names cited, French
falling back to English visibly). Screenshots: test-artifacts/language-process-{es,fr,en}[-top].png."""

from .conftest import screenshot


def test_the_same_process_page_in_three_languages(live_server, seeded, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="es-ES")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        base = live_server.url
        # First visit, no prefix: Accept-Language (es-ES) chooses Spanish.
        page.goto(base + "/processes/rcm/?as_of=2009-04")
        assert page.url == base + "/es/processes/rcm/?as_of=2009-04"
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.locator("h1").inner_text().startswith("CRM")
        assert "Conferencia Regional sobre Migraciones" in page.locator("p.lead").first.inner_text()
        assert "30 de abril de 2009" in page.locator("section.asof").inner_text()
        assert page.locator("p.lead .fallback").count() == 0
        assert page.get_by_role("heading", name="Lo que dicen las fuentes").count() == 1
        screenshot(page, "language-process-es")
        screenshot(page, "language-process-es-top", full_page=False)

        # The switcher keeps the page and the date.
        page.locator("nav.languages").get_by_role("link", name="Français").click()
        page.wait_for_url("**/fr/processes/rcm/?as_of=2009-04")
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.locator("h1").inner_text().startswith("RCM")
        fallback = page.locator("p.lead .fallback")
        assert fallback.inner_text() == "EN"
        assert "affiché en anglais" in fallback.get_attribute("title")
        assert "30 avril 2009" in page.locator("section.asof").inner_text()
        assert page.get_by_role("heading", name="Ce que disent les sources").count() == 1
        screenshot(page, "language-process-fr")
        screenshot(page, "language-process-fr-top", full_page=False)

        page.locator("nav.languages").get_by_role("link", name="English").click()
        page.wait_for_url("**/en/processes/rcm/?as_of=2009-04")
        assert page.locator("h1").inner_text().startswith("RCM")
        assert "Regional Conference on Migration" in page.locator("p.lead").first.inner_text()
        assert "30 April 2009" in page.locator("section.asof").inner_text()
        screenshot(page, "language-process-en")
        screenshot(page, "language-process-en-top", full_page=False)

        # The choice is remembered over the browser's Accept-Language.
        page.goto(base + "/")
        assert page.url == base + "/en/"
    finally:
        context.close()
