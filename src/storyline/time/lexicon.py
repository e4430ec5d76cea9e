"""Word tables the temporal rules are built from: data, not code.

Why tables: the regular expressions in :mod:`storyline.time.rules` are generated from these
mappings, so adding a month abbreviation, a holiday or a unit word is a one-line data change
and its normalised value comes with it.
"""

from __future__ import annotations

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
    "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip

# Full weekday names only: abbreviations are too ambiguous ("Sun", "Sat", "Wed") in prose.
WEEKDAY_WORDS: tuple[str, ...] = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
)  # fmt: skip

NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
    "one hundred": 100, "a thousand": 1000, "a dozen": 12, "dozen": 12, "a": 1, "an": 1,
    "a couple of": 2, "a couple": 2, "couple of": 2, "a half": 0, "a single": 1,
}  # fmt: skip

VAGUE_QUANTITIES: tuple[str, ...] = (
    "a few", "few", "several", "some", "many", "a number of", "numerous", "a couple of",
    "dozens of", "hundreds of", "thousands of",
)  # fmt: skip

ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "twenty-second": 22,
    "twenty-third": 23, "twenty-fourth": 24, "twenty-fifth": 25, "twenty-sixth": 26,
    "twenty-seventh": 27, "twenty-eighth": 28, "twenty-ninth": 29, "thirtieth": 30,
    "thirty-first": 31, "last": -1, "final": -1, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
}  # fmt: skip

# Unit word -> (ISO 8601 duration letter, is a time unit needing the "T" designator).
UNITS: dict[str, tuple[str, bool]] = {
    "second": ("S", True), "minute": ("M", True), "hour": ("H", True), "day": ("D", False),
    "night": ("D", False), "week": ("W", False), "weekend": ("WE", False),
    "fortnight": ("2W", False), "month": ("M", False), "quarter": ("Q", False),
    "year": ("Y", False), "decade": ("DE", False), "century": ("CE", False),
    "millennium": ("ML", False), "yr": ("Y", False), "hr": ("H", True), "min": ("M", True),
}  # fmt: skip

UNIT_PLURALS: dict[str, str] = {
    "centuries": "century", "millennia": "millennium", "millenniums": "millennium",
}  # fmt: skip

SEASONS: dict[str, str] = {
    "spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI",
}  # fmt: skip

# Parts of the day -> TimeML time-of-day code.
DAY_PARTS: dict[str, str] = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
}  # fmt: skip

# Fixed-date holidays: name -> (month, day).
FIXED_HOLIDAYS: dict[str, tuple[int, int]] = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
    "new year's day": (1, 1), "new year's eve": (12, 31), "new year": (1, 1),
    "independence day": (7, 4), "fourth of july": (7, 4), "july fourth": (7, 4),
    "july 4th": (7, 4), "halloween": (10, 31), "valentine's day": (2, 14),
    "st. patrick's day": (3, 17), "boxing day": (12, 26), "veterans day": (11, 11),
    "veterans' day": (11, 11), "armistice day": (11, 11), "bastille day": (7, 14),
    "may day": (5, 1), "guy fawkes night": (11, 5), "all saints' day": (11, 1),
    "anzac day": (4, 25), "australia day": (1, 26), "canada day": (7, 1),
    "flag day": (6, 14), "d-day": (6, 6),
}  # fmt: skip

# Holidays on the n-th weekday of a month: name -> (month, weekday, n); n = -1 is the last.
NTH_WEEKDAY_HOLIDAYS: dict[str, tuple[int, int, int]] = {
    "thanksgiving": (11, 3, 4), "thanksgiving day": (11, 3, 4), "labor day": (9, 0, 1),
    "memorial day": (5, 0, -1), "martin luther king day": (1, 0, 3),
    "presidents day": (2, 0, 3), "presidents' day": (2, 0, 3), "columbus day": (10, 0, 2),
    "mother's day": (5, 6, 2), "father's day": (6, 6, 3),
}  # fmt: skip

# Holidays at an offset (days) from Western Easter Sunday.
EASTER_HOLIDAYS: dict[str, int] = {
    "easter": 0, "easter sunday": 0, "easter day": 0, "good friday": -2, "easter monday": 1,
    "ash wednesday": -46, "palm sunday": -7, "pentecost": 49, "whit sunday": 49,
}  # fmt: skip

SET_ADVERBS: dict[str, str] = {
    "daily": "P1D", "weekly": "P1W", "monthly": "P1M",
    "hourly": "PT1H", "nightly": "P1D", "biweekly": "P2W",
    "fortnightly": "P2W",
}  # fmt: skip

# Single words and phrases with a fixed reference value.
REFERENCE_WORDS: dict[str, str] = {
    "now": "PRESENT_REF", "currently": "PRESENT_REF", "current": "PRESENT_REF",
    "nowadays": "PRESENT_REF", "these days": "PRESENT_REF", "the present": "PRESENT_REF",
    "at present": "PRESENT_REF", "presently": "PRESENT_REF", "right now": "PRESENT_REF",
    "this moment": "PRESENT_REF", "recently": "PAST_REF", "the past": "PAST_REF",
    "lately": "PAST_REF", "the future": "FUTURE_REF", "the near future": "FUTURE_REF",
    "recent years": "PAST_REF",
}  # fmt: skip

# Words that mark a modifier on the expression that follows -> TimeML mod.
MODIFIERS: dict[str, str] = {
    "early": "START", "earlier": "START", "the beginning of": "START", "the start of": "START",
    "the first half of": "START", "late": "END", "later": "END", "the end of": "END",
    "the close of": "END", "the second half of": "END", "mid": "MID", "the middle of": "MID",
    "the mid": "MID", "middle": "MID",
}  # fmt: skip

# Quantity modifiers kept inside a duration's extent ("[nearly forty years]"). TimeBank and
# AQUAINT leave "about", "only", "just" outside ("about [five hours]"), so they are not here;
# nor is "over": before a time expression it is the preposition ("over [three years]", "over
# [the weekend]"), outside in all three TempEval-3 sets (TimeBank 24 of 25, AQUAINT 4 of 5,
# silver 22 of 23 gold expressions after "over").
APPROXIMATORS: dict[str, str] = {
    "nearly": "EQUAL_OR_LESS", "almost": "EQUAL_OR_LESS", "up to": "EQUAL_OR_LESS",
    "more than": "MORE_THAN", "less than": "LESS_THAN",
    "at least": "EQUAL_OR_MORE", "at most": "EQUAL_OR_LESS", "no more than": "EQUAL_OR_LESS",
    "fewer than": "LESS_THAN", "some": "APPROX",
}  # fmt: skip
