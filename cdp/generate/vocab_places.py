"""Cities, streets and telephone numbering facts per country, embedded.

Each city carries what makes an address and a landline look local: region, a postcode seed
(US ZIP3 / DE, FR 5-digit range / GB outward codes) and the landline area code, so a London
customer gets `020 ...` and a Berlin one `030 ...`.
"""

from __future__ import annotations

# (city, region, postcode seed, landline area codes). US: ZIP3 prefixes, the area codes are
# used for mobiles too (NANP mobiles are geographic).
US_CITIES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("New York", "NY", "100", ("212", "646", "917")),
    ("Brooklyn", "NY", "112", ("718", "347")),
    ("Los Angeles", "CA", "900", ("213", "323", "310")),
    ("San Francisco", "CA", "941", ("415", "628")),
    ("San Diego", "CA", "921", ("619", "858")),
    ("Chicago", "IL", "606", ("312", "773")),
    ("Houston", "TX", "770", ("713", "281")),
    ("Dallas", "TX", "752", ("214", "469")),
    ("Austin", "TX", "787", ("512", "737")),
    ("Phoenix", "AZ", "850", ("602", "480")),
    ("Philadelphia", "PA", "191", ("215", "267")),
    ("Seattle", "WA", "981", ("206", "425")),
    ("Denver", "CO", "802", ("303", "720")),
    ("Boston", "MA", "021", ("617", "857")),
    ("Miami", "FL", "331", ("305", "786")),
    ("Atlanta", "GA", "303", ("404", "470")),
    ("Portland", "OR", "972", ("503", "971")),
    ("Minneapolis", "MN", "554", ("612", "763")),
    ("Nashville", "TN", "372", ("615", "629")),
    ("Newark", "NJ", "071", ("973", "862")),
)

# GB: outward codes; landline area code digits after the trunk 0 (NSN is 10 digits).
GB_CITIES: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("London", "Greater London",
     ("SW1A", "SW11", "SE1", "E1", "E14", "N1", "NW3", "W2", "WC2H"), "20"),
    ("Manchester", "Greater Manchester", ("M1", "M4", "M14", "M20"), "161"),
    ("Birmingham", "West Midlands", ("B1", "B15", "B29"), "121"),
    ("Leeds", "West Yorkshire", ("LS1", "LS6", "LS11"), "113"),
    ("Glasgow", "Glasgow City", ("G1", "G12", "G41"), "141"),
    ("Edinburgh", "City of Edinburgh", ("EH1", "EH3", "EH10"), "131"),
    ("Bristol", "Bristol", ("BS1", "BS6", "BS8"), "117"),
    ("Liverpool", "Merseyside", ("L1", "L8", "L17"), "151"),
    ("Cardiff", "South Glamorgan", ("CF10", "CF11", "CF24"), "29"),
    ("Belfast", "County Antrim", ("BT1", "BT7", "BT9"), "28"),
)

# DE/FR: (city, region, lowest postcode, highest postcode, landline area code).
DE_CITIES: tuple[tuple[str, str, int, int, str], ...] = (
    ("Berlin", "Berlin", 10115, 14199, "30"),
    ("Hamburg", "Hamburg", 20095, 22769, "40"),
    ("München", "Bayern", 80331, 81929, "89"),
    ("Köln", "Nordrhein-Westfalen", 50667, 51149, "221"),
    ("Frankfurt am Main", "Hessen", 60306, 60599, "69"),
    ("Stuttgart", "Baden-Württemberg", 70173, 70629, "711"),
    ("Düsseldorf", "Nordrhein-Westfalen", 40210, 40629, "211"),
    ("Leipzig", "Sachsen", 4103, 4357, "341"),
    ("Dresden", "Sachsen", 1067, 1328, "351"),
    ("Nürnberg", "Bayern", 90402, 90491, "911"),
)
FR_CITIES: tuple[tuple[str, str, int, int, str], ...] = (
    ("Paris", "Île-de-France", 75001, 75020, "1"),
    ("Lyon", "Auvergne-Rhône-Alpes", 69001, 69009, "4"),
    ("Marseille", "Provence-Alpes-Côte d'Azur", 13001, 13016, "4"),
    ("Toulouse", "Occitanie", 31000, 31500, "5"),
    ("Nice", "Provence-Alpes-Côte d'Azur", 6000, 6300, "4"),
    ("Nantes", "Pays de la Loire", 44000, 44300, "2"),
    ("Strasbourg", "Grand Est", 67000, 67200, "3"),
    ("Bordeaux", "Nouvelle-Aquitaine", 33000, 33800, "5"),
    ("Lille", "Hauts-de-France", 59000, 59800, "3"),
    ("Rennes", "Bretagne", 35000, 35700, "2"),
)

US_STREETS = (
    "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park",
    "Sunset", "Lincoln", "Jefferson", "Madison", "Highland", "Church", "Market", "Mission",
    "Valencia", "Martin Luther King Jr", "2nd", "3rd", "5th", "14th", "Spring", "Ridge",
)
US_SUFFIXES = ("Street", "St", "St.", "Avenue", "Ave", "Road", "Rd", "Boulevard", "Blvd",
               "Drive", "Dr", "Lane", "Ln", "Court", "Ct", "Place", "Way")
US_LINE2 = ("Apt {n}", "Apt {n}B", "Suite {n}", "Unit {n}", "#{n}")

GB_STREETS = ("High", "Station", "Church", "Victoria", "Park", "Mill", "King", "Queen's",
              "Albert", "Green", "Manor", "London", "York", "Windsor", "Springfield", "Grange")
GB_SUFFIXES = ("Street", "Road", "Rd", "Lane", "Avenue", "Close", "Gardens", "Crescent",
               "Drive", "Way")
GB_LINE2 = ("Flat {n}", "Flat {n}, Albion House", "Flat {n}, The Maltings", "Unit {n}")

DE_STREETS = ("Hauptstraße", "Bahnhofstraße", "Schulstraße", "Gartenstraße", "Dorfstraße",
              "Bergstraße", "Lindenstraße", "Kirchstraße", "Goethestraße", "Schillerstraße",
              "Am Markt", "Friedrichstraße", "Karl-Marx-Allee", "Müllerstraße",
              "Kastanienallee", "Hauptstr.", "Uhlandstr.", "Im Winkel")
DE_LINE2 = ("{n}. OG", "Hinterhaus", "c/o Becker", "Whg. {n}")

FR_STREETS = ("rue de la Paix", "avenue Victor Hugo", "boulevard Saint-Germain",
              "rue de Rivoli", "place de la République", "rue du Faubourg Saint-Honoré",
              "allée des Tilleuls", "chemin des Vignes", "rue Émile Zola",
              "quai de la Tournelle", "impasse des Lilas", "rue d'Alsace", "bd Voltaire",
              "av. Jean Jaurès")
FR_LINE2 = ("Bâtiment B", "Appartement {n}", "Résidence Les Pins", "Escalier {n}")

# Area codes (NANP) used for numbers of people whose address city we do not know.
US_AREA_CODES = tuple(code for city in US_CITIES for code in city[3])
# Mobile number prefixes, written after the trunk prefix: 07xxx (GB), 015x/016x/017x (DE),
# 06/07 (FR).
GB_MOBILE_PREFIXES = ("74", "75", "77", "78", "79")
DE_MOBILE_PREFIXES = ("151", "152", "157", "159", "160", "162", "163", "170", "171", "172",
                      "173", "174", "175", "176", "177", "178", "179")
FR_MOBILE_PREFIXES = ("6", "7")

# Junk numbers people type into forms, per country of the row's phone context, each with the
# E.164 staging makes of it: a valid shape, so only identity resolution can block them.
JUNK_PHONES: dict[str, tuple[tuple[str, str], ...]] = {
    "US": (("0000000000", "+10000000000"), ("000-000-0000", "+10000000000"),
           ("(000) 000-0000", "+10000000000"), ("999-999-9999", "+19999999999"),
           ("555-555-5555", "+15555555555")),
    "GB": (("01234 567890", "+441234567890"), ("07777 777777", "+447777777777"),
           ("+44 1234 567890", "+441234567890")),
    "DE": (("0123 456789", "+49123456789"), ("+49 123 456789", "+49123456789"),
           ("0170 0000000", "+491700000000")),
    "FR": (("01 23 45 67 89", "+33123456789"), ("06 00 00 00 00", "+33600000000"),
           ("+33 1 23 45 67 89", "+33123456789")),
}
