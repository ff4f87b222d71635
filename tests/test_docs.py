"""Every ```python block of README.md and docs/*.md runs as written.

The blocks of one page run in order in one namespace (a fresh module), from an empty
temporary working directory, with ``EDNAG_DATA_DIR`` pointing at the benchmark tables and
one torch thread. Only fenced blocks tagged ``python`` (or ``py``) run; ``bash`` and untagged
blocks are not executed.
"""

from __future__ import annotations

import os
import re
import sys
import time
import types
from pathlib import Path

import pytest
import torch

from ednag_opt.datasets import data_dir
from ednag_opt.spaces import base as space_base

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^\s`]*)[^`]*$")
PYTHON = {"python", "py", "python3", "pycon"}
#: CPU seconds a page may take (CPU, not wall time: the test machines are shared): the
#: docs promise blocks that run in a few seconds, so a search budget left large fails here.
PAGE_BUDGET_S = 20.0


def python_blocks(text: str) -> list[tuple[int, str]]:
    """``(first line number, code)`` of each fenced python block of a markdown text."""
    blocks, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, start, body = m["fence"], i + 1, []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i])
            i += 1
        if i >= len(lines):
            raise ValueError(f"unclosed code fence opened at line {start}")
        i += 1
        if m["info"].lower() in PYTHON:
            blocks.append((start + 1, "\n".join(body) + "\n"))
    return blocks


def _pages_with_code() -> list[Path]:
    return [p for p in PAGES if python_blocks(p.read_text(encoding="utf-8"))]


def test_block_extraction_handles_fences_and_languages():
    text = "x\n```python\na = 1\n```\n```bash\nls\n```\n````py\nb = '```'\n````\n```\nc\n```\n"
    assert python_blocks(text) == [(3, "a = 1\n"), (9, "b = '```'\n")]
    with pytest.raises(ValueError, match="unclosed"):
        python_blocks("```python\nx = 1\n")


def test_pages_are_found():
    assert (ROOT / "README.md") in PAGES and len(PAGES) > 5
    assert len(_pages_with_code()) >= 5


@pytest.fixture
def doc_env(tmp_path, monkeypatch):
    """Empty working dir, data tables via EDNAG_DATA_DIR, one thread, a clean module and
    space registry."""
    data = data_dir()
    if data is None:
        if os.environ.get("EDNAG_REQUIRE_DATA") == "1":
            pytest.fail("benchmark data missing (EDNAG_DATA_DIR or ../shared/data)")
        pytest.skip("benchmark data missing (EDNAG_DATA_DIR or ../shared/data)")
    monkeypatch.setenv("EDNAG_DATA_DIR", str(data))
    monkeypatch.chdir(tmp_path)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    module = types.ModuleType("doc_page")
    monkeypatch.setitem(sys.modules, "doc_page", module)
    factories, aliases = dict(space_base._FACTORIES), dict(space_base._ALIASES)
    yield module.__dict__
    torch.set_num_threads(threads)
    space_base._FACTORIES.clear()  # spaces a page registers must not leak into other tests
    space_base._FACTORIES.update(factories)
    space_base._ALIASES.clear()
    space_base._ALIASES.update(aliases)


@pytest.mark.parametrize("page", _pages_with_code(), ids=lambda p: str(p.relative_to(ROOT)))
def test_page_code_blocks_run(page, doc_env, capsys):
    rel = page.relative_to(ROOT)
    start = time.process_time()
    for line, code in python_blocks(page.read_text(encoding="utf-8")):
        compiled = compile(code, f"{rel}:{line}", "exec")  # tracebacks name page and line
        try:
            exec(compiled, doc_env)
        except Exception as exc:  # noqa: BLE001 - report which block failed
            raise AssertionError(
                f"{rel}, code block at line {line} failed: {type(exc).__name__}: {exc}"
            ) from exc
    elapsed = time.process_time() - start
    assert elapsed < PAGE_BUDGET_S, f"{rel}: code blocks took {elapsed:.1f} CPU seconds"
