"""The graduate's pages (service/web/graduate.py): editing the profile changes the matches and
keeps the input on errors."""

from __future__ import annotations

import re

from tests.service.web.conftest import csrf_of


def test_profile_edit_changes_matches_and_keeps_input_on_errors(as_role):  # type: ignore[no-untyped-def]
    graduate = as_role("graduate")
    before = graduate.get("/ui/me/matches").text
    form = graduate.get("/ui/me").text
    fields = {"name": "Karim Haddad", "headline": "Frontend developer", "summary": "React and TypeScript apps.",
              "skill": ["React", "TypeScript", "JavaScript", "CSS", "HTML"], "lang_code": ["en", "es"],
              "lang_level": ["C1", "B2"], "location": "Barcelona", "remote_ok": "on", "work_permit": "on",
              "kinds": ["job", "traineeship", "internship"], "visible_to_companies": "on",
              "csrf_token": csrf_of(form)}
    bad = graduate.post("/ui/me", data={**fields, "skill": ["", ""], "lang_level": ["Z9", "B2"]})
    assert bad.status_code == 422
    assert "Nothing was saved" in bad.text and "Frontend developer" in bad.text
    assert "skills" in bad.text and "CEFR" in bad.text
    saved = graduate.post("/ui/me", data=fields, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/ui/me/matches"
    after = graduate.get("/ui/me/matches").text
    assert "Profile saved" in after
    titles = lambda html: re.findall(r'<h3>(?:<a [^>]*>)?<bdi dir="auto">([^<]+)</bdi>', html)  # titles link to the posting
    assert titles(after) != titles(before)
    assert re.findall(r'name="skill" value="([^"]+)"', graduate.get("/ui/me").text) == fields["skill"]
