"""Regenerate the report notebooks (run from the repo root: .venv/bin/python scripts/make_notebooks.py).

The notebooks are committed without outputs; this script is their single source, so the three
stay alike. Edit it, run it, commit the notebooks it writes.
"""

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NB_ONLY = {"tags": ["notebook-only"]}
SECTIONS = [
    (
        "summary",
        "The scorecard of the five indicators against target and last year (red / amber / green from `report.rag` in the params), the quarter's key numbers, what changed, and revenue against target by month.",
    ),
    (
        "accounts",
        "Every account with its tier, position, headline KPIs and next-quarter target; the Pareto curve shows how concentrated revenue is.",
    ),
    (
        "positioning",
        "Maintain / defend / attack from share of wallet and its change, how positions moved since last quarter, and the key-account review (accounts added and dropped).",
    ),
    (
        "targets",
        "Next quarter's targets decomposed by position: weighted history × market growth, or growth towards the target share for attack accounts.",
    ),
    (
        "pipeline",
        "Open opportunities per funnel stage against the benchmark the next-quarter target needs, the weighted forecast by account manager, and the high-value opportunities.",
    ),
    (
        "execution",
        "Visits by rep, visit frequency against the tier policy by account manager, and key accounts nobody visited.",
    ),
    ("fill_rate", "Order fill rate and on-time-in-full by month, and the accounts we served worst."),
    ("profit", "From revenue to gross profit to contribution after trade spend, and the accounts behind it."),
    ("rhythm", "Revenue by week of month: months sold mostly in their last week, and the accounts that do it."),
    ("data_quality", "What was read, used and set aside, and why (every row set aside is in `data_quality.csv`)."),
    ("notes", "Definitions of every figure and the parameters this run used."),
]


def report(title: str, intro: str, parameters: str, view_line: str) -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell(
            f"# {title}\n\n{intro}\n\n"
            "**Rerun by hand:** set the parameters below and *Run All*. The notebook reads the run's "
            "computed results — or computes them from the params file when they are missing or out of "
            "date — and never reads the raw exports itself. Cells like this one are for you, the analyst: "
            "the HTML report shows only what the cells display.",
            metadata=NB_ONLY,
        ),
        new_code_cell(parameters, metadata={"tags": ["parameters"]}),
        new_code_cell(
            "import kamreport as kr\n\n"
            "run = kr.open_run(params_file, run_dir=run_dir, language=language)\n"
            f"{view_line}\n"
            "kr.begin(view)"
        ),
    ]
    for section, text in SECTIONS:
        cells.append(new_markdown_cell(f"## {section.replace('_', ' ').capitalize()}\n{text}", metadata=NB_ONLY))
        cells.append(new_code_cell(f'kr.show(view, "{section}")'))
    cells.append(
        new_markdown_cell(
            "## The workbook\nThe same chapters as sheets, with native Excel charts, "
            "for the manager to open from an e-mail.",
            metadata=NB_ONLY,
        )
    )
    cells.append(new_code_cell("if write_workbook:\n    kr.save_workbook(view, workbook)"))
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


COMMON = (
    'params_file = "../params/demo.yaml"  # the run\'s params file\n'
    "run_dir = None  # or a run folder made by `kamreport run` (output/2026Q3): its recorded params are used\n"
    'language = None  # None: the params file\'s language; or "en" / "zh"\n'
)
TAIL = (
    "write_workbook = True  # also write the workbook\n"
    "workbook = None  # where; None: its place in the run's output tree"
)

region = report(
    "Regional key-account report",
    "One region's quarter: the five key-account indicators, positions, targets, funnel, execution, "
    "fill rate, profit and sales rhythm. `kamreport run` executes this notebook once per region with papermill.",
    COMMON + 'region = "East"  # the region to report\n' + TAIL,
    "view = run.region(region)",
)
company = report(
    "Company key-account overview",
    "The whole company (the run's scope) in the same chapters as the regional reports. `kamreport run` executes "
    "this notebook once per run.",
    COMMON + TAIL,
    "view = run.company()",
)
nbformat.write(region, "notebooks/region_report.ipynb")
nbformat.write(company, "notebooks/company_overview.ipynb")

PLAN_SECTIONS = [
    (
        "profile",
        "Who the customer is: group and its other sites (with their revenue), region, owner, tier, position and its history, potential, competitor and decision style.",
    ),
    (
        "performance",
        "The five indicators against target and last year, their trend over eight quarters, the product mix and the cross-division sales.",
    ),
    (
        "relationship",
        "The decision-making unit by role with influence and strength, the roles nobody visited this quarter, and the visit history.",
    ),
    (
        "opportunities",
        "Open opportunities with stage, amount, weighted amount, value score and its four dimensions; won and lost this quarter.",
    ),
    (
        "plan",
        "Next quarter's target and its derivation, the annual agreement year to date, receivables and credit, and the recommended actions with the rule that raised each.",
    ),
]
cells = [
    new_markdown_cell(
        "# Account plan\n\nThe document an account manager takes into the quarterly review with the "
        "customer's team. `kamreport run` executes this notebook once per key account (and once per "
        'group customer, with `plan_of = "group"`).\n\n'
        "**Rerun by hand:** set the parameters below and *Run All*; the run's results are read, or "
        "computed when missing or out of date.",
        metadata=NB_ONLY,
    ),
    new_code_cell(
        COMMON + 'account = "A00001"  # an account_id, or a group_id when plan_of is group\n'
        'plan_of = "account"  # "account" or "group"\n' + TAIL,
        metadata={"tags": ["parameters"]},
    ),
    new_code_cell(
        "import kamreport as kr\n\n"
        "run = kr.open_run(params_file, run_dir=run_dir, language=language)\n"
        'view = run.group(account) if plan_of == "group" else run.account(account)\n'
        "kr.begin(view)"
    ),
]
for section, text in PLAN_SECTIONS:
    cells.append(new_markdown_cell(f"## {section.capitalize()}\n{text}", metadata=NB_ONLY))
    cells.append(new_code_cell(f'kr.show(view, "{section}")'))
cells.append(new_markdown_cell("## The workbook\nThe plan as a workbook, one sheet per chapter.", metadata=NB_ONLY))
cells.append(new_code_cell("if write_workbook:\n    kr.save_workbook(view, workbook)"))
plan_nb = new_notebook(cells=cells)
plan_nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
plan_nb.metadata["language_info"] = {"name": "python"}
nbformat.write(plan_nb, "notebooks/account_plan.ipynb")
