"""The demo business's vocabulary: mail providers, catalogue, pages, campaigns, support topics."""

from __future__ import annotations

# Mail providers per country with weights. googlemail.com is still common in GB and DE.
EMAIL_DOMAINS: dict[str, tuple[tuple[str, float], ...]] = {
    "US": (("gmail.com", 42), ("yahoo.com", 12), ("outlook.com", 8), ("hotmail.com", 7),
           ("icloud.com", 9), ("aol.com", 4), ("comcast.net", 4), ("att.net", 2),
           ("proton.me", 2)),
    "GB": (("gmail.com", 34), ("googlemail.com", 6), ("hotmail.co.uk", 12),
           ("yahoo.co.uk", 8), ("outlook.com", 10), ("btinternet.com", 8), ("icloud.com", 7),
           ("sky.com", 5)),
    "DE": (("gmail.com", 24), ("googlemail.com", 6), ("gmx.de", 22), ("web.de", 20),
           ("t-online.de", 12), ("outlook.de", 5), ("posteo.de", 3)),
    "FR": (("gmail.com", 38), ("orange.fr", 16), ("free.fr", 12), ("laposte.net", 8),
           ("hotmail.fr", 10), ("yahoo.fr", 6), ("sfr.fr", 5), ("outlook.fr", 3)),
}
WORK_DOMAINS = ("acme-corp.com", "globex.com", "initech.io", "umbrella-group.co.uk",
                "stark-industries.com", "wayne-ent.com", "hooli.com", "piedpiper.net",
                "contoso.de", "fabrikam.fr")
# Tags people append with plus addressing (only where the provider supports it).
PLUS_TAGS = ("news", "shop", "streamly", "promo", "2024", "deals", "tv")
# Syntactically valid addresses typed to get past a form (identity resolution blocks them).
JUNK_EMAILS = ("test@test.com", "noreply@example.com", "asdf@asdf.com", "none@none.com",
               "no@email.com", "a@a.com")
# Spellings of "no value" that staging treats as null (var cdp_null_tokens).
NULL_TOKENS = ("unknown", "n/a", "N/A", "none", "-", "NULL", "null", "Unknown")

# Web shop catalogue: (sku, product name, category, unit price in cents).
PRODUCTS: tuple[tuple[str, str, str, int], ...] = (
    ("SKU-10001", "Streamly Stick 4K", "devices", 4999),
    ("SKU-10002", "Streamly Box Pro", "devices", 12999),
    ("SKU-10003", "Voice Remote", "accessories", 2999),
    ("SKU-10004", "HDMI Cable 2m", "accessories", 1299),
    ("SKU-10005", "Wireless Headphones", "audio", 8999),
    ("SKU-10006", "Soundbar Mini", "audio", 19999),
    ("SKU-20001", "Gift Card 25", "gift cards", 2500),
    ("SKU-20002", "Gift Card 50", "gift cards", 5000),
    ("SKU-30001", "Team Jersey Home", "merchandise", 7499),
    ("SKU-30002", "Team Scarf", "merchandise", 1999),
    ("SKU-30003", "Series Mug \"Dark Harbour\"", "merchandise", 1499),
    ("SKU-30004", "Poster, Limited Edition", "merchandise", 2499),
    ("SKU-40001", "Blu-ray Box Set", "media", 3999),
    ("SKU-40002", "Vinyl LP", "media", 2899),
    ("SKU-40003", "Concert Ticket", "tickets", 6500),
    ("SKU-50001", "Kids Tablet Case", "accessories", 2199),
)
STORES: dict[str, tuple[str, ...]] = {
    "US": ("ST-101", "ST-102", "ST-103", "ST-104", "ST-105", "ST-106"),
    "GB": ("ST-201", "ST-202", "ST-203"),
    "DE": ("ST-301", "ST-302"),
    "FR": ("ST-401", "ST-402"),
}

# Streaming catalogue: (content_id, title, content_type, genre, team, artist).
CONTENT: tuple[tuple[str, str, str, str | None, str | None, str | None], ...] = (
    ("c_1001", "Dark Harbour", "series", "thriller", None, None),
    ("c_1002", "The Long Field", "movie", "drama", None, None),
    ("c_1003", "Cosmic Kitchen", "series", "comedy", None, None),
    ("c_1004", "Night Shift", "movie", "action", None, None),
    ("c_1005", "Little Foxes", "series", "kids", None, None),
    ("c_2001", "Derby Day Live", "live_sport", "football", "City Rovers", None),
    ("c_2002", "Championship Final", "live_sport", "football", "United Athletic", None),
    ("c_2003", "Grand Prix Highlights", "live_sport", "motorsport", None, None),
    ("c_2004", "Playoffs Game 7", "live_sport", "basketball", "Harbor Hawks", None),
    ("c_3001", "Morning Mix", "music", "pop", None, "Luna Park"),
    ("c_3002", "Live at the Arena", "music", "rock", None, "The Velvet Hours"),
    ("c_3003", "Jazz Sessions", "music", "jazz", None, "Élodie Martin Trio"),
    ("c_4001", "Tech Talk Weekly", "podcast", "technology", None, None),
    ("c_4002", "True Crime Files", "podcast", "crime", None, None),
)

SITE = "https://www.streamly.example"
# Web pages: (path, title). Product pages reuse the catalogue above.
PAGES = (
    ("/", "Streamly - Watch anything"), ("/browse", "Browse"), ("/series", "Series"),
    ("/movies", "Movies"), ("/sport", "Live Sport"), ("/music", "Music"),
    ("/shop", "Shop"), ("/account", "Your account"), ("/help", "Help Centre"),
    ("/pricing", "Plans & Pricing"), ("/search", "Search"), ("/cart", "Your cart"),
)
REFERRERS = ("https://www.google.com/", "https://www.bing.com/", "https://www.facebook.com/",
             "https://t.co/", "https://www.reddit.com/", "https://duckduckgo.com/")
# UTM tags: (source, medium, campaign).
CAMPAIGNS = (("google", "cpc", "brand_search"), ("facebook", "paid_social", "spring_promo"),
             ("newsletter", "email", "weekly_picks"), ("instagram", "paid_social", "sport_launch"),
             ("partner", "affiliate", "tv_bundle"))
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51",
)
# Segment track events other than sign-in/up and newsletter, with their weights.
TRACK_EVENTS = (("Product Viewed", 30), ("Content Viewed", 40), ("Product Added", 12),
                ("Checkout Started", 8), ("Order Completed", 6))

APP_VERSIONS = ("5.9.2", "5.10.0", "5.11.1", "5.12.0", "5.12.3", "6.0.0")
APP_ERRORS = ("E_NETWORK", "E_OOM", "E_DRM", "E_PLAYER_INIT")
LOGIN_ERRORS = ("AUTH_401", "AUTH_LOCKED", "AUTH_MFA_TIMEOUT")
SCREENS = ("home", "search", "details", "player", "settings", "downloads")

# Help desk: topic -> subjects customers write.
TICKET_SUBJECTS: dict[str, tuple[str, ...]] = {
    "billing": ("Charged twice this month", "Refund request", "Update my card, please"),
    "playback": ("Video keeps buffering", "No sound on TV app", "Error E_DRM when playing"),
    "login": ("Can't log in", "Password reset email never arrives", "Account locked"),
    "delivery": ("Where is my order?", "Parcel damaged", "Wrong item delivered"),
    "returns": ("How do I return my order?", "Return label not working"),
    "account": ("Change my email address", "Delete my account", "Merge two accounts"),
    "other": ("Feedback", "Question about the sport package", "Hello"),
}
# Subscription plans: plan -> (monthly price, yearly price) in cents, per currency.
PLAN_PRICES: dict[str, dict[str, tuple[int, int]]] = {
    "free": {"USD": (0, 0), "GBP": (0, 0), "EUR": (0, 0)},
    "basic": {"USD": (699, 6990), "GBP": (599, 5990), "EUR": (649, 6490)},
    "standard": {"USD": (1199, 11990), "GBP": (999, 9990), "EUR": (1099, 10990)},
    "premium": {"USD": (1799, 17990), "GBP": (1499, 14990), "EUR": (1699, 16990)},
}
CURRENCY = {"US": "USD", "GB": "GBP", "DE": "EUR", "FR": "EUR"}
