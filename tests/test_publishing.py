"""Publishing: the workflows, the Makefile and _config.yml agree with each other.

The workflows need GitHub (and the network), so here they are read, not run:
the book they publish is the one `make book` builds, with the execution cache
myst-nb uses, on the branch the Colab buttons point at, at the address that
the sitemap and Open Graph tags announce.
"""

import re

import yaml
from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def _steps(name):
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def _runs(name):
    return "\n".join(step.get("run", "") for step in _steps(name))


def _make_targets():
    return set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(), re.M))


def test_publish_builds_with_make_and_keeps_the_execution_cache():
    assert "make book" in _runs("publish.yml")
    caches = [step["with"]["path"] for step in _steps("publish.yml")
              if step.get("uses", "").startswith("actions/cache")]
    # jupyter-book puts myst-nb's jupyter-cache beside the html output folder.
    assert caches == ["_build/.jupyter_cache"]


def test_publish_pushes_the_site_to_the_branch_the_colab_buttons_open():
    command = next(line for line in _runs("publish.yml").splitlines() if "ghp-import" in line)
    assert "--no-jekyll" in command, "without .nojekyll GitHub Pages hides _static/ and _sources/"
    branch = re.search(r"(?:-b|--branch)[ =](\S+)", command)
    assert (branch[1] if branch else "gh-pages") == CONFIG["sphinx"]["config"]["notebooks_branch"]
    assert "ghp-import==" in (ROOT / "requirements.txt").read_text()


def test_linkcheck_job_runs_a_make_target():
    assert "make linkcheck" in _runs("linkcheck.yml")
    assert {"book", "test", "linkcheck"} <= _make_targets()


def test_site_address_is_the_repository_github_pages_address():
    owner, repo = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+)",
                               CONFIG["repository"]["url"]).groups()
    assert CONFIG["html"]["baseurl"] == f"https://{owner}.github.io/{repo}/"
