"""The layering holds: one URL map, one access guard, views that do not import each other, no
private names imported across modules, and a README map that names every module."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRIAGE = ROOT / "triage"
MODULES = sorted(
    path
    for path in TRIAGE.rglob("*.py")
    if "migrations" not in path.parts and path.name != "__init__.py"
)


def imports_of(path: Path) -> list[tuple[str, list[str]]]:
    """(module, imported names) of each `from x import a, b` in the file."""
    tree = ast.parse(path.read_text())
    return [
        (node.module or "", [alias.name for alias in node.names])
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    ] + [
        (alias.name, [])
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]


def test_there_is_one_url_map():
    assert [p.name for p in MODULES if p.name.startswith("urls")] == ["urls.py"]


def test_the_access_guards_live_in_one_module():
    guards = {
        path.relative_to(ROOT).as_posix()
        for path in MODULES
        if re.search(r"^def \w*_required\b", path.read_text(), re.MULTILINE)
    }
    assert guards == {"triage/access.py"}


def test_no_view_module_imports_another():
    views = {path.stem for path in (TRIAGE / "views").glob("*.py") if path.stem != "__init__"}
    crossing = []
    for path in (TRIAGE / "views").glob("*.py"):
        for module, names in imports_of(path):
            if module == "triage.views" and set(names) & views:
                crossing.append((path.name, module, names))
            if module.startswith("triage.views."):
                crossing.append((path.name, module, names))
    assert crossing == []


def test_no_module_imports_a_private_name_from_another():
    private = []
    for path in [*MODULES, *(ROOT / "tests").rglob("*.py")]:
        for module, names in imports_of(path):
            if module.startswith(("triage", "tests")):
                private += [(path.name, module, n) for n in names if n.startswith("_")]
    assert private == []


def named_in(section: str, path: Path) -> bool:
    """Whether the map names the module: by its path, by its path under a listed folder, or
    (for a folder's own modules) by name on the folder's line."""
    if path.relative_to(ROOT).as_posix() in section:
        return True
    for folder in path.parents:
        if folder == TRIAGE:  # the package's own modules are listed by their whole path
            return False
        listed = folder.relative_to(ROOT).as_posix() + "/"
        if listed not in section:
            continue
        under = path.relative_to(folder)
        line = section.split(listed, 1)[1].split("\n", 1)[0]
        brace = f"{under.parent.as_posix()}/{{" if len(under.parts) > 1 else None
        if re.search(rf"(^|\s){re.escape(under.as_posix())}\b", section) or (
            len(under.parts) == 1 and re.search(rf"\b{path.stem}\b", line)
        ):
            return True
        if brace and brace in section and path.stem in section.split(brace, 1)[1].split("}")[0]:
            return True
    return False


def test_the_readme_map_names_every_module():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    assert [p.relative_to(ROOT).as_posix() for p in MODULES if not named_in(section, p)] == []
