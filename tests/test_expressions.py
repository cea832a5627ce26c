import pandas as pd
import pytest

from kamreport.expressions import Expression, ExpressionError


def test_arithmetic_over_text_columns_reads_numbers():
    cols = {"Quantity": pd.Series(["2", "3", "x"]), "Unit Price": pd.Series(["1.5", "2", "4"])}
    result = Expression("Quantity * `Unit Price`").evaluate(cols)
    assert result.iloc[:2].tolist() == [3.0, 6.0]
    assert pd.isna(result.iloc[2])


def test_conditions_treat_missing_as_false():
    cols = {"share_change_pp": pd.Series([-8.0, None, 1.0]), "position": pd.Series(["defend", "defend", "maintain"])}
    hit = Expression("share_change_pp < -5 and position == 'defend'").evaluate(cols)
    assert hit.tolist() == [True, False, False]
    assert Expression("not missing(share_change_pp)").evaluate(cols).tolist() == [True, False, True]


@pytest.mark.parametrize(
    "text",
    ["__import__('os').system('x')", "a.__class__", "[x for x in a]", "open('f')", "lambda: 1", "a[0]"],
)
def test_code_is_refused(text):
    with pytest.raises(ExpressionError):
        Expression(text).evaluate({"a": pd.Series([1])})


def test_unknown_column_is_named():
    with pytest.raises(ExpressionError, match="Profit"):
        Expression("Sales - Profit").evaluate({"Sales": pd.Series([1.0])})


def test_names_lists_backtick_columns():
    assert Expression("`Order Date` + coalesce(a, 0)").names == {"Order Date", "a"}


TEXT_COLUMNS = {
    "order_status": pd.Series(["delivered", "shipped", None, " Delivered "], dtype="string"),
    "quantity": pd.Series(["2", "3", "4", "5"], dtype="string"),
    "CustomerID": pd.Series(["123", "45", None, "007"], dtype="string"),
    "number_id": pd.Series([12345.0, 1.5, None, 7.0]),
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(order_status == 'delivered') * quantity", [2.0, 0.0, 0.0, 0.0]),
        ("(strip(lower(order_status)) == 'delivered') * quantity", [2.0, 0.0, 0.0, 5.0]),
        ("'C' + str(CustomerID)", ["C123", "C45", None, "C007"]),
        ("'C' + str(number_id)", ["C12345", "C1.5", None, "C7"]),
        ("upper(order_status) + '-' + quantity", ["DELIVERED-2", "SHIPPED-3", None, " DELIVERED -5"]),
        ("contains(order_status, 'ship') or startswith(order_status, 'del')", [True, True, False, False]),
        ("order_status != 'shipped'", [True, False, False, True]),
        ("quantity + 1", [3.0, 4.0, 5.0, 6.0]),
        ("quantity ** 2 - 1", [3.0, 8.0, 15.0, 24.0]),
        ("coalesce(order_status, 'none')", ["delivered", "shipped", "none", " Delivered "]),
    ],
)
def test_text_in_expressions(text, expected):
    result = Expression(text).evaluate(TEXT_COLUMNS)
    values = [None if v is pd.NA or (isinstance(v, float) and pd.isna(v)) else v for v in result.tolist()]
    assert values == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9**9**9**9", r"exponent of \*\* must be a number written out"),
        ("quantity ** 101", r"between -100 and 100"),
        ("quantity ** quantity", r"exponent of \*\* must be a number written out"),
        ("'ab' * 1000000000", r"text cannot be used with \*"),
        ("contains(order_status, quantity)", r"second argument must be text"),
        ("lower(order_status, 'x')", r"lower\(\) takes 1 argument"),
        ("1 + " * 200 + "1", r"nested more than 100 levels"),
        ("x" * 3000, r"at most 2,000"),
    ],
)
def test_runaway_and_wrong_kinds_are_refused(text, message):
    with pytest.raises(ExpressionError, match=message):
        Expression(text).evaluate(TEXT_COLUMNS)


def test_numbers_are_floats_so_nothing_grows_without_bound():
    assert Expression("10 ** 100 * 10 ** 100 * 10 ** 100 * 10 ** 100").evaluate({}) == float("inf")
