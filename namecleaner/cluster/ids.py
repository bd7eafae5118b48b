"""Cluster ids and representative names.

An id is a hash of the cluster's smallest member key, so it is the same for the same input
and unchanged for every cluster whose members did not change when names are added. A
cluster that gains a smaller key gets a new id; incremental mode (an authority file) keeps
ids fixed across such changes. A generated id never repeats one already taken (an authority
file's, or another cluster's): the hash is then taken again over the key and a counter.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Container, Iterable

ID_PREFIX = "NC"
_DIGEST_CHARS = 14


def cluster_id(member_keys: Iterable[str], taken: Container[str] = ()) -> str:
    """The id of a cluster: a hash of its smallest member key, other than the ids ``taken``.

    >>> cluster_id(["abc", "abc industry"]) == cluster_id(["abc industry", "abc"])
    True
    >>> cluster_id(["abc"]), cluster_id(["abc"], taken={"NCcf4ab791c62b8d"})
    ('NCcf4ab791c62b8d', 'NC9de8f98d65b154')
    """
    anchor = min(member_keys)
    text, attempt = anchor, 0
    while True:
        found = (
            ID_PREFIX
            + hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()[:_DIGEST_CHARS]
        )
        if found not in taken:
            return found
        attempt += 1
        text = f"{anchor}\x00{attempt}"


def well_formed(name: str) -> bool:
    """A display form worth showing: mixed case or not a Latin name, no stray edges.

    >>> well_formed("Toyota Motor Corp."), well_formed("TOYOTA MOTOR CORP"), well_formed("トヨタ"), well_formed("-acme")
    (True, False, True, False)
    """
    if not name or not name[0].isalnum() or name != name.strip():
        return False
    # str.isupper: every cased letter upper and at least one; a name without cased letters is neither
    return not (name.isupper() or name.islower())


def representative(*variants: Counter[str]) -> str:
    """The most mentioned well-formed variant of one or more tallies (ties: shorter, then alphabetical).

    >>> representative(Counter({"ABC CO LTD": 5, "ABC Co. Ltd.": 2}), Counter({"Abc Co Ltd": 2}))
    'Abc Co Ltd'
    """
    if len(variants) == 1:
        tally = variants[0]
    else:
        tally = Counter()
        for part in variants:
            tally.update(part)
    if len(tally) == 1:  # most clusters are one spelling: nothing to choose
        return next(iter(tally))
    # the first well-formed one in order of mentions; the checks stop there
    ordered = sorted(tally.items(), key=lambda item: (-item[1], len(item[0]), item[0]))
    return next((name for name, _ in ordered if well_formed(name)), ordered[0][0])
