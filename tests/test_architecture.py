"""The house rules of the code (docs/architecture and "Layers" in the design page), held
so that they stay true: dependencies point one way, no module reaches into another's
private names, and every layer goes by one name."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["tayho_site", "contest", "ideas", "emulation", "referrals", "scripts", "benchmarks", "tests"]
APPS = ("contest", "ideas", "emulation", "referrals")


def sources(*folders):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path):
    """(line, imported module, imported names) for every import in the file, nested
    ones included, with relative imports resolved."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names = [alias.name for alias in node.names]
            yield node.lineno, module, names
            for name in names:  # "from . import honours" imports a module too
                yield node.lineno, f"{module}.{name}", []


def offending(paths, forbidden):
    found = []
    for path in paths:
        for line, module, _names in imports(path):
            if any(module == prefix or module.startswith(prefix + ".") for prefix in forbidden):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return found


def test_no_import_waits_below_code():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sources(*PACKAGES)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "noqa: " + "E402" in line
    ]
    assert found == []


def test_no_module_imports_another_modules_private_name():
    found = []
    for path in sources(*PACKAGES):
        for line, module, names in imports(path):
            private = [name for name in names if name.startswith("_") and not name.startswith("__") and name != "_"]
            if private:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {private} from {module}")
    assert found == []


def test_the_site_package_imports_no_app():
    assert offending(sources("tayho_site"), APPS) == []


def test_emulation_never_imports_its_sub_apps():
    sub_apps = {"honours", "inspections"}
    own = [path for path in sources("emulation") if not sub_apps & set(path.relative_to(ROOT / "emulation").parts)]
    assert offending(own, ["emulation.honours", "emulation.inspections", "referrals"]) == []


def test_the_judging_engine_knows_no_caller():
    engine = list(sources("contest/judging"))
    assert engine
    found = offending(engine, ["ideas", "emulation", "referrals"])
    found += [hit for hit in offending(engine, ["contest"]) if "imports contest.judging" not in hit]
    assert found == []


def test_one_name_per_layer():
    """Writes live in actions, reads in queries, who-may in permissions; no second name."""
    old_names = {"rules.py", "services.py", "commitments.py", "monthly.py", "entries.py", "results.py"}
    found = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if path.name in old_names and not {"actions", "models", "workspace", "migrations"} & set(path.parts)
    ]
    found += [str(path.relative_to(ROOT)) for app in APPS for path in (ROOT / app).rglob("*_views.py")]
    assert found == []
