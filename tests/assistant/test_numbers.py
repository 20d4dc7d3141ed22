import pytest

from assistant.numbers import drop_ungrounded, is_grounded, numbers_in, numbers_of, ungrounded


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Break-evens 5,746.5 and 6,053.5", [5746.5, 6053.5]),
        ("a 2-5% allocation", [2.0, 5.0]),
        ("max loss $4,650.00 [1]", [4650.0]),
        ("1. first\n2. second has 17", [17.0]),
        ("down \u22123.5 points", [-3.5]),
        ("no numbers at all", []),
    ],
)
def test_numbers_in_reads_numbers_as_a_reader_sees_them(text, expected):
    assert numbers_in(text) == expected


def test_numbers_of_walks_nested_values_but_not_booleans():
    assert numbers_of({"a": 1, "b": [2.5, {"c": "3 points"}], "d": True, "e": None}) == [1.0, 2.5, 3.0]


@pytest.mark.parametrize(
    "number, pool, ok",
    [
        (41.8, [0.41812], True),  # probability shown as a rounded percentage
        (350, [3.5], True),  # points shown per contract (x100)
        (4650, [4650.0], True),
        (5746, [5745.6], True),  # rounded for display
        (77, [3.5, 4650], False),
        (3, [], False),  # small numbers are not exempt from our own check
    ],
)
def test_is_grounded(number, pool, ok):
    assert is_grounded(number, pool) is ok


def test_drop_ungrounded_removes_only_the_sentence_with_the_made_up_number():
    answer = "The credit is 3.50 points. The win rate is 87%. Max loss is $4,650 [1]."
    cleaned, removed = drop_ungrounded(answer, [3.5, 4650])
    assert cleaned == "The credit is 3.50 points. Max loss is $4,650 [1]."
    assert removed == [87.0]
    assert ungrounded(cleaned, [3.5, 4650]) == []


def test_drop_ungrounded_removes_a_list_line_and_keeps_the_rest():
    answer = "Figures:\n- Break-even: 5,746.5\n- Invented: 1,234\n- Max profit: $350"
    cleaned, removed = drop_ungrounded(answer, [5746.5, 3.5])
    assert cleaned == "Figures:\n- Break-even: 5,746.5\n- Max profit: $350"
    assert removed == [1234.0]


def test_an_honest_answer_comes_back_unchanged():
    answer = "Correlations fall from 0.35 to below 0.15 [1]."
    assert drop_ungrounded(answer, [0.35, 0.15]) == (answer, [])
