"""Odd numbers, for the tests that send them to every parameter of the URL map (finding 14):
text that Python's ``str.isdigit()`` or ``int()`` takes for a number, numbers past any
integer type, negative numbers, NUL bytes and other odd strings."""

from hypothesis import example
from hypothesis import strategies as st

from educational.core.permissions import Role, allowed_roles

#: Every one is sent to every parameter (hypothesis ``@example``s); the strategy below adds
#: generated ones.
ODD_NUMBERS = [
    "²",  # str.isdigit() is true, int() fails: the attack's 500
    "٣",  # an Arabic-Indic three: int() reads 3
    "\uff11",  # a full-width one: int() reads 1
    "\U0001d7cf",  # MATHEMATICAL BOLD DIGIT ONE, a decimal digit to Python
    "Ⅻ",
    "½",
    "9" * 5000,  # int() refuses more than 4,300 digits
    "-" + "9" * 5000,
    "٣" * 5000,
    "2147483648",  # past PostgreSQL's INTEGER
    "9223372036854775808",  # past BIGINT
    "9" * 40,
    "-1",
    "0",
    "-0",
    "+1",
    "1_000",
    "1e3",
    "1.5",
    "NaN",
    "\x00",
    "1\x00",
    "",
]

#: The values most likely to break a parser, for the tests too slow to send them all.
MOST_TELLING = ["²", "٣", "\uff11", "9" * 5000, "-1", "\x00", "9223372036854775808", "1_000"]

odd_numbers = st.one_of(
    st.sampled_from(ODD_NUMBERS),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(st.characters(categories=("Nd", "No", "Nl")), min_size=1, max_size=8),
    st.text(max_size=12),
    st.integers(min_value=4290, max_value=6000).map(lambda digits: "7" * digits),
)

#: Parameters read as whole numbers somewhere, and a generic set any endpoint might read.
NUMBER_PARAMETERS = (
    "page",
    "per_page",
    "position",
    "expiring",
    "revision",
    "renew",
    "limit",
    "since",
    "id",
    "date",
    "offset",
    "extra_minutes",
    "extra_attempts",
    "team_size",
    "onsite_days",
    "offsite_days",
    "year",
    "count",
)


def one_value_everywhere(value: str) -> dict[str, str]:
    return dict.fromkeys(NUMBER_PARAMETERS, value)


def each_value_everywhere(values):
    """One explicit example per value, sent in every parameter; ``turn`` varies the role."""

    def decorate(test):
        for turn, value in enumerate(values):
            test = example(values=one_value_everywhere(value), turn=turn)(test)
        return test

    return decorate


#: A value per parameter, each drawn on its own.
values_by_parameter = st.fixed_dictionaries(dict.fromkeys(NUMBER_PARAMETERS, odd_numbers))

#: The world's user of each role, anonymous first.
WHO = {None: None, Role.LEARNER: "learner", Role.MEMBER: "member", Role.STAFF: "staff"}
WHO[Role.ADMIN] = "admin"


def callers(access: str) -> list[str | None]:
    """The world's users a declaration lets in (anonymous too for public routes): the ones
    whose requests reach the view, where parameters are read."""
    allowed = allowed_roles(access)
    if allowed is None:
        return list(WHO.values())
    return [user for role, user in WHO.items() if role is not None and role in allowed]
