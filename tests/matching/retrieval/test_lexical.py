from __future__ import annotations

from matching.retrieval.lexical import LexicalIndex


def test_scores_and_top() -> None:
    index = LexicalIndex()
    index.upsert({1: "Python backend developer Django", 2: "React frontend JavaScript", 3: "nursing assistant"})
    ids, raw = index.scores("django python")
    assert ids.tolist() == [1, 2, 3] and raw[0] > 0 and raw[1] == raw[2] == 0
    assert index.top("react", 5) == [2]
    assert index.top("react", 5, allowed=[1, 3]) == []
    index.remove([2])
    assert index.top("react", 5) == []


def test_queries_without_content_words_score_zero() -> None:
    index = LexicalIndex()
    index.upsert({1: "Python developer"})
    for query in ("", "the and of", "!!!", "   "):
        ids, raw = index.scores(query)
        assert ids.tolist() == [1] and raw.tolist() == [0.0]
    assert LexicalIndex().scores("python")[0].tolist() == []


def test_large_corpora_rebuild_in_the_background(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from matching.retrieval import lexical

    monkeypatch.setattr(lexical, "SYNC_REBUILD_UP_TO", 10)
    index = LexicalIndex()
    index.upsert({i: f"filler text number {i}" for i in range(50)})
    assert index.top("filler", 3) == [0, 1, 2]  # first build is synchronous
    index.upsert({99: "kotlin android developer"})
    first = index.query("kotlin")  # answers at once from the previous build
    assert first.of([99]).tolist() == [0.0]
    index.wait_until_built()
    assert index.top("kotlin", 3) == [99]


def test_lexical_is_on_an_absolute_scale_not_relative_to_the_pool() -> None:
    """A text of exactly the query's words scores 1; a weak match stays weak even when it is the
    best of its pool (dividing by the pool's best made any best match 1.0)."""
    from matching.retrieval.lexical import LexicalIndex

    index = LexicalIndex()
    index.upsert({1: "python django backend developer", 2: "react frontend developer",
                  3: "nurse patient care", 4: "python data analysis pandas"})
    query = index.query("python django backend developer")
    assert abs(float(query.absolute([1])[0]) - 1.0) < 1e-5
    weak = index.query("nurse developer").absolute([2])[0]
    assert 0 < weak < 0.5  # shares one common word of two
    assert index.query("nurse developer").absolute([2, 4]).max() == weak  # the best of this pool, still weak
    assert index.query("the of and").absolute([1, 2]).tolist() == [0.0, 0.0]


def test_a_shelf_keeps_each_organisations_searchable_texts_apart() -> None:
    from matching.retrieval.lexical import LexicalShelf

    shelf = LexicalShelf()
    shelf.upsert(1, "python developer", 1)
    shelf.upsert(2, "python python python", 2)
    shelf.upsert(3, "python hidden", 1, searchable=False)
    alone = shelf.query("python", 1)
    assert alone.of([1, 2, 3]).tolist()[1:] == [0.0, 0.0] and 3 not in shelf
    shelf.upsert(3, "python hidden", 1)  # now agreed to be seen
    assert shelf.query("python", 1).of([3])[0] > 0 and 3 in shelf
    shelf.upsert(1, "python developer", 2)  # moved to another organisation
    assert shelf.query("python", 1).of([1])[0] == 0 and shelf.query("python", 2).of([1])[0] > 0
    shelf.remove(1)
    assert 1 not in shelf and shelf.query("python", 2).of([1])[0] == 0


def test_the_market_index_stems_and_the_plain_bm25_does_not() -> None:
    """The service's lexical signal meets a word's forms ("developing" / "developer"); the plain
    BM25 the evaluation baselines use does not, so they stay the published figures."""
    from matching.retrieval.bm25 import Bm25
    from matching.retrieval.lexical import LexicalIndex

    texts = ["Developer of databases and tested services", "nursing assistant"]
    assert Bm25(texts, stem=True).scores(["developing database tests"])[0, 0] > 0
    assert Bm25(texts).scores(["developing database tests"])[0].tolist() == [0.0, 0.0]
    assert Bm25(texts).tokens("Developing databases") == ["developing", "databases"]
    index = LexicalIndex()
    index.upsert(dict(enumerate(texts)))
    query = index.query("developing database tests")
    assert query.of([0])[0] > 0 and query.of([1])[0] == 0
    # a text of exactly the query's stems scores 1 on the absolute scale, whichever form it uses
    index.upsert({2: "develops databases test"})
    assert abs(float(index.query("developing database tests").absolute([2])[0]) - 1.0) < 1e-5
    plain = LexicalIndex(stem=False)
    plain.upsert(dict(enumerate(texts)))
    assert plain.query("developing database tests").of([0, 1]).tolist() == [0.0, 0.0]


def test_length_normalisation_b_is_passed_to_bm25s() -> None:
    from matching.retrieval.bm25 import Bm25

    texts = ["python", "python " + " ".join(f"filler{i}" for i in range(30)), "java"]
    strict, mild = Bm25(texts, b=0.75).scores(["python"])[0], Bm25(texts, b=0.0).scores(["python"])[0]
    assert strict[0] > strict[1]  # a long text pays for its length
    assert abs(mild[0] - mild[1]) < 1e-6  # with b = 0 it does not
