"""The pages in a real browser (Debian's Chromium through Playwright) against a live `bridgematch serve`.

One server for the module, started empty: the coordinator imports the demo through the
import page, loads and plans the demo fair; a company and a graduate then log in with
tokens the coordinator made on the pages. Every page visited is screenshot at phone
(360 px) and desktop width into tests/artifacts/web/, weighed, and checked with axe-core.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.service.web.conftest import ARTIFACTS, REPO, LiveServer

pytestmark = pytest.mark.slow

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
DEMO = REPO / "data" / "demo"
PAGE_BUDGET = 100_000  # bytes over the wire, without images


class Visitor:
    """One role's browser session: visit pages, and check each one the same way."""

    def __init__(self, browser: object, server: LiveServer, role: str, axe: str | None, report: dict) -> None:
        self.context = browser.new_context(viewport=DESKTOP)  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.server, self.role, self.axe, self.report = server, role, axe, report
        self.serious: list[str] = []
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def close(self) -> None:
        self.context.close()

    def log_in(self, token: str) -> None:
        self.page.goto(self.server.url + "/ui/login")
        self.page.fill("#token", token)
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state()
        assert "/ui/login" not in self.page.url, "log-in refused"

    def visit(self, path: str, name: str) -> None:
        answer = self.page.goto(self.server.url + path)
        assert answer is not None and answer.ok, f"{path}: {answer.status if answer else 'no answer'}"
        self.check(name)

    def check(self, name: str) -> None:
        """Screenshots at both widths, no sideways scrolling on a phone, weight, axe-core."""
        page = self.page
        # The document as it came over the wire (after a POST too), then its style sheet and script.
        document_bytes = page.evaluate("() => performance.getEntriesByType('navigation')[0].encodedBodySize")
        assets = page.eval_on_selector_all("link[rel=stylesheet], script[src]", "els => els.map(e => e.href || e.src)")
        weight = document_bytes + sum(len(self.context.request.get(url).body()) for url in assets)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(ARTIFACTS / f"{self.role}-{name}-phone.png"), full_page=True)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        findings = self._axe()
        page.set_viewport_size(DESKTOP)
        page.screenshot(path=str(ARTIFACTS / f"{self.role}-{name}-desktop.png"), full_page=True)
        self.report["pages"][f"{self.role}/{name}"] = {"url": page.url.replace(self.server.url, ""), "bytes": weight,
                                                       "phone_overflow_px": overflow, "axe": findings}
        assert overflow <= 0, f"{name}: the page scrolls sideways by {overflow} px on a 360 px phone"
        assert weight < PAGE_BUDGET, f"{name}: {weight} bytes over the wire"
        self.serious += [f"{name}: {f['id']} ({f['impact']}) {f['targets']}" for f in findings
                         if f["impact"] in ("serious", "critical")]

    def _axe(self) -> list[dict]:
        if self.axe is None:
            return []
        self.page.evaluate(self.axe)  # through the DevTools protocol: the page's CSP stays on
        result = self.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        return [{"id": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"][:5]]}
                for v in result["violations"]]

    def done(self) -> None:
        assert not self.errors, f"script errors: {self.errors}"
        assert not self.serious, "serious accessibility violations:\n" + "\n".join(self.serious)


@pytest.fixture
def visitor(browser, live_server, axe_source, report):  # type: ignore[no-untyped-def]
    made: list[Visitor] = []

    def make(role: str) -> Visitor:
        made.append(Visitor(browser, live_server, role, axe_source, report))
        return made[-1]

    yield make
    for v in made:
        v.close()


def _token(server: LiveServer, role: str) -> str:
    """A token the coordinator made on the pages; made through the API if that test did not run."""
    if role not in server.tokens:
        if server.api("GET", "/candidates")["total"] == 0:  # type: ignore[index]
            server.api("POST", "/candidates:import", files={"file": DEMO / "candidates.json"})
            server.api("POST", "/postings:import?create_companies=true", files={"file": DEMO / "postings.json"})
        if not server.api("GET", "/fairs"):
            fair = server.api("POST", "/fairs", body=json.loads((DEMO / "fair.json").read_text()))
            server.api("POST", f"/fairs/{fair['id']}/schedule")  # type: ignore[index]
        if role == "company":
            body: dict = {"role": "company", "company": "Sol Digital SL"}
        else:
            people = server.api("GET", "/candidates?limit=500")["items"]  # type: ignore[index]
            body = {"role": "graduate", "candidate_id": next(p["id"] for p in people if p["external_id"] == "g001")}
        server.tokens[role] = server.api("POST", "/tokens", body=body)["token"]  # type: ignore[index]
    return server.tokens[role]


def _import(v: Visitor, file: Path, *, create_companies: bool = False) -> None:
    page = v.page
    page.set_input_files("#import-file", str(file))
    if create_companies:  # the demo's companies do not exist yet: the coordinator asks for them
        page.check("#import-create-companies")
    page.click("form[data-import] button[type=submit]")
    page.wait_for_selector("form[data-import] progress:not([hidden])", timeout=10_000)
    page.wait_for_selector("main p.notice:has-text('Imported'), form[data-import] .error", timeout=150_000)
    assert page.locator("form[data-import] .error").count() == 0, page.inner_text("form[data-import] .error")


def test_coordinator_imports_the_demo_plans_the_fair_and_everyone_meets_twice(visitor, live_server):  # type: ignore[no-untyped-def]
    v = visitor("coordinator")
    v.log_in(live_server.coordinator)
    page = v.page
    assert page.url.endswith("/ui/graduates")
    assert "No graduates yet" in page.inner_text("main")
    v.check("graduates-empty")

    _import(v, DEMO / "candidates.json")
    assert page.inner_text("h1") == "Graduates (42)"
    assert page.locator("#graduates tbody tr").count() == 42
    v.check("graduates")

    v.visit("/ui/companies", "companies-empty")
    _import(v, DEMO / "postings.json", create_companies=True)
    assert page.locator("#companies > li").count() == 12
    v.check("companies")

    v.visit("/ui/fairs", "fairs")
    page.click("button:has-text('Load the demo fair')")
    page.wait_for_selector("#plan")
    assert "36 graduates, 6 companies" in page.inner_text("main")
    v.check("fair-rules")
    # The rules form: ask for two meetings each, then plan.
    page.fill("#r-min", "2")
    page.click("#rules-form button[type=submit]")
    page.wait_for_selector("main p.notice:has-text('Rules saved')")
    page.click("#plan")
    page.wait_for_selector("#grid")
    assert page.locator("#below-min").count() == 0
    assert page.is_visible("#all-min")
    counts = [int(n) for n in page.locator("#counts tbody td.num").all_text_contents()]
    assert len(counts) == 36 and min(counts) >= 2, counts
    assert page.locator("#grid thead th").count() == 1 + 6
    assert page.locator("#grid tbody tr").count() == 8
    assert page.locator("svg.chart rect.bar").count() >= 3
    v.check("fair-planned")

    # Exports, with the page's own session.
    fair_url = page.url.split("#")[0]
    csv_answer = v.context.request.get(fair_url + "/schedule.csv")
    assert csv_answer.ok and csv_answer.headers["content-type"].startswith("text/csv")
    assert len(csv_answer.text().strip().splitlines()) == 1 + sum(counts)
    ics = v.context.request.get(fair_url + "/schedule.ics")
    assert ics.ok and ics.text().startswith("BEGIN:VCALENDAR")

    # A no-show from the first slot on: that graduate now has no meeting, and the page says so.
    page.click("summary:has-text('Graduates who did not come')")
    absent = page.locator("input[name=no_shows]").last
    absent_name = page.locator("label:has(input[name=no_shows])").last.inner_text().strip()
    absent.check()
    page.select_option("#from-slot", "0")
    page.click("form[action$='/replan'] button[type=submit]")
    page.wait_for_selector("#below-min")
    assert absent_name in page.inner_text("#below-min")
    v.check("fair-replanned")
    page.click("#plan")  # plan the whole fair again for the graduate's schedule below
    page.wait_for_selector("#all-min")
    fair_page = page.url.split("#")[0].replace(live_server.url, "")
    v.visit(fair_page + "/audit", "fair-audit")  # the exposure audit: chart and table, on a phone too
    assert page.locator("main svg").count() >= 1 and page.locator("main table").count() >= 1
    v.visit("/ui/audit", "exposure-audit")

    v.visit("/ui/placements", "placements-form")
    page.click("main form button[type=submit]:has-text('Place')")
    page.wait_for_selector("#comparison")
    rows = page.locator("#comparison tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").nth(2).inner_text() == "0"  # stable: no blocking pair
    assert page.locator("#stable-list li").count() > 0 and page.locator("#welfare-list li").count() > 0
    v.check("placements")

    # Log-in tokens for the company and the graduate tests, made where a coordinator makes them.
    v.visit("/ui/companies", "companies-again")
    page.click("form:has(input[name=company][value='Sol Digital SL']) button")
    live_server.tokens["company"] = page.input_value("#new-token")
    v.check("token")
    v.visit("/ui/graduates", "graduates-again")
    page.click("#graduates tr:has-text('Karim Haddad') button")
    live_server.tokens["graduate"] = page.input_value("#new-token")
    v.done()


def test_company_sees_blind_candidates_and_shortlists(visitor, live_server):  # type: ignore[no-untyped-def]
    token = _token(live_server, "company")
    people = [p["name"] for p in live_server.api("GET", "/candidates?limit=500")["items"]]  # type: ignore[index]
    v = visitor("company")
    v.log_in(token)
    page = v.page
    assert page.url.endswith("/ui/postings")
    titles = page.locator("main .cards h2").all_text_contents()
    assert "Python Backend Trainee" in [t.strip() for t in titles]
    v.check("postings")

    page.click("a:has-text('Python Backend Trainee')")
    page.wait_for_selector("#candidates li.candidate")
    text = page.inner_text("main")
    assert "Blind view" in text
    headings = page.locator("#candidates li.candidate h3").all_text_contents()
    assert headings and all(h.strip().startswith("Candidate #") for h in headings), headings
    assert not [name for name in people if name in page.content()], "a graduate's name is on a blind page"
    assert page.locator("#candidates .chips.have li").count() > 0  # the explanation is shown
    v.check("candidates")

    first = page.locator("#candidates li.candidate").first
    first.locator("button:has-text('Shortlist')").click()
    page.wait_for_selector("main p.notice:has-text('shortlisted')")
    assert "shortlisted" in page.locator("#candidates li.candidate").first.inner_text()

    v.visit("/ui/postings/new", "posting-new")
    page.fill("#f-title", "Junior Data Analyst (Python)")
    page.fill("#f-description", "Dashboards and SQL for our booking data.")
    page.fill("#required-rows-1", "Python")
    page.fill("#required-rows-2", "SQL")
    page.fill("#f-location", "Barcelona")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#candidates")
    assert page.inner_text("h1") == "Junior Data Analyst (Python)"
    assert "Sol Digital SL" in page.inner_text("main")

    v.visit("/ui/schedule", "schedule")
    assert page.locator("ol.meetings li").count() > 0
    assert "candidate #" in page.inner_text("ol.meetings")
    v.done()


def _matches(page) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    cards = page.locator("#matches li.match")
    return [(cards.nth(i).locator("h3").inner_text(), cards.nth(i).inner_text()) for i in range(cards.count())]


def test_graduate_edits_a_skill_and_the_matches_change(visitor, live_server):  # type: ignore[no-untyped-def]
    v = visitor("graduate")
    v.log_in(_token(live_server, "graduate"))
    page = v.page
    assert page.url.endswith("/ui/me")
    v.check("profile")

    v.visit("/ui/me/matches", "matches")
    before = _matches(page)
    backend = dict(before)["Python Backend Trainee"]
    assert "Django" in backend.split("To learn next")[0]  # matched before the edit
    assert page.locator("#learn-h").count() == 1

    v.visit("/ui/me", "profile-again")
    django = page.locator("input[name=skill][value='Django']")
    django.fill("React")
    # The autocomplete offers ESCO's names while typing.
    blank = page.locator("input[name=skill]").last
    blank.fill("Dock")
    page.wait_for_selector("#skill-options option[value='Docker']", state="attached", timeout=5_000)
    blank.fill("")
    page.fill("#f-summary", "كنت مهندسًا مدنيًا في حلب، والآن أبني تطبيقات ويب بلغة بايثون في برشلونة.")
    page.click("main form button[type=submit]:has-text('Save profile')")
    page.wait_for_selector("main p.notice:has-text('Profile saved')")
    after = _matches(page)
    assert after != before
    backend_after = dict(after).get("Python Backend Trainee", "")
    assert not backend_after or "Django" in backend_after.split("To learn next")[-1]
    v.check("matches-after-edit")

    v.visit("/ui/me", "profile-rtl")
    assert page.get_attribute("#f-summary", "dir") == "auto"
    assert page.eval_on_selector("#f-summary", "e => getComputedStyle(e).direction") == "rtl"
    assert page.eval_on_selector("#f-name", "e => getComputedStyle(e).direction") == "ltr"

    v.visit("/ui/me/matches", "matches-again")
    page.click("#matches li.match h3 a")  # a match's own page: what it is and why it fits
    page.wait_for_selector("main h1")
    assert "/ui/me/postings/" in page.url
    v.check("posting")
    v.visit("/ui/me", "profile-cv")  # the "Start from my CV" section, opened, on a phone too
    page.click("details summary:has-text('Start from my CV')")
    assert page.is_visible("form[action='/ui/me:draft'] #f-cv")
    v.check("profile-cv-open")
    v.visit("/ui/me/erase", "erase-confirm")

    v.visit("/ui/schedule", "schedule")
    meetings = page.locator("ol.meetings li")
    assert meetings.count() >= 2
    link = page.locator("a[href$='.ics']").first.get_attribute("href")
    ics = v.context.request.get(live_server.url + str(link))
    assert ics.ok and ics.headers["content-type"].startswith("text/calendar")
    assert len(re.findall("BEGIN:VEVENT", ics.text())) == meetings.count()
    v.done()
