"""English news articles generated for the ingest tests (written for them, not taken from anywhere).

Each has one transfer sentence the real extractor recognises and filler sentences drawn at
random, so no two articles are near-copies of each other.
"""

from __future__ import annotations

import random

STATES = ["Norway", "Poland", "Egypt", "India", "Brazil", "Greece", "Japan", "Chile", "Canada", "Spain"]
SYSTEMS = ["NASAMS", "Leopard 2", "F-16", "Patriot", "K9 Thunder", "Rafale", "CV90", "Piranha"]
SUBJECTS = ["The ministry", "A spokesman", "Officials", "The committee", "Analysts", "The parliament",
            "Local newspapers", "The opposition", "Diplomats", "Industry sources"]  # fmt: skip
VERBS = ["said", "noted", "added", "confirmed", "reported", "suggested", "stressed", "recalled", "argued", "warned"]
CLAUSES = ["the budget would rise next year", "the talks had taken a long time", "training would begin in spring",
           "the harbour needed new cranes", "the weather delayed the ceremony", "the price was still under review",
           "crews would travel abroad for courses", "spare parts were part of the package",
           "the decision followed a long public debate", "further orders were possible later"]  # fmt: skip


def english_article(number: int) -> tuple[str, str]:
    """(title, text) of article ``number``: the same number always gives the same article."""
    rng = random.Random(f"article-{number}")
    supplier, recipient = rng.sample(STATES, 2)
    system = rng.choice(SYSTEMS)
    lead = f"{supplier} agreed to sell {system} systems to {recipient}, the defence ministry said on Tuesday."
    filler = " ".join(f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} that {rng.choice(CLAUSES)}." for _ in range(10))
    return f"Report {number}: {supplier} and {recipient}", f"{lead} {filler} File {number}-{rng.randrange(10**9)}."
