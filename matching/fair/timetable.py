"""Stage 2 of the fair scheduler: give every chosen pair a slot.

With pairs fixed, the timetable is a bipartite edge colouring: slots are colours, a
graduate takes at most one meeting per slot, and a company with k seats is k
"copies" that each take at most one. By König's theorem a bipartite multigraph of
maximum degree Δ can be coloured with Δ colours, and the classic constructive proof
(swap the two colours along an alternating "Kempe" path) colours every edge without
backtracking. Availability makes it a list-colouring problem, where a swap is only
allowed if every edge on the path may take its new colour; edges that still find no
slot are returned uncoloured and handed to CP-SAT (`fair_joint`).

A company copy j exists in slot s when the company has more than j free seats there,
which models per-slot seat counts, unavailability and seats already used by held
meetings with one rule.
"""

from __future__ import annotations

import numpy as np

from matching.fair.arrays import FairArrays


def _bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


class _Colouring:
    """Mutable colouring state; private to `kempe_timetable`."""

    def __init__(self, a: FairArrays, edges: np.ndarray) -> None:
        n_g, n_c, n_s = a.shape
        self.edges = [(int(g), int(c)) for g, c in edges]
        weights = 1 << np.arange(n_s, dtype=object)
        self.g_avail = [int((weights * a.g_free[g]).sum()) for g in range(n_g)]
        self.copies: list[list[int]] = []
        self.n_avail: list[int] = []
        for c in range(n_c):
            ids = []
            for j in range(int(a.c_seats[c].max(initial=0))):
                ids.append(len(self.n_avail))
                self.n_avail.append(int((weights * (a.c_seats[c] > j)).sum()))
            self.copies.append(ids)
        self.g_busy = [0] * n_g
        self.n_busy = [0] * len(self.n_avail)
        self.g_at = [[-1] * n_s for _ in range(n_g)]
        self.n_at = [[-1] * n_s for _ in range(len(self.n_avail))]
        self.e_node = [-1] * len(self.edges)
        self.e_slot = [-1] * len(self.edges)

    def _set(self, e: int, node: int, s: int) -> None:
        g = self.edges[e][0]
        self.e_node[e], self.e_slot[e] = node, s
        self.g_at[g][s], self.n_at[node][s] = e, e
        self.g_busy[g] |= 1 << s
        self.n_busy[node] |= 1 << s

    def _unset(self, e: int) -> None:
        g, node, s = self.edges[e][0], self.e_node[e], self.e_slot[e]
        self.g_at[g][s], self.n_at[node][s] = -1, -1
        self.g_busy[g] &= ~(1 << s)
        self.n_busy[node] &= ~(1 << s)

    def _flip(self, start: int, from_graduate: bool, first: int, second: int) -> bool:
        """Swap colours first/second along the alternating path from a vertex, if allowed."""
        path, vertex, on_g, colour = [], start, from_graduate, first
        while True:
            e = (self.g_at if on_g else self.n_at)[vertex][colour]
            if e < 0:
                break
            other = second if colour == first else first
            g, node = self.edges[e][0], self.e_node[e]
            if not (self.g_avail[g] & self.n_avail[node]) >> other & 1:
                return False
            path.append((e, other))
            vertex, on_g, colour = (node, False, other) if on_g else (g, True, other)
        for e, _ in path:
            self._unset(e)
        for e, other in path:
            self._set(e, self.e_node[e], other)
        return True

    def colour(self, e: int) -> bool:
        """Colour edge e directly or after one Kempe swap; False if neither works."""
        g, c = self.edges[e]
        free_g = self.g_avail[g] & ~self.g_busy[g]
        for node in self.copies[c]:
            common = free_g & self.n_avail[node] & ~self.n_busy[node]
            if common:
                self._set(e, node, (common & -common).bit_length() - 1)
                return True
        for node in sorted(self.copies[c], key=lambda n: self.n_busy[n].bit_count()):
            allowed = self.g_avail[g] & self.n_avail[node]
            alphas = _bits(free_g & allowed)
            betas = _bits(allowed & ~self.n_busy[node])
            for alpha in alphas:
                for beta in betas:
                    if self._flip(node, False, alpha, beta):
                        self._set(e, node, alpha)
                        return True
                    if self._flip(g, True, beta, alpha):
                        self._set(e, node, beta)
                        return True
        return False


def kempe_timetable(a: FairArrays, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Assign slots to chosen pairs by list edge colouring with Kempe swaps.

    Required pairs go first, then the pairs with the fewest usable slots.

    Args:
        a: Problem arrays.
        pairs: (G, C) bool, the pairs to timetable.

    Returns:
        (edges, slots): edges as an (E, 2) array of (graduate, company) and the slot of
        each edge, -1 for edges that could not be placed.
    """
    gs, cs = np.nonzero(pairs)
    usable = (a.g_free[gs] & (a.c_seats[cs] > 0)).sum(1)
    order = np.lexsort((cs, gs, usable, ~a.required[gs, cs]))
    edges = np.stack([gs[order], cs[order]], axis=1)
    state = _Colouring(a, edges)
    for e in range(len(edges)):
        state.colour(e)
    return edges, np.array(state.e_slot, np.int64)


def greedy_fill(a: FairArrays, triples: np.ndarray) -> np.ndarray:
    """Add meetings into seats left free, neediest graduate first, best score first.

    Only needed when the timetable dropped pairs: it gives graduates below the minimum
    any free meeting (even at score 0) and others only meetings that add score.

    Args:
        a: Problem arrays.
        triples: (K, 3) new meetings already planned.

    Returns:
        (K', 3) the planned meetings plus the added ones.
    """
    t = np.asarray(triples, np.int64).reshape(-1, 3)
    n_g, n_c, _ = a.shape
    g_free = a.g_free.copy()
    g_free[t[:, 0], t[:, 2]] = False
    seats = a.c_seats.copy()
    np.subtract.at(seats, (t[:, 1], t[:, 2]), 1)
    g_left = a.g_cap - np.bincount(t[:, 0], minlength=n_g)
    c_left = a.c_cap - np.bincount(t[:, 1], minlength=n_c)
    open_pair = a.allowed.copy()
    open_pair[t[:, 0], t[:, 1]] = False
    level = a.held_g + np.bincount(t[:, 0], minlength=n_g)
    added: list[tuple[int, int, int]] = []
    changed = True
    while changed:
        changed = False
        for g in np.argsort(level, kind="stable"):
            if g_left[g] <= 0:
                continue
            fits = (seats > 0) & g_free[g][None, :]
            ok = open_pair[g] & (c_left > 0) & fits.any(1)
            if level[g] >= a.min_target:
                ok &= a.score_int[g] > 0
            if not ok.any():
                continue
            c = int(np.argmax(np.where(ok, a.score_int[g], -1)))
            s = int(np.argmax(fits[c]))
            added.append((int(g), c, s))
            g_free[g, s] = False
            seats[c, s] -= 1
            g_left[g] -= 1
            c_left[c] -= 1
            open_pair[g, c] = False
            level[g] += 1
            changed = True
    return np.concatenate([t, np.array(added, np.int64).reshape(-1, 3)])
