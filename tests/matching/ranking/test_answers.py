"""The ranker's answer cache (`matching.ranking.answers`)."""

from __future__ import annotations

import threading

from matching.ranking.answers import AnswerCache


def test_least_recently_used_goes_first() -> None:
    cache = AnswerCache(2)
    cache.put("a", [1])
    cache.put("b", [2])
    assert cache.get("a") == [1]  # "a" is now the most recent
    cache.put("c", [3])
    assert cache.get("b") is None and cache.get("a") == [1] and cache.get("c") == [3]
    assert len(cache) == 2


def test_every_caller_gets_its_own_copy() -> None:
    cache = AnswerCache(4)
    cache.put("a", {"matches": [1, 2]})
    first = cache.get("a")
    first["matches"].append(99)
    assert cache.get("a") == {"matches": [1, 2]}


def test_size_zero_keeps_nothing_and_still_computes() -> None:
    cache = AnswerCache(0)
    calls: list[int] = []
    assert cache.get_or("a", lambda: calls.append(1) or [7]) == [7]
    assert cache.get_or("a", lambda: calls.append(1) or [7]) == [7]
    assert calls == [1, 1] and len(cache) == 0


def test_lookups_are_reported_as_hits_and_misses() -> None:
    cache = AnswerCache(4)
    seen: list[bool] = []
    cache.on_lookup = seen.append
    cache.get_or("a", list)  # an empty list is an answer too: kept and found
    cache.get_or("a", lambda: ["not asked"])
    cache.clear()
    cache.get("a")
    assert seen == [False, True, False]


def test_concurrent_readers_and_writers_never_fail() -> None:
    """Reads move an entry to the end while writes evict: without the lock a reader could move a
    key another thread just evicted (KeyError)."""
    cache = AnswerCache(8)
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for i in range(3000):
                cache.put((offset + i) % 16, i)
                cache.get((offset + i + 1) % 16)
        except BaseException as exc:  # noqa: BLE001 - the test reports whatever a thread raised
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(cache) <= 8
