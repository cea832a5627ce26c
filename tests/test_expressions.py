import pandas as pd
import pytest

from kamreport.expressions import Expression, ExpressionError


def test_arithmetic_over_text_columns_reads_numbers():
    cols = {"Quantity": pd.Series(["2", "3", "x"]), "Unit Price": pd.Series(["1.5", "2", "4"])}
    result = Expression("Quantity * `Unit Price`").evaluate(cols, numeric=True)
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
