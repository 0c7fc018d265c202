"""The counts and the sentence of why a list is short (`matching.filters.exclusions`)."""

from __future__ import annotations

from matching.filters.exclusions import Exclusions


def test_the_sentence_says_why_a_list_is_short() -> None:
    cut = Exclusions(32, 18, {"location": 11, "languages": 7}, {}).sentence(3, "postings")
    assert cut == ("3 of 32 postings shown, the best of 18 that pass every rule; "
                   "14 do not (city or remote 11, languages 7; some fail more than one).")
    short = Exclusions(5, 2, {"languages": 3}, {}).sentence(2, "postings")
    assert short == "2 of 5 postings shown; 3 do not pass every rule (languages 3)."
    assert Exclusions(4, 4, {}, {}).sentence(4, "postings") == "4 of 4 postings shown."
