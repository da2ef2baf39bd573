"""Invented names for the demo people: an Oxfordshire village and Gateshead mothers.

Any likeness to real people is chance. Phone numbers use Ofcom's drama range
(07700 900000–900999), which is never allocated to a real line.
"""
from __future__ import annotations

import random

VILLAGE_FIRST = (
    "Ann", "Barbara", "Brian", "Catherine", "Christine", "Colin", "Daphne", "Derek", "Diana",
    "Edward", "Eileen", "Elizabeth", "Frances", "Geoffrey", "Gillian", "Graham", "Hazel", "Hugh",
    "Ian", "Janet", "Jean", "Jeremy", "Judith", "Julia", "Keith", "Kathleen", "Lucy", "Malcolm",
    "Martin", "Mary", "Maureen", "Michael", "Nigel", "Olivia", "Pamela", "Patricia", "Paul",
    "Penelope", "Peter", "Philip", "Rachel", "Rosemary", "Ruth", "Sally", "Sandra", "Simon",
    "Stephen", "Susan", "Timothy", "Valerie", "Wendy", "William", "Harriet", "Oliver", "George",
    "Charlotte", "Emily", "Tom", "Isabel", "Ben",
)
VILLAGE_LAST = (
    "Ashby", "Bannister", "Bartlett", "Bicester", "Blackwell", "Boswell", "Brackley", "Bradshaw",
    "Brooke", "Carpenter", "Cartwright", "Chamberlain", "Cherwell", "Collingridge", "Cotterill",
    "Dale", "Dashwood", "Drinkwater", "Edgington", "Fairbrother", "Fletcher", "Forsyth", "Goodall",
    "Greenaway", "Hambidge", "Harcourt", "Hathaway", "Hemmings", "Howse", "Juniper", "Kirtlington",
    "Lainchbury", "Langford", "Lovegrove", "Marriott", "Mobbs", "Nash", "Nutt", "Paxton", "Penrose",
    "Perkins", "Rowland", "Rusher", "Shergold", "Simms", "Southam", "Stanbridge", "Stockford",
    "Tredwell", "Tuckwell", "Upstone", "Wakelin", "Warburton", "Whitlock", "Wilmot", "Woodward",
    "Wren", "Yeomans", "Allsworth", "Beesley",
)
GATESHEAD_FIRST = (
    "Aisha", "Amanda", "Amy", "Angela", "Carly", "Charlotte", "Chloe", "Claire", "Danielle", "Emma",
    "Ewa", "Fatima", "Gemma", "Grace", "Hannah", "Hayley", "Heather", "Jade", "Jessica", "Jodie",
    "Joanne", "Katie", "Kerry", "Kirsty", "Laura", "Lauren", "Lindsay", "Lisa", "Louise", "Michelle",
    "Natalie", "Nicola", "Olena", "Precious", "Rachel", "Rebecca", "Ruth", "Samantha", "Sarah",
    "Shabana", "Shannon", "Sophie", "Stacey", "Tracy", "Vicky", "Zoe", "Agnieszka", "Becky",
    "Caroline", "Dawn", "Elaine", "Faye",
)
GATESHEAD_LAST = (
    "Armstrong", "Anderson", "Bainbridge", "Begum", "Blenkinsop", "Brown", "Carr", "Collingwood",
    "Coulson", "Cowell", "Dixon", "Elliott", "Errington", "Fenwick", "Gowland", "Graham", "Hall",
    "Harrison", "Hedley", "Heron", "Hindmarsh", "Hunter", "Kaur", "Laidler", "Lumsden", "Nixon",
    "Nowak", "Oliver", "Pattinson", "Potts", "Proud", "Purvis", "Ramshaw", "Renwick", "Ridley",
    "Rutherford", "Scott", "Stoker", "Storey", "Straughan", "Summers", "Surtees", "Swinburne",
    "Tait", "Thompson", "Wilkinson", "Nicholson", "Bowman", "Dunn", "Forrest", "Gibson", "Walton",
)


def invent_names(rng: random.Random, first: tuple[str, ...], last: tuple[str, ...], count: int,
                 taken: set[str]) -> list[tuple[str, str]]:
    """Return ``count`` distinct ``(first, last)`` pairs whose ``first.last`` is not in ``taken``."""
    firsts, lasts = list(first), list(last)
    rng.shuffle(firsts)
    rng.shuffle(lasts)
    names: list[tuple[str, str]] = []
    offset = 0
    while len(names) < count:
        for i, given in enumerate(firsts):
            family = lasts[(i + offset) % len(lasts)]
            key = f"{given}.{family}".lower()
            if key not in taken:
                taken.add(key)
                names.append((given, family))
                if len(names) == count:
                    break
        offset += 7
    return names


def email_for(given: str, family: str, domain: str) -> str:
    return f"{given}.{family}@{domain}".lower().replace(" ", "").replace("'", "")


def phone_for(rng: random.Random) -> str:
    return f"07700 900{rng.randrange(1000):03d}"
