"""Embedded first/last names per country (accents, hyphens and apostrophes on purpose).

Lists are short (a few hundred names in all) because variety comes from combinations; what
matters for identity resolution is that names repeat across people (so names alone never
identify anyone) and that they exercise Unicode, `O'Brien`-style and double-barrelled forms.
"""

from __future__ import annotations

import unicodedata

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "US": (
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
        "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
        "Sarah", "Christopher", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony",
        "Betty", "Mark", "Sandra", "Steven", "Ashley", "Andrew", "Emily", "Joshua", "Michelle",
        "Kevin", "Amanda", "Brian", "Melissa", "Tyler", "Brittany", "José", "María", "Sofía",
        "Andrés", "Zoë", "Renée", "Chloé", "Mary-Jane", "Billy-Ray", "DeShawn", "Aaliyah",
        "Jamal", "Keisha", "Mei", "Priya", "Raj", "Ahmed", "Fatima", "Connor", "Madison",
    ),
    "GB": (
        "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Thomas", "Oscar",
        "William", "James", "Alfie", "Archie", "Olivia", "Amelia", "Isla", "Ava", "Emily",
        "Sophie", "Grace", "Lily", "Freya", "Poppy", "Chloe", "Siobhán", "Niamh", "Aoife",
        "Seán", "Ciarán", "Rhys", "Dafydd", "Megan", "Zoë", "Anne-Marie", "Mohammed", "Aisha",
        "Priya", "Hamish", "Fiona", "Callum", "Eilidh", "Rory", "Imogen", "Hugo", "Beatrice",
    ),
    "DE": (
        "Lukas", "Leon", "Maximilian", "Paul", "Felix", "Jonas", "Ben", "Elias", "Finn",
        "Emma", "Mia", "Hannah", "Sophia", "Lea", "Lena", "Marie", "Anna", "Emilia", "Lina",
        "Jürgen", "Jörg", "Günter", "Björn", "Sören", "Käthe", "Zoë", "Hans-Peter",
        "Karl-Heinz", "Anna-Lena", "Uwe", "Dieter", "Ursula", "Bärbel", "Jörn", "Stefan",
        "Sabine", "Katrin", "Mehmet", "Ayşe", "Till",
    ),
    "FR": (
        "Jean", "Pierre", "Michel", "Philippe", "Nicolas", "Julien", "Thomas", "Antoine",
        "Louis", "Hugo", "Lucas", "Gabriel", "Léo", "Raphaël", "Arthur", "Marie", "Camille",
        "Léa", "Manon", "Chloé", "Inès", "Jade", "Louise", "Emma", "Éloïse", "Hélène",
        "Océane", "Zoé", "Gaël", "Noël", "Jean-Baptiste", "Marie-Claire", "Anne-Sophie",
        "François", "Françoise", "Amélie", "Cécile", "Jérôme", "Stéphane", "Mathéo",
    ),
}

LAST_NAMES: dict[str, tuple[str, ...]] = {
    "US": (
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
        "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
        "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
        "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young",
        "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "O'Brien",
        "O'Connor", "McDonald", "MacKenzie", "Smith-Jones", "Núñez", "Peña", "Kowalski",
        "Patel", "Kim", "Chen", "Washington", "Van Dyke", "St. John",
    ),
    "GB": (
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
        "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
        "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood",
        "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Khan", "Ali",
        "O'Brien", "O'Neill", "McCarthy", "Fitzgerald", "Ffrench", "Bowes-Lyon",
        "Lloyd-Webber", "MacLeod", "Ó Súilleabháin",
    ),
    "DE": (
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
        "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
        "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann",
        "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann", "Köhler",
        "Groß", "Weiß", "Jäger", "Vogel", "Müller-Lüdenscheidt", "Öztürk", "Yilmaz",
        "von Bülow", "Schmidt-Rottluff",
    ),
    "FR": (
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
        "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David",
        "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefebvre",
        "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Legrand", "Garnier", "Faure",
        "Rousseau", "Blanc", "Guérin", "Muller", "Chevalier", "Lévêque", "Bénard", "N'Diaye",
        "D'Angelo", "de La Fontaine", "Saint-Exupéry",
    ),
}

_GERMAN_FOLDS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def email_slug(name: str, *, german: bool) -> str:
    """ASCII lower-case form people use in addresses: `Müller` -> `mueller`, `O'Brien` -> `obrien`.

    German speakers fold umlauts to `ae/oe/ue`; everyone else just drops the accent.
    """
    text = name.lower()
    if german:
        text = text.translate(_GERMAN_FOLDS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text if ch.isalnum() or ch == "-")
