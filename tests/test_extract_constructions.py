"""Hand-written cases for each construction news prose uses for numbers."""

from __future__ import annotations

import pytest

from analysis.documents.sections import Section
from analysis.figures.extract import extract_mentions


def figures(text: str) -> list[dict]:
    """Figures of ``text`` treated as one body paragraph."""
    body = Section(section_no=1, kind="body", comment_no=None, start=0, end=len(text), text=text)
    rows = extract_mentions(text, [body]).to_dicts()
    for r in rows:
        assert text[r["start"] : r["end"]] == r["text"]
    return rows


def brief(text: str) -> list[tuple]:
    return [(r["text"], r["kind"], r["value"], r["unit"]) for r in figures(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Some 19,000 staff work there.", [("19,000", "count", 19000, "staff")]),
        ("It has 71.1 million people.", [("71.1 million", "count", 71_100_000, "people")]),
        ("It cost $668 million.", [("$668 million", "money", 668e6, "USD")]),
        ("It cost US$5 billion.", [("US$5 billion", "money", 5e9, "USD")]),
        ("It cost £120m in all.", [("£120m", "money", 120e6, "GBP")]),
        ("It cost €3.5 billion.", [("€3.5 billion", "money", 3.5e9, "EUR")]),
        ("It cost 40 million euros.", [("40 million euros", "money", 40e6, "EUR")]),
        ("A fee of USD 250 applies.", [("USD 250", "money", 250, "USD")]),
        ("About 67 percent agreed.", [("67 percent", "percent", 67, "percent")]),
        ("Only 16% agreed.", [("16%", "percent", 16, "percent")]),
        ("It is 0.00000125% of all.", [("0.00000125%", "percent", 1.25e-6, "percent")]),
        ("It rose 5 per cent.", [("5 per cent", "percent", 5, "percent")]),
        ("After four years away.", [("four years", "duration", 4, "year")]),
        ("In seven decades, never.", [("seven decades", "duration", 7, "decade")]),
        ("Five of the bodies agreed.", [("Five", "count", 5, None)]),
        ("Its 70-year history.", [("70-year", "duration", 70, "year")]),
        ("The 27-member bloc.", [("27-member", "count", 27, "member")]),
        ("A 175-member body.", [("175-member", "count", 175, "member")]),
        ("A 125-nation coalition.", [("125-nation", "count", 125, "nation")]),
        ("Twenty-five people came.", [("Twenty-five", "count", 25, "people")]),
        ("It joined one-third of them.", [("one-third", "fraction", 0.3333, None)]),
        ("It needs two-thirds of votes.", [("two-thirds", "fraction", 0.6667, None)]),
        ("Nearly half of them left.", [("half", "fraction", 0.5, None)]),
        ("He was the 10th director.", [("10th", "ordinal", 10, None)]),
        ("A third consecutive term.", [("third", "ordinal", 3, None)]),
        ("In 2021 it grew.", [("2021", "year", 2021, None)]),
        ("It has 175 member states.", [("175", "count", 175, "member states")]),
        ("Africa (54 countries) voted.", [("54", "count", 54, "countries")]),
        ("Since 1945 women have led.", [("1945", "year", 1945, None)]),
        ("It hired 2000 people.", [("2000", "count", 2000, "people")]),
    ],
)
def test_construction(text: str, expected: list[tuple]) -> None:
    got = brief(text)
    assert [(t, k, u) for t, k, _, u in got] == [(t, k, u) for t, k, _, u in expected]
    for (_, _, value, _), (_, _, want, _) in zip(got, expected, strict=True):
        assert value == pytest.approx(want)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        # a scale written once applies to both ends of a range of one order ...
        ("Between 2 and 3 million people fled.", [2e6, 3e6]),
        ("It cost $5-6 billion.", [5e9, 6e9]),
        ("From 5 to 3 million voters.", [5e6, 3e6]),
        # ... but "by X to Y" with X written in full is a change and its end, not a range:
        # carried back, the scale made 40,000 a figure of forty billion (a false alarm)
        ("The list grew by 40,000 to 7.42 million from 7.38 million.", [4e4, 7.42e6, 7.38e6]),
        ("Income grew by €600,000 to €4.5 million.", [6e5, 4.5e6]),
    ],
)
def test_a_range_s_scale_carries_back_only_within_one_order(text: str, values: list[float]) -> None:
    assert [r["value"] for r in figures(text)] == pytest.approx(values)


def test_tally_is_two_counts() -> None:
    assert brief("The vote was 98-67 in her favour.") == [
        ("98", "count", 98, None),
        ("67", "count", 67, None),
    ]


def test_year_ranges_are_two_years() -> None:
    assert [r[:3] for r in brief("He led it from 2008 to 2019, and in 2018-2019.")] == [
        ("2008", "year", 2008),
        ("2019", "year", 2019),
        ("2018", "year", 2018),
        ("2019", "year", 2019),
    ]


def test_one_of_n_is_two_counts() -> None:
    assert [r[:3] for r in brief("The election is one of 17 that will take place.")] == [
        ("one", "count", 1),
        ("17", "count", 17),
    ]


def test_bare_one_is_not_a_figure() -> None:
    assert brief("On the one hand, one candidate spoke.") == []


def test_first_is_not_a_figure_but_second_is() -> None:
    assert [r[:3] for r in brief("The first woman sought a second term.")] == [
        ("second", "ordinal", 2)
    ]


def test_enumeration_markers_are_not_figures() -> None:
    got = brief("Errors: 1) the count, 2) the date. 3) IOM has 175 members.")
    assert [r[0] for r in got] == ["175"]


def test_parenthesised_number_is_a_count() -> None:
    assert [r[:2] for r in brief("The European vote (27) is small.")] == [("27", "count")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Under Articles 5 and 6 of the treaty, 40 states joined.", ["40"]),
        ("Grades 10 and 11 pupils sat 12 exams.", ["12"]),
        ("Chapters 3 to 5 cover 80 pages.", ["80"]),
        # another order of number is no listed name; nor is a number after a word that is none
        ("Covid 19 and 200 deaths.", ["200"]),
        ("Between 5 and 6 people left.", ["5", "6"]),
    ],
)
def test_a_number_listed_with_a_name_s_number_is_named_too(text: str, expected: list[str]) -> None:
    assert [r["text"].split()[0] for r in figures(text)] == expected


def test_names_and_identifiers_are_not_figures() -> None:
    assert brief("After World War II, resolution A/RES/73/195 and COVID-19 and G7.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a place's name does not name a count of a plural noun after it
        ("In Syria 500 people died.", [("500", "count", 500, "people")]),
        ("Across England 34 sports have grown.", [("34", "count", 34, "sports")]),
        ("In the United States 1,200 migrants arrived.", [("1,200", "count", 1200, "migrants")]),
        ("In Africa 300 schools closed.", [("300", "count", 300, "schools")]),
        # a name's number, with no plural noun after it, or no preposition before the place
        ("France 24 reported the news.", []),
        ("Police detained France 24 journalists.", []),
        # a channel a number completes, after a preposition too
        ("From Europe 1 journalists to France 24 viewers, all came.", []),
        ("Boeing 737 jets were grounded.", []),
        ("Under Article 5 powers, 30 states acted.", [("30", "count", 30, "states")]),
    ],
)
def test_a_place_s_name_does_not_name_a_count(text: str, expected: list[tuple]) -> None:
    """docs/figure-rules.md, "Not figures": a place's name followed by a count and its noun."""
    assert brief(text) == expected


@pytest.mark.parametrize(
    ("text", "surface", "value", "iso"),
    [
        ("The vote is May 15.", "May 15", None, "--05-15"),
        ("It opened in October 2018.", "October 2018", 2018, "2018-10"),
        ("Signed 15 May 2023 in Geneva.", "15 May 2023", 2023, "2023-05-15"),
        ("Signed May 15, 2023 in Geneva.", "May 15, 2023", 2023, "2023-05-15"),
    ],
)
def test_dates(text: str, surface: str, value: int | None, iso: str) -> None:
    (row,) = figures(text)
    assert (row["text"], row["kind"], row["value"], row["iso"]) == (surface, "date", value, iso)


def test_may_the_verb_is_not_a_date() -> None:
    assert all(r[1] != "date" for r in brief("She may win the vote."))


@pytest.mark.parametrize(
    ("text", "hedge"),
    [
        ("It was approximately 67 percent.", "approximately"),
        ("It has some 75% of posts.", "some"),
        ("It was nearly 40 years.", "nearly"),
        ("It has over 100 staff.", "over"),
        ("It has more than 100 staff.", "more than"),
        ("It has 258 million or so people.", "or so"),
        ("It was close to five years.", "close to"),
        ("It had only 12 percent.", None),
    ],
)
def test_hedges(text: str, hedge: str | None) -> None:
    (row,) = figures(text)
    assert row["approx"] == hedge


def test_offsets_are_code_points_after_curly_quotes_and_dashes() -> None:
    text = "“It’s — ” she said — “about 42%” of İstanbul’s 3 million."
    rows = figures(text)
    assert [r["text"] for r in rows] == ["42%", "3 million"]


def test_lowercasing_that_changes_length_keeps_offsets() -> None:
    text = "İİİ paid $5 million in 2020."  # 'İ'.lower() is two code points
    rows = figures(text)
    assert [(r["text"], r["kind"]) for r in rows] == [("$5 million", "money"), ("2020", "year")]


@pytest.mark.parametrize(
    "text",
    [
        "Ferries carried 15,750 vehicles, compared to 14,027 during the same period in 2017.",
        "It had 2,000 over the year and 300 within a month.",
        "Some 126,931 via Italy and 165,015 through Greece.",
    ],
)
def test_a_preposition_after_a_count_is_no_unit(text: str) -> None:
    """docs/figure-rules.md: a word of time, direction or degree, or a preposition, is no
    noun (a count's unit of "during" kept it from being the start of its change)."""
    units = {r["text"]: r["unit"] for r in figures(text) if r["kind"] == "count"}
    assert all(unit is None for number, unit in units.items() if number not in ("15,750",)), units
    assert units.get("15,750", "vehicles") == "vehicles"


@pytest.mark.parametrize(
    "text",
    [
        "For further information contact Laura Flannelly (+353) 1 498 4230 or email.",
        "Call +44 20 7946 0958 today.",
    ],
)
def test_a_phone_number_is_no_figure(text: str) -> None:
    """docs/figure-rules.md: phone numbers are not figures."""
    assert figures(text) == []


def test_a_currency_is_carried_to_a_second_end_of_its_order_only() -> None:
    """docs/figure-rules.md: a range's currency applies to both ends; after "and" or "or" to
    one of its order only: "three" sales after "$1million and" are no money."""
    got = brief("Agents sold two for more than $1million and three for more than $2million.")
    assert ("three", "count", 3, None) in got
    assert brief("It cost $20 and 25 each.")[1] == ("25", "money", 25, "USD")
    assert brief("Fines range from $800 to 12,000 per offence.")[1][1:] == (
        "money",
        12000,
        "USD",
    )


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("The FTSE 100 closed at 7,500.5, +12.5 0.17% on the day.", ["7,500.5", "12.5", "0.17%"]),
        ("Forecasts range +0.5-1.0% for 2024.", ["0.5", "1.0%", "2024"]),
        ("Scores: +7 10-3 win.", ["7", "10", "3"]),
    ],
)
def test_a_signed_number_is_no_phone_number(text: str, numbers: list[str]) -> None:
    assert [r["text"] for r in figures(text)] == numbers


@pytest.mark.parametrize("text", ["Then 50 more came.", "Meanwhile 12 ships sailed."])
def test_an_adverb_opening_a_sentence_names_nothing(text: str) -> None:
    """docs/figure-rules.md: a number after a capitalized word that opens sentences is still a
    figure ("Boeing 737" is a name, "Then 50" is not)."""
    assert [r["kind"] for r in figures(text)] == ["count"]


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("Net profit rose to RM191.06 million.", "MYR"),
        ("Income grew to KSh14.3 billion.", "KES"),
        ("The plan costs Tk 500 crore.", "BDT"),
        ("Sales reached Rp 3 trillion.", "IDR"),
        ("The budget is USh 2bn.", "UGX"),
        # Gulf papers' signs, which CLDR does not give; SR, QR, KD, BD with a scale word only
        ("Exports reached SR26.8 billion.", "SAR"),
        ("The deal is worth QR1.5bn.", "QAR"),
        ("Rents rose to Dh500.", "AED"),
        ("Rents rose to Dhs 2.3 million.", "AED"),
        ("The fund holds KD 40 million.", "KWD"),
        ("Profit was BD5m.", "BHD"),
        # "U.S. dollars" is US dollars
        ("Funding totalled three billion U.S. dollars.", "USD"),
    ],
)
def test_a_currency_sign_of_its_country_s_english_locale(text: str, currency: str) -> None:
    """docs/figure-rules.md: the signs CLDR gives a currency in its country's English locale."""
    assert [(r["kind"], r["unit"]) for r in figures(text)] == [("money", currency)]


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("Remittances hit $ 1.2 b in February.", "$ 1.2 b", 1.2e9),
        ("Earnings fell to $ 548.1 m last month.", "$ 548.1 m", 548.1e6),
        # a word going on from the letter is no scale
        ("He won £40 m&s vouchers.", "£40", 40.0),
    ],
)
def test_a_lower_case_scale_letter_after_one_space(text: str, surface: str, value: float) -> None:
    money = [r for r in figures(text) if r["kind"] == "money"]
    assert [(r["text"], r["value"]) for r in money] == [(surface, value)]


@pytest.mark.parametrize(
    ("text", "currency", "value"),
    [
        ("Net income was 7 groszy per share.", "PLN", 0.07),
        ("Net income was 83 öre per share.", "SEK", 0.83),
    ],
)
def test_a_subunit_of_one_currency_is_money(text: str, currency: str, value: float) -> None:
    money = [r for r in figures(text) if r["kind"] == "money"]
    assert [(r["unit"], round(r["value"], 6)) for r in money] == [(currency, value)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a lower-case label noun after a preposition, or a word with a capital inside before a
        # lower-case letter, names the number after it
        ("Enrollment in grade 9 was up 3 percent from 1,200 last fall.", ["3", "1,200"]),
        ("Cases in week 14 were down 12 percent.", ["12"]),
        ("Sales of the iPhone 15 rose 10 percent.", ["10"]),
        # not after other words
        ("A week 14 people died.", ["14"]),
        ("Over the past week 14 people died.", ["14"]),
        ("In the opening round 128 players took part.", ["128"]),
        ("The opposition will table 40 amendments.", ["40"]),
        ("The grade 9 exams had 40 questions.", ["9", "40"]),
        ("Soil with pH 5.5 is acid.", ["5.5"]),
        # a chart position is a rank
        ("It opened at number 13 last week.", ["13"]),
    ],
)
def test_a_label_s_number_is_no_figure(text: str, expected: list[str]) -> None:
    assert [r["text"].split()[0] for r in figures(text)] == expected


def test_a_metre_sign_after_the_letter_is_no_scale() -> None:
    money = [r for r in figures("Rents are about € 25 m² in the centre.") if r["kind"] == "money"]
    assert [(r["text"], r["value"]) for r in money] == [("€ 25", 25.0)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a year before a fraction word names a period: no fraction of 1,010
        ("Earnings rose from N300.257 billion in the 2020 half year.", [("2020", "year", 2020.0)]),
        ("Sales fell in the 2019 third quarter.", [("2019", "year", 2019.0)]),
        # a low quotation mark printed for a comma joins digit groups
        ("A total of 401‚435 matriculants sat.", [("401‚435", "count", 401435.0)]),
    ],
)
def test_years_before_fractions_and_low_commas(text: str, expected: list[tuple]) -> None:
    got = [(r["text"], r["kind"], r["value"]) for r in figures(text) if r["kind"] != "money"]
    assert got == expected


@pytest.mark.parametrize(
    "text",
    ["Traffic on SR 520 was closed.", "He took flight QR 817.", "The Nike KD 15 and BD 2."],
)
def test_a_gulf_sign_without_a_scale_word_is_no_currency(text: str) -> None:
    """docs/figure-rules.md: "SR 520" is a road, "QR 817" a flight; "SR26.8 billion" money."""
    assert [r for r in figures(text) if r["kind"] == "money"] == []


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("Profit rose in 2QFY2025 from 2QFY2024.", ["2025", "2024"]),
        ("Sales in Q3FY24 and 1HFY2023 and FY2022.", ["24", "2023", "2022"]),
    ],
)
def test_a_fiscal_year_after_a_quarter_label(text: str, years: list[str]) -> None:
    """docs/figure-rules.md: "2QFY2025" → the year 2025, spanning its digits."""
    assert [r["text"] for r in figures(text) if r["kind"] == "year"] == years


def test_million_tonnes_written_onto_the_number() -> None:
    assert brief("It despatched 16.02Mt of cement.") == [("16.02Mt", "count", 16.02, "Mt")]
    # not "MT" (a gearbox's "6MT") nor "kt" (knots as often as kilotonnes)
    assert [r["unit"] for r in figures("The 6MT gearbox; winds of 65kt.")] == []


@pytest.mark.parametrize(
    ("text", "currencies"),
    [
        # the rupee of the country the document names most often
        ("Sri Lanka earned Rs. 22.45 billion from tea.", ["LKR"]),
        ("Colombo tea fetched Rs. 850 a kilo; Sri Lankan growers gained.", ["LKR"]),
        ("Pakistan's budget is Rs 5 trillion; Karachi gets Rs 40bn.", ["PKR", "PKR"]),
        ("Nepal's Rs 1.7 trillion budget.", ["NPR"]),
        # India when named as often, when none is named, or for "₹" and "INR"
        ("India's Rs 5 crore grant to Sri Lanka.", ["INR"]),
        ("The board approved Rs 500 crore.", ["INR"]),
        ("Sri Lanka bought ₹ 40 crore and INR 5 crore of goods.", ["INR", "INR"]),
        # two others named equally: India's
        ("Pakistan and Sri Lanka spent Rs 5bn.", ["INR"]),
        # a document that writes the Indian rupee's own sign: all its "Rs" are India's
        (
            "Pakistan beat India. Pakistan's captain led Pakistan. The prize rose to ₹5.5 crore "
            "from Rs 5 crore.",
            ["INR", "INR"],
        ),
        # the kwacha or the kina, by the country named
        ("Zambia allocated K17 billion to health, up from K13 billion.", ["ZMW", "ZMW"]),
        ("Papua New Guinea's budget of K22 billion.", ["PGK"]),
        ("Myanmar's budget of K500 billion.", ["MMK"]),
        ("The K9 unit.", []),
    ],
)
def test_a_shared_currency_is_the_named_country_s(text: str, currencies: list[str]) -> None:
    """docs/figure-rules.md, "Money": "Rs" or "K" is the currency of the country named most."""
    assert [r["unit"] for r in figures(text) if r["kind"] == "money"] == currencies


def test_each_document_of_a_batch_has_its_own_rupee() -> None:
    """Many articles found in one pass: a document's rupee is read from its own text."""
    from analysis.figures.extract import find_figures_many

    texts = ["Sri Lanka earned Rs. 22 billion.", "Mumbai traders paid Rs 5 crore.", "Rs 3bn."]
    found = find_figures_many(texts)
    assert [f.filter(kind="money")["unit"].to_list() for f in found] == [["LKR"], ["INR"], ["INR"]]
