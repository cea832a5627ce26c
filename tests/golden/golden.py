"""Golden files: one region workbook and one HTML report of a tiny fixed dataset, compared part by part.

``make golden`` (``.venv/bin/python tests/golden/golden.py``) renders them and writes the
reference parts into ``tests/golden/reference/``; ``tests/golden/test_golden.py`` renders them
again and compares.  Like XlsxWriter's own tests, the workbook is compared as the XML parts
of its zip, one element a line; the HTML with each embedded PNG replaced by its pixel size.
The only volatile values — the document dates and the run's "made" time — are pinned or
removed before comparing.  Review a refresh with ``git diff tests/golden/reference`` (docs/chapters.md).
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import yaml
from PIL import Image

from kamreport.demo import write_demo, write_demo_params
from kamreport.params import load_params
from kamreport.report.views import Run
from kamreport.run.executor import render_job
from kamreport.run.jobs import Selection, plan_jobs
from kamreport.run.store import RESULTS_DIR, load_or_compute

HERE = Path(__file__).resolve().parent
REFERENCE = HERE / "reference"
REGION = "East"
ACCOUNTS = 40
MADE = "2026-10-01 08:00"  # the run's "made" time, pinned
_PNG = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"')
_DATES = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def render(folder: Path) -> tuple[Path, Path]:
    """The tiny dataset in ``folder``, computed, and East's workbook and HTML report rendered as a run does."""
    data = folder / "data"
    write_demo(data, n_accounts=ACCOUNTS, fmt="csv")
    params_file = write_demo_params(folder / "params.yaml", data, folder / "output", fmt="csv")
    doc = yaml.safe_load(params_file.read_text(encoding="utf-8"))
    doc["data"]["base_dir"], doc["output_dir"] = "data", "output"  # relative: the Notes sheet shows them
    params_file.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    params = load_params(params_file)
    computed = load_or_compute(params)
    meta = params.run_dir / RESULTS_DIR / "meta.json"
    stored = json.loads(meta.read_text(encoding="utf-8"))
    meta.write_text(json.dumps({**stored, "computed_at": MADE}, indent=1, ensure_ascii=False), encoding="utf-8")
    run = Run(computed, params.language)
    jobs = plan_jobs(run, run.layout(), Selection(regions=(REGION,)))
    job = next(j for j in jobs if j.kind == "region")
    result = render_job(job, reuse_kernels=False)
    if result.status != "ok":
        raise RuntimeError(f"the golden report failed: {result.error}")
    return job.files.xlsx, job.files.html


def lines(xml: str) -> str:
    """XML (or HTML) one element a line, so a difference shows as a line."""
    return re.sub(r">\s*<", ">\n<", xml).strip() + "\n"


def workbook_parts(path: Path) -> dict[str, str]:
    """Every XML part of the workbook, dates removed, one element a line (binary parts by size)."""
    parts = {}
    with zipfile.ZipFile(path) as book:
        for name in sorted(book.namelist()):
            raw = book.read(name)
            if name.endswith((".xml", ".rels")):
                parts[name] = lines(_DATES.sub(r"\1\2", raw.decode("utf-8")))
            else:
                parts[name] = f"{len(raw)} bytes\n"
    return parts


def _png_size(match: re.Match[str]) -> str:
    image = Image.open(io.BytesIO(base64.b64decode(match.group(1))))
    return f'src="png {image.width}x{image.height}"'


def html_text(path: Path) -> str:
    """The report HTML with each embedded PNG replaced by its size, one element a line."""
    return lines(_PNG.sub(_png_size, path.read_text(encoding="utf-8")))


def reference_of(xlsx: Path, html: Path) -> dict[str, str]:
    """Relative path under reference/ → text, for both documents."""
    files = {f"workbook/{name}": text for name, text in workbook_parts(xlsx).items()}
    files["report.html"] = html_text(html)
    return files


def write_reference(files: dict[str, str]) -> None:
    """Replace the reference files by ``files``."""
    shutil.rmtree(REFERENCE, ignore_errors=True)
    for name, text in files.items():
        target = REFERENCE / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def read_reference() -> dict[str, str]:
    """The committed reference files."""
    return {
        p.relative_to(REFERENCE).as_posix(): p.read_text(encoding="utf-8") for p in REFERENCE.rglob("*") if p.is_file()
    }


def main() -> None:
    """Render the golden documents and write them as the new reference."""
    with tempfile.TemporaryDirectory(prefix="kamreport-golden-") as tmp:
        files = reference_of(*render(Path(tmp)))
    write_reference(files)
    print(f"{len(files)} reference files written to {REFERENCE}; review them with: git diff --stat {REFERENCE}")


if __name__ == "__main__":
    main()
