"""The repository's address, kept in this one place, and the notebook cells built from it.

Each notebook carries "Open in Colab" and "View on GitHub" links and a Colab-only
set-up cell. A fork changes ``REPOSITORY`` below and runs ``make links`` to
rewrite those cells; a test fails while any notebook is out of step.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import nbformat

REPOSITORY = "flowers-tutorial/flowers-tutorial"  # GitHub "owner/name": the one line a fork changes
BRANCH = "main"

LINKS_CELL_ID = "links"
COLAB_CELL_ID = "colab-setup"


def github_url(notebook: str) -> str:
    """The notebook's page on GitHub."""
    return f"https://github.com/{REPOSITORY}/blob/{BRANCH}/notebooks/{notebook}"


def colab_url(notebook: str) -> str:
    """The address that opens the notebook in Colab."""
    return f"https://colab.research.google.com/github/{REPOSITORY}/blob/{BRANCH}/notebooks/{notebook}"


def links_markdown(notebook: str) -> str:
    """The two buttons at the top of a notebook."""
    return (
        f'<a href="{colab_url(notebook)}"><img src="https://colab.research.google.com/assets/colab-badge.svg" '
        f'alt="Open in Colab"></a>\n'
        f'<a href="{github_url(notebook)}"><img src="https://img.shields.io/badge/View%20on-GitHub-181717?logo=github" '
        f'alt="View on GitHub"></a>'
    )


def colab_setup_source() -> str:
    """The first code cell: under Colab only, fetch the repository and install the helpers."""
    name = REPOSITORY.split("/")[1]
    return (
        "# Colab only: fetch the repository (helpers, sample data, the other notebooks) and install the helpers.\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f"    !test -d /content/{name} || git clone --quiet --depth 1 --branch {BRANCH} https://github.com/{REPOSITORY} /content/{name}\n"
        f"    %pip install --quiet /content/{name}\n"
        f"    %cd /content/{name}/notebooks"
    )


def sync(notebook_path: Path) -> bool:
    """Rewrite the links and Colab cells of one notebook; return True when it changed."""
    notebook = nbformat.read(notebook_path, as_version=4)
    wanted = {LINKS_CELL_ID: links_markdown(notebook_path.name), COLAB_CELL_ID: colab_setup_source()}
    changed = False
    for cell in notebook.cells:
        if cell.get("id") in wanted and cell.source != wanted[cell.id]:
            cell.source = wanted[cell.id]
            changed = True
    if changed:
        nbformat.write(notebook, notebook_path)
    return changed


def main() -> None:
    """Rewrite every notebook's links and Colab cells from ``REPOSITORY``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", type=Path, default=Path(__file__).resolve().parents[1] / "notebooks")
    args = parser.parse_args()
    for path in sorted(args.notebooks.glob("[0-9]*.ipynb")):
        print(f"{path.name}: {'updated' if sync(path) else 'up to date'}")


if __name__ == "__main__":
    main()
